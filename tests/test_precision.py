"""MixedPrecisionCB and the one autocast helper, on the CPU (torch's CPU float16/bfloat16 autocast and GradScaler('cpu'))."""
import pytest, torch
from torch import nn
import torch.nn.functional as F
from coursekit.core import set_seed
from coursekit.learner import Learner
from coursekit.loaders import DataLoaders
from coursekit.callback import Callback
from coursekit.precision import MixedPrecisionCB, autocast, amp_dtype

def data(n=96):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 8, generator=g); y = (x[:, 0] + x[:, 1] > 0).long()
    return DataLoaders.from_tensors(x, y, torch.arange(n) >= n * 3 // 4, bs=8)

class DtypeCB(Callback):
    order = 30
    def before_fit(self): self.seen = set()
    def after_pred(self): self.seen.add(self.learn.preds.dtype)

class MethodsCB(Callback):
    "Records whether the Learner's own methods/attributes were swapped at any event during the fit."
    order = 99
    def before_fit(self): self.swapped = set(); self.base = {k for k in ('backward', 'step') if k in vars(self.learn)}
    def after_batch(self): self.swapped |= {k for k in ('backward', 'step', 'one_batch', 'fit') if k in vars(self.learn)}

def test_bf16_fit_trains_through_hooks_only():
    set_seed(0)
    dt, meth = DtypeCB(), MethodsCB()
    learn = Learner(nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2)), data(), F.cross_entropy, lr=3e-2,
                    cbs=[MixedPrecisionCB(torch.bfloat16), dt, meth], default_cbs=False)
    from coursekit.callback import Recorder
    learn.add_cbs([Recorder()]).fit(8)
    assert dt.seen == {torch.bfloat16}
    rows = learn.recorder.epoch_rows
    assert rows[-1]['valid_loss'] < 0.8 * rows[0]['valid_loss'], rows
    assert meth.swapped == set(), meth.swapped                   # no callback replaced a Learner method
    assert all(p.dtype == torch.float32 for p in learn.model.parameters())   # weights stay float32

class InfGradCB(Callback):
    "Make the gradient of batch `at` infinite."
    order = 5
    def __init__(self, at): self.at = at
    def after_backward(self):
        if self.learn.iter == self.at: next(self.learn.model.parameters()).grad.fill_(float('inf'))

class SnapCB(Callback):
    order = 1   # before MixedPrecisionCB (10), which may cancel the step
    def before_fit(self): self.moved = []
    def before_step(self): self.w = [p.detach().clone() for p in self.learn.model.parameters()]
    def cleanup_step(self): self.moved.append(any(not torch.equal(a, b) for a, b in zip(self.w, self.learn.model.parameters())))

def test_float16_scaler_skips_the_step_on_inf_gradients_and_lowers_the_scale():
    set_seed(0)
    mp, snap, dt = MixedPrecisionCB(torch.float16), SnapCB(), DtypeCB()
    learn = Learner(nn.Linear(8, 2), data(), F.cross_entropy, lr=1e-2, cbs=[mp, InfGradCB(at=2), snap, dt], default_cbs=False)
    learn.fit(1, valid=False)
    assert dt.seen == {torch.float16}
    assert snap.moved[2] is False and all(snap.moved[:2]) and all(snap.moved[3:]), snap.moved
    assert mp.scaler.get_scale() < 65536.0   # the default initial scale, halved at the inf step
    assert all(torch.isfinite(p).all() for p in learn.model.parameters())

def test_float16_scaler_scales_the_backward_pass():
    "The gradient the optimizer sees is the unscaled one: one SGD step with and without MixedPrecisionCB(float16) lands close."
    def one_step(cbs):
        set_seed(0); m = nn.Linear(8, 2)
        learn = Learner(m, data(), F.cross_entropy, lr=0.1, opt_func=torch.optim.SGD, cbs=cbs, default_cbs=False)
        class StopCB(Callback):
            def after_batch(self): 
                from coursekit.callback import CancelFitException
                raise CancelFitException()
        learn.fit(1, valid=False, cbs=[StopCB()])
        return m.weight.detach().clone()
    torch.testing.assert_close(one_step([MixedPrecisionCB(torch.float16)]), one_step([]), atol=2e-3, rtol=0)

def test_autocast_helper():
    x = torch.randn(3, 4); lin = nn.Linear(4, 2)
    with autocast('cpu', dtype=torch.bfloat16): assert lin(x).dtype == torch.bfloat16
    with autocast('cpu', bf16=False): assert lin(x).dtype == torch.float32
    with autocast('cpu', dtype=torch.float32): assert lin(x).dtype == torch.float32
    assert amp_dtype('cpu', bf16=False) is None and amp_dtype('cpu', bf16=True) == torch.bfloat16

def test_no_fast_16_bit_type_is_a_no_op_that_says_so(capsys, monkeypatch):
    import coursekit.precision as P
    monkeypatch.setattr(P, 'bf16_ok', lambda d: False); monkeypatch.setattr(MixedPrecisionCB, '_warned', False)
    dt = DtypeCB()
    Learner(nn.Linear(8, 2), data(), F.cross_entropy, cbs=[MixedPrecisionCB(), dt], default_cbs=False).fit(1)
    assert dt.seen == {torch.float32} and 'no-op' in capsys.readouterr().out

def test_a_prediction_pass_before_any_fit_uses_the_callback_too():
    dt = DtypeCB(); dt.seen = set()
    learn = Learner(nn.Linear(8, 2), data(), F.cross_entropy, cbs=[MixedPrecisionCB(torch.bfloat16), dt], default_cbs=False)
    assert learn.predict(torch.randn(8)).shape == (1, 2) and dt.seen == {torch.bfloat16}

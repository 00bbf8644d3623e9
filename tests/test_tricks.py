"""coursekit.tricks: results against oracles, callbacks in a real fit, and clear errors for bad input."""
import pytest
import torch
from torch import nn
import torch.nn.functional as F
from coursekit.learner import Learner
from coursekit.loaders import DataLoaders
from coursekit.callback import DeviceCB, Callback
from coursekit.tricks import (Normalize, ResBlock, small_resnet, resize_batch, ProgressiveResizeCB, tta_predict, mixup_blend,
                              MixupCB, LabelSmoothingCE)

def test_label_smoothing_matches_torch():
    torch.manual_seed(0)
    logits, targ = torch.randn(16, 10) * 3, torch.randint(0, 10, (16,))
    for eps in (0., 0.1, 0.5):
        torch.testing.assert_close(LabelSmoothingCE(eps)(logits, targ), F.cross_entropy(logits, targ, label_smoothing=eps))

def test_mixup_blend_is_soft_target_cross_entropy():
    torch.manual_seed(0)
    logits, y1, y2 = torch.randn(8, 10), torch.randint(0, 10, (8,)), torch.randint(0, 10, (8,))
    x, t = mixup_blend(torch.ones(8, 1, 4, 4), torch.zeros(8, 1, 4, 4), y1, y2, 0.3)
    assert torch.allclose(x, torch.full_like(x, 0.3))
    torch.testing.assert_close(0.3 * F.cross_entropy(logits, y1) + 0.7 * F.cross_entropy(logits, y2), F.cross_entropy(logits, t))

def test_model_takes_any_size_and_normalize_uses_given_stats():
    m = small_resnet(4, n_blocks=2, norm=Normalize(0.5, 2.))
    assert m(torch.rand(3, 1, 16, 16)).shape == m(torch.rand(3, 1, 28, 28)).shape == (3, 10)
    torch.testing.assert_close(Normalize(0.5, 2.)(torch.ones(1, 1, 2, 2)), torch.full((1, 1, 2, 2), 0.25))
    assert ResBlock(4, 8, stride=2)(torch.rand(2, 4, 7, 7)).shape == (2, 8, 4, 4)

class _Sizes(Callback):
    "Record the image side and the first pixel of every batch, training and validation, after the trick callbacks."
    order = 50
    def before_fit(self): self.seen = []
    def before_batch(self): self.seen.append((self.learn.training, self.learn.epoch, self.learn.xb[0].shape[-1]))

def _learner(cbs, loss=None):
    x, y = torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,))
    dls = DataLoaders.from_tensors(x, y, torch.arange(64) >= 48, bs=16)
    return Learner(small_resnet(4), dls, loss or nn.CrossEntropyLoss(), cbs=[DeviceCB(), *cbs], default_cbs=False)

def test_progressive_resize_in_a_fit():
    rec = _Sizes(); _learner([ProgressiveResizeCB([16, 28]), rec]).fit(2)
    assert {s for tr, e, s in rec.seen if tr and e == 0} == {16} and {s for tr, e, s in rec.seen if tr and e == 1} == {28}
    assert {s for tr, e, s in rec.seen if not tr} == {28}

class _Pixels(Callback):
    "Record the first training and validation batch as seen at this `order`."
    def __init__(self, order): self.order, self.seen = order, {}
    def before_batch(self): self.seen.setdefault(self.learn.training, self.learn.xb[0].clone())

def test_mixup_blends_training_batches_only_and_restores_loss():
    torch.manual_seed(0)
    loss, before, after = nn.CrossEntropyLoss(), _Pixels(5), _Pixels(15)
    learn = _learner([MixupCB(), before, after], loss); learn.fit(1)
    assert not torch.equal(before.seen[True], after.seen[True]) and torch.equal(before.seen[False], after.seen[False])
    assert learn.loss_func is loss

def test_tta_predict_averages_and_plain_matches_model():
    torch.manual_seed(0); m = small_resnet(4).eval(); x = torch.rand(5, 1, 28, 28)
    plain, tta = tta_predict(m, x, lambda b: b, n_aug=3)
    torch.testing.assert_close(plain, m(x).softmax(-1).detach()); torch.testing.assert_close(tta, plain)

@pytest.mark.parametrize('call, match', [
    (lambda: Normalize(0.1, 0.), r'std > 0'),
    (lambda: Normalize(torch.tensor([0.1, 0.2]), 1.), r'one finite mean'),
    (lambda: small_resnet(0), r'width must be a whole number'),
    (lambda: small_resnet(8, n_blocks=1.5), r'n_blocks must be a whole number'),
    (lambda: resize_batch(torch.rand(28, 28), 16), r'float batch \(n, c, h, w\)'),
    (lambda: resize_batch(torch.rand(2, 1, 28, 28), 0), r'size must be a whole number'),
    (lambda: ProgressiveResizeCB([]), r'non-empty list'),
    (lambda: ProgressiveResizeCB([16, 28.5]), r'non-empty list'),
    (lambda: mixup_blend(torch.rand(2, 28, 28), torch.rand(3, 28, 28), torch.tensor([1, 2]), torch.tensor([1, 2]), 0.5), r'one shape'),
    (lambda: mixup_blend(torch.rand(2, 28, 28), torch.rand(2, 28, 28), torch.tensor([1., 2.]), torch.tensor([1, 2]), 0.5), r'y1 must be integer'),
    (lambda: mixup_blend(torch.rand(2, 28, 28), torch.rand(2, 28, 28), torch.tensor([1, 12]), torch.tensor([1, 2]), 0.5), r'outside 0..9'),
    (lambda: mixup_blend(torch.rand(2, 28, 28), torch.rand(2, 28, 28), torch.tensor([1, 2]), torch.tensor([1, 2]), 1.5), r'between 0 and 1'),
    (lambda: MixupCB(alpha=0), r'alpha must be > 0'),
    (lambda: LabelSmoothingCE(1.0), r'eps must be in \[0, 1\)'),
    (lambda: LabelSmoothingCE(0.1)(torch.randn(4, 10), torch.randn(4)), r'integer class indices'),
    (lambda: LabelSmoothingCE(0.1)(torch.randn(4, 10), torch.arange(3)), r'integer class indices'),
    (lambda: LabelSmoothingCE(0.1)(torch.randn(0, 10), torch.arange(0)), r'n > 0'),
    (lambda: tta_predict(small_resnet(4), torch.rand(5, 28, 28), lambda b: b), r'non-empty float batch'),
    (lambda: tta_predict(small_resnet(4), torch.rand(5, 1, 28, 28), lambda b: b, n_aug=0), r'n_aug must be'),
    (lambda: tta_predict(small_resnet(4), torch.rand(5, 1, 28, 28), 'flip'), r'tfm must be a function'),
])
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises((ValueError, TypeError), match=match): call()

def test_progressive_resize_needs_one_size_per_epoch():
    with pytest.raises(ValueError, match=r'one size per epoch'): _learner([ProgressiveResizeCB([16, 28])]).fit(3)

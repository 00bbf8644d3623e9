"""Bad input to the Learner and checkpoints: each gets a clear error, and nothing runs from a checkpoint file."""
import math, pickle
import pytest
import torch
from torch import nn
import torch.nn.functional as F
from coursekit.core import set_seed
from coursekit.learner import Learner
from coursekit.loaders import DataLoaders, TensorLoader
from coursekit.metrics import MetricsCB, accuracy, batch_accuracy
from coursekit.schedule import suggest_lrs
from coursekit.checkpoint import save_checkpoint, load_checkpoint

def tiny_data(n=64, nan=False):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 4, generator=g); y = (x[:, 0] > 0).long()
    if nan: x = x * float('nan')
    return DataLoaders.from_tensors(x, y, torch.arange(n) % 4 == 0, bs=8)

def tiny_learner(**kw):
    set_seed(0)
    return Learner(nn.Linear(4, 2), tiny_data(), F.cross_entropy, lr=0.1, cbs=[MetricsCB(accuracy)], **kw)

def test_learner_trains_a_separable_problem():
    learn = tiny_learner().fit(20)
    assert learn.recorder.epoch_rows[-1]['accuracy'] >= 0.9

def test_non_scalar_loss():
    learn = Learner(nn.Linear(4, 2), tiny_data(), lambda p, y: F.cross_entropy(p, y, reduction='none'))
    with pytest.raises(ValueError, match=r"one number .* returned \(8,\).*\.mean\(\)"): learn.fit(1)

def test_empty_training_set():
    x, y = torch.randn(10, 4), torch.zeros(10, dtype=torch.long)
    learn = Learner(nn.Linear(4, 2), DataLoaders.from_tensors(x, y, torch.ones(10, dtype=torch.bool)), F.cross_entropy)
    with pytest.raises(ValueError, match='no batches'): learn.fit(1)

def test_model_and_batch_on_different_devices():
    learn = Learner(nn.Linear(4, 2).to('meta'), tiny_data(), F.cross_entropy, default_cbs=False)
    with pytest.raises(RuntimeError, match='model is on meta but the batch is on cpu.*DeviceCB'): learn.fit(1)

def test_lr_find_with_nan_loss_from_the_start():
    learn = Learner(nn.Linear(4, 2), tiny_data(nan=True), F.cross_entropy)
    before = {k: v.clone() for k, v in learn.model.state_dict().items()}
    with pytest.raises(ValueError, match='loss is nan at the very first batch'): learn.lr_find(plot=False)
    assert all(torch.equal(before[k], v) for k, v in learn.model.state_dict().items())  # weights restored

def full_batch_learner():
    "One batch per epoch (192 training rows), so the lr-finder's loss curve is smooth rather than batch noise."
    g = torch.Generator().manual_seed(0)
    x = torch.randn(256, 4, generator=g); y = (x[:, 0] > 0).long()
    set_seed(0)
    return Learner(nn.Linear(4, 2), DataLoaders.from_tensors(x, y, torch.arange(256) % 4 == 0, bs=192), F.cross_entropy,
                   cbs=[MetricsCB(accuracy)])

def test_lr_find_suggests_rates_that_train_and_restores_weights():
    learn = full_batch_learner()
    before = {k: v.clone() for k, v in learn.model.state_dict().items()}
    sugg = learn.lr_find(num_it=100, plot=False)
    assert all(torch.equal(before[k], v) for k, v in learn.model.state_dict().items())
    lrs = learn.recorder.lrs                                                    # the finder callback left with its fit
    assert 1e-7 <= lrs[0] < 1.5e-7 and all(b > a for a, b in zip(lrs, lrs[1:]))   # from start_lr, growing every batch
    assert set(sugg) == {'minimum/10', 'steep'}
    final_acc = lambda lr: full_batch_learner().fit(10, lr=lr).recorder.epoch_rows[-1]['accuracy']
    assert final_acc(1e-3) < 0.7                                                  # a too-small rate does not get there in 10 steps
    for v in sugg.values():
        assert lrs[0] < v < lrs[-1], sugg                                         # inside the range it tried
        assert final_acc(v) >= 0.9, (v, sugg)                                     # each suggestion trains it in 10 steps

def test_suggest_lrs_on_a_curve_with_known_answers():
    "Unsmoothed (beta=0): the loss falls fastest at lr 1e-4 and is lowest near 1e-2, then blows up."
    lrs = torch.logspace(-7, 1, 161)
    x = lrs.log10()
    losses = 3 - torch.tanh(2 * (x + 4)) + torch.exp(3 * (x + 2.2))
    sugg = suggest_lrs(lrs.tolist(), losses.tolist(), beta=0., plot=False)
    assert abs(math.log10(sugg['steep']) + 4) <= 0.05, sugg                      # grid step is 0.05 decades
    assert abs(math.log10(sugg['minimum/10'] * 10) - float(x[losses.argmin()])) <= 1e-6, sugg

def test_predict_shapes():
    learn = tiny_learner()
    assert learn.predict(torch.zeros(4)).shape == (1, 2) and learn.predict(torch.zeros(3, 4)).shape == (3, 2)
    with pytest.raises(ValueError, match=r'expected one item of shape \(4,\).*got shape \(5,\)'): learn.predict(torch.zeros(5))
    with pytest.raises(TypeError, match='expects a tensor'): learn.predict([1, 2, 3, 4])

def test_checkpoint_round_trip(tmp_path):
    learn = tiny_learner().fit(2)
    f = learn.save(tmp_path/'m.pth', arch={'name': 'linear', 'kwargs': {'in': 4}}, vocab=['no', 'yes'])
    assert sorted(p.name for p in tmp_path.iterdir()) == ['m.pth']
    ck = load_checkpoint(f)
    assert ck['format'] == 'coursekit' and ck['vocab'] == ['no', 'yes'] and ck['arch']['kwargs'] == {'in': 4}
    other = Learner(nn.Linear(4, 2), tiny_data(), F.cross_entropy).load(f)
    assert torch.equal(other.model.weight, learn.model.weight.cpu())

class _FailsToPickle:
    "A vocab entry whose pickling raises: torch.save fails after the weights before it were pickled."
    def __reduce__(self): raise OSError('disk full (simulated by an object that cannot be pickled)')

def test_a_failed_save_leaves_the_old_checkpoint_and_no_partial_file(tmp_path):
    old = nn.Linear(4, 2); f = save_checkpoint(old, tmp_path/'m.pth', vocab=['no', 'yes'])
    new = nn.Linear(4, 2)
    with torch.no_grad(): new.weight.fill_(7.)
    with pytest.raises(OSError, match='disk full'): save_checkpoint(new, f, vocab=['no', _FailsToPickle()])
    assert sorted(p.name for p in tmp_path.iterdir()) == ['m.pth']               # no m.pth.tmp left behind
    ck = load_checkpoint(f)                                                       # the old file is whole and unchanged
    assert torch.equal(ck['state_dict']['weight'], old.weight.detach()) and ck['vocab'] == ['no', 'yes']

@pytest.mark.parametrize('content, match', [
    (b'just some text', 'refused it'),
    (None, "no 'format': 'coursekit'"),
])
def test_load_rejects_files_that_are_not_checkpoints(tmp_path, content, match):
    f = tmp_path/'bad.pth'
    if content is None: torch.save({'weights': torch.zeros(2)}, f)
    else: f.write_bytes(content)
    with pytest.raises(ValueError, match=match): tiny_learner().load(f)

class _Evil:
    def __reduce__(self): return (open, ('/tmp/coursekit-pwned', 'w'))

def test_loading_never_runs_code_from_the_file(tmp_path):
    import os
    if os.path.exists('/tmp/coursekit-pwned'): os.remove('/tmp/coursekit-pwned')
    f = tmp_path/'evil.pth'; f.write_bytes(pickle.dumps({'format': 'coursekit', 'state_dict': _Evil()}))
    with pytest.raises(ValueError, match='refused it'): load_checkpoint(f)
    assert not os.path.exists('/tmp/coursekit-pwned')

def test_load_weights_of_another_model(tmp_path):
    f = save_checkpoint(nn.Linear(3, 2), tmp_path/'other.pth', arch={'name': 'three_inputs'})
    with pytest.raises(ValueError, match='different model \\(three_inputs\\)'): tiny_learner().load(f)

def test_tensor_loader_covers_every_item_once_and_shuffles_each_epoch():
    torch.manual_seed(0)
    tl = TensorLoader(torch.arange(10), bs=3, shuffle=True)
    epochs = [torch.cat([b for (b,) in tl]).tolist() for _ in range(3)]
    assert len(tl) == 4 and [len(b) for (b,) in tl] == [3, 3, 3, 1]
    assert all(sorted(e) == list(range(10)) for e in epochs)                      # every item exactly once per epoch
    assert epochs[0] != list(range(10)) and len({tuple(e) for e in epochs}) == 3  # shuffled, and anew each epoch
    assert torch.cat([b for (b,) in TensorLoader(torch.arange(10), bs=3)]).tolist() == list(range(10))  # shuffle=False keeps order
    assert len(TensorLoader(torch.arange(10), bs=3, drop_last=True)) == 3
    x, y = torch.arange(10), torch.arange(10) * 10
    assert all(torch.equal(yb, xb * 10) for xb, yb in TensorLoader(x, y, bs=4, shuffle=True))  # x and y stay paired

@pytest.mark.parametrize('make, err, match', [
    (lambda: TensorLoader(torch.zeros(3), torch.zeros(4)), ValueError, 'one length'),
    (lambda: TensorLoader(), ValueError, 'one length'),
    (lambda: TensorLoader(torch.zeros(3), [0, 1, 2]), TypeError, 'argument 1 is list'),
    (lambda: TensorLoader(torch.tensor(3.)), TypeError, '0-d tensor'),
    (lambda: TensorLoader(torch.zeros(3), bs=0), ValueError, 'bs must be a positive whole number'),
    (lambda: TensorLoader(torch.zeros(3), bs=2.5), ValueError, 'bs must be a positive whole number'),
    (lambda: DataLoaders.from_tensors(torch.zeros(10, 4), torch.zeros(9), torch.zeros(10, dtype=torch.bool)), ValueError, 'y 9'),
    (lambda: DataLoaders.from_tensors(torch.zeros(10, 4), torch.zeros(10), torch.tensor([0, 5])), ValueError, 'not a list of indices'),
    (lambda: DataLoaders.from_tensors(torch.zeros(3, 4), torch.zeros(3), torch.tensor([0, 2, 1])), ValueError, 'values other than 0 and 1'),
])
def test_loaders_reject_bad_input(make, err, match):
    with pytest.raises(err, match=match): make()

def test_from_tensors_accepts_a_0_1_mask_like_a_bool_mask():
    x = torch.arange(10.)[:, None]; m = torch.arange(10) % 5 == 0
    a, b = DataLoaders.from_tensors(x, x, m), DataLoaders.from_tensors(x, x, m.long())
    assert torch.equal(a.valid.tensors[0], b.valid.tensors[0]) and b.valid.tensors[0].view(-1).tolist() == [0., 5.]

@pytest.mark.parametrize('metric, preds, targs, match', [
    (accuracy, torch.randn(6, 3), torch.zeros(6, 1, dtype=torch.long), r'targets \(6, 1\) must have the shape .* \(6,\)'),
    (accuracy, torch.randn(6, 3), torch.zeros(5, dtype=torch.long), r'targets \(5,\)'),
    (accuracy, torch.randn(6), torch.zeros(6, dtype=torch.long), 'batch_accuracy'),
    (accuracy, torch.randn(0, 3), torch.zeros(0, dtype=torch.long), 'no items'),
    (batch_accuracy, torch.randn(6, 3), torch.zeros(6), 'one score and one 0/1 target per item'),
    (batch_accuracy, torch.randn(6, 1), torch.zeros(5), r'targets \(5,\)'),
    (batch_accuracy, torch.randn(0, 1), torch.zeros(0), 'no items'),
])
def test_metrics_reject_shapes_that_would_broadcast(metric, preds, targs, match):
    with pytest.raises(ValueError, match=match): metric(preds, targs)

def test_metrics_values():
    p = torch.tensor([[2., 0.], [0., 1.], [3., 1.], [0., 5.]])
    assert accuracy(p, torch.tensor([0, 1, 1, 1])).item() == 0.75
    assert batch_accuracy(torch.tensor([[2.], [-1.], [0.5]]), torch.tensor([1., 1., 1.])).item() == pytest.approx(2 / 3)

def test_lr_schedule_and_finder_reject_bad_arguments():
    n = len(tiny_learner().dls.train)
    with pytest.raises(ValueError, match='exactly one step'): tiny_learner().fit_one_cycle(1, 1e-2, pct_start=1 / n)
    with pytest.raises(ValueError, match='pct_start'): tiny_learner().fit_one_cycle(1, 1e-2, pct_start=1.5)
    with pytest.raises(ValueError, match='one loss per learning rate'): suggest_lrs([1e-3, 1e-2], [1.], plot=False)
    with pytest.raises(ValueError, match='at least 2 finite losses'): suggest_lrs([1e-3, 1e-2], [1., float('nan')], plot=False)
    with pytest.raises(ValueError, match='start_lr < end_lr'): tiny_learner().lr_find(start_lr=1., end_lr=1e-3, plot=False)

def test_learner_rejects_bad_arguments():
    with pytest.raises(TypeError, match='loss_func must be callable'): Learner(nn.Linear(4, 2), tiny_data(), 'cross_entropy')
    with pytest.raises(TypeError, match='dls must have .train and .valid'): Learner(nn.Linear(4, 2), tiny_data().train, F.cross_entropy)
    with pytest.raises(TypeError, match='model must be an nn.Module'): Learner(lambda x: x, tiny_data(), F.cross_entropy)
    with pytest.raises(ValueError, match='n_epochs must be a whole number'): tiny_learner().fit(-1)
    learn = Learner(nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2)), tiny_data(), F.cross_entropy,
                    splitter=lambda m: [list(m[0].parameters()), list(m[1].parameters())])
    with pytest.raises(IndexError, match=r'2 parameter groups, so n must be in -2\.\.1'): learn.freeze_to(2)

def test_get_preds_and_predict_on_nothing():
    learn = tiny_learner()
    with pytest.raises(ValueError, match='loader has no batches'): learn.get_preds(dl=TensorLoader(torch.zeros(0, 4), torch.zeros(0)))
    with pytest.raises(ValueError, match='empty tensor'): learn.predict(torch.zeros(0, 4))
    p, t = learn.get_preds()
    assert p.shape == (16, 2) and torch.equal(t, tiny_data().valid.tensors[1])

def test_discriminative_learning_rates_and_freeze():
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    learn = Learner(model, tiny_data(), F.cross_entropy, splitter=lambda m: [list(m[0].parameters()), list(m[2].parameters())])
    learn.freeze()
    assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]
    w0, h0 = model[0].weight.clone(), model[2].weight.clone(); learn.fit(1)
    assert torch.equal(w0, model[0].weight)            # frozen group did not move
    assert not torch.equal(h0, model[2].weight)        # ... while the head trained
    learn.unfreeze().fit(1, lr=slice(1e-4, 1e-2))
    assert [round(g['lr'], 8) for g in learn.opt.param_groups] == [1e-4, 1e-2]

def test_a_callback_may_not_shadow_a_learner_attribute_and_leaves_with_its_attribute():
    from coursekit.callback import Callback, snake_name
    from coursekit.metrics import MetricsCB, accuracy
    x = torch.randn(64, 3); y = (x[:, 0] > 0).long()
    learn = Learner(nn.Linear(3, 2), DataLoaders.from_tensors(x, y, torch.arange(64) % 4 == 0, bs=16), F.cross_entropy)
    class ModelCB(Callback): pass
    class FitCB(Callback): pass
    with pytest.raises(ValueError, match="learn.model, which is already the Learner's own 'model'"): learn.add_cbs([ModelCB()])
    with pytest.raises(ValueError, match="learn.fit"): learn.add_cbs([FitCB()])
    assert isinstance(learn.model, nn.Linear) and not any(isinstance(c, (ModelCB, FitCB)) for c in learn.cbs)
    class ExtraCB(Callback): pass
    extra = ExtraCB()
    learn.fit(1, cbs=[extra, MetricsCB(accuracy)])
    assert not hasattr(learn, 'extra') and not hasattr(learn, 'metrics')                # removed with their callbacks
    assert snake_name('LRFinderCB') == 'lr_finder' and snake_name('GatherPredsCB') == 'gather_preds'

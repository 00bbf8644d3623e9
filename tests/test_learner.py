"""Bad input to the Learner and checkpoints: each gets a clear error, and nothing runs from a checkpoint file."""
import pickle
import pytest
import torch
from torch import nn
import torch.nn.functional as F
from coursekit.core import set_seed
from coursekit.learner import Learner, DataLoaders, TensorLoader, MetricsCB, accuracy, save_checkpoint, load_checkpoint

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

def test_lr_find_suggests_and_restores_weights():
    learn = tiny_learner()
    before = {k: v.clone() for k, v in learn.model.state_dict().items()}
    sugg = learn.lr_find(num_it=40, plot=False)
    assert set(sugg) == {'minimum/10', 'steep'} and all(1e-8 <= v <= 10 for v in sugg.values())
    assert all(torch.equal(before[k], v) for k, v in learn.model.state_dict().items())

def test_predict_shapes():
    learn = tiny_learner()
    assert learn.predict(torch.zeros(4)).shape == (1, 2) and learn.predict(torch.zeros(3, 4)).shape == (3, 2)
    with pytest.raises(ValueError, match=r'expected one item of shape \(4,\).*got shape \(5,\)'): learn.predict(torch.zeros(5))
    with pytest.raises(TypeError, match='expects a tensor'): learn.predict([1, 2, 3, 4])

def test_checkpoint_round_trip_is_atomic(tmp_path):
    learn = tiny_learner().fit(2)
    f = learn.save(tmp_path/'m.pth', arch={'name': 'linear', 'kwargs': {'in': 4}}, vocab=['no', 'yes'])
    assert sorted(p.name for p in tmp_path.iterdir()) == ['m.pth']
    ck = load_checkpoint(f)
    assert ck['format'] == 'coursekit' and ck['vocab'] == ['no', 'yes'] and ck['arch']['kwargs'] == {'in': 4}
    other = Learner(nn.Linear(4, 2), tiny_data(), F.cross_entropy).load(f)
    assert torch.equal(other.model.weight, learn.model.weight.cpu())

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

def test_tensor_loader_covers_every_item_once_and_rejects_mismatched_lengths():
    tl = TensorLoader(torch.arange(10), bs=3, shuffle=True)
    assert len(tl) == 4 and sorted(torch.cat([b for (b,) in tl]).tolist()) == list(range(10))
    assert len(TensorLoader(torch.arange(10), bs=3, drop_last=True)) == 3
    with pytest.raises(ValueError, match='one length'): TensorLoader(torch.zeros(3), torch.zeros(4))

def test_discriminative_learning_rates_and_freeze():
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    learn = Learner(model, tiny_data(), F.cross_entropy, splitter=lambda m: [list(m[0].parameters()), list(m[2].parameters())])
    learn.freeze()
    assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]
    w0 = model[0].weight.clone(); learn.fit(1)
    assert torch.equal(w0, model[0].weight)            # frozen group did not move
    learn.unfreeze().fit(1, lr=slice(1e-4, 1e-2))
    assert [round(g['lr'], 8) for g in learn.opt.param_groups] == [1e-4, 1e-2]

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
from coursekit.tricks_harness import digits_subset, one_per_class, fit_trick, prog_sizes, TRICKS
from coursekit.metrics import paired_interval

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
    (lambda: digits_subset(5), r'n_train must be a whole number >= 10'),
    (lambda: paired_interval([0.9], [0.8]), r'at least 2 seeds'),
    (lambda: paired_interval([0.9, 0.8], [0.8]), r'equal-length'),
])
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises((ValueError, TypeError), match=match): call()

def test_progressive_resize_needs_one_size_per_epoch():
    with pytest.raises(ValueError, match=r'one size per epoch'): _learner([ProgressiveResizeCB([16, 28])]).fit(3)

def test_digits_subset_draws_every_class_at_random_and_is_seeded():
    x, y, xv, yv = digits_subset(200)
    assert x.shape == (200, 1, 28, 28) and len(xv) == len(yv) and set(y.tolist()) == set(range(10))   # the file is sorted by class
    assert torch.equal(y, digits_subset(200)[1]) and not torch.equal(y, digits_subset(200, seed=1)[1])
    assert digits_subset(50, size=14)[0].shape == (50, 1, 14, 14)

def test_one_per_class_gives_each_class_once_in_random_order():
    y = torch.arange(10).repeat_interleave(5)   # sorted, like the data
    ix = one_per_class(y)
    assert sorted(y[ix].tolist()) == list(range(10)) and y[ix].tolist() != list(range(10))
    assert torch.equal(ix, one_per_class(y)) and not torch.equal(ix, one_per_class(y, seed=1))

def test_small_resnet_without_batchnorm_has_none_and_uses_biases():
    m = small_resnet(4, bn=False)
    assert not any(isinstance(l, nn.BatchNorm2d) for l in m.modules())
    assert all(c.bias is not None for c in m.modules() if isinstance(c, nn.Conv2d))
    assert sum(isinstance(l, nn.BatchNorm2d) for l in small_resnet(4).modules()) > 0

def test_paired_interval_matches_a_hand_computation():
    a, b = [0.90, 0.92, 0.95, 0.91], [0.89, 0.90, 0.94, 0.91]
    d = torch.tensor(a, dtype=torch.float64) - torch.tensor(b, dtype=torch.float64)
    half = 3.182446305284263 * d.std() / 2   # t(0.975, 3 degrees of freedom) * sd / sqrt(4)
    m, lo, hi = paired_interval(a, b)
    assert abs(m - d.mean().item()) < 1e-12 and abs(lo - (d.mean() - half).item()) < 1e-9 and abs(hi - (d.mean() + half).item()) < 1e-9

def test_fit_trick_trains_each_trick_and_times_training_epochs():
    data = digits_subset(64, size=14)
    data = (data[0], data[1], data[2][:32], data[3][:32])
    for trick in ('baseline', 'progressive resizing', 'Mixup', 'label smoothing', 'no BatchNorm'):
        r = fit_trick(trick, 0, data, epochs=2, width=4)
        assert 0 <= r['acc'] <= 1 and r['probs'].shape == (32, 10) and len(r['learn'].train_time.epoch_secs) == 2
        assert [len(b) for b in r['learn'].train_time.batch_secs] == [1, 1]   # 64 items, batches of 64
    assert fit_trick('baseline', 0, data, epochs=1, width=4)['acc'] == fit_trick('baseline', 0, data, epochs=1, width=4)['acc']
    with pytest.raises(KeyError, match='unknown trick'): fit_trick('cutout', 0, data)

def test_progressive_resize_runs_before_augmentation():
    seen = []
    class Aug(Callback):
        order = 0
        def before_batch(self):
            if self.learn.training: seen.append(self.learn.xb[0].shape[-1])
    _learner([ProgressiveResizeCB([16, 28]), Aug()]).fit(2)
    assert set(seen) == {16, 28} and seen[0] == 16 and prog_sizes(4) == [16, 16, 28, 28] and prog_sizes(2, 14) == [8, 14]

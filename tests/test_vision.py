"""make_multidigit, random_affine, BatchAugmentCB, accuracy_multi and exact_match: results, determinism, and clear errors."""
import pytest
import torch
from coursekit.vision import make_multidigit, accuracy_multi, exact_match, random_affine, BatchAugmentCB

def digits(): return torch.rand(20, 28, 28, generator=torch.Generator().manual_seed(0)), torch.arange(20) % 10

def test_canvases_are_deterministic_and_multi_hot():
    x, y = make_multidigit(*digits(), 50, seed=3)
    x2, y2 = make_multidigit(*digits(), 50, seed=3)
    assert x.shape == (50, 48, 48) and y.shape == (50, 10) and y.sum(1).max() <= 3 and (y.sum(1) == 0).any()
    assert torch.equal(x, x2) and torch.equal(y, y2)                  # the same seed gives the same images, not only labels
    x3, _ = make_multidigit(*digits(), 50, seed=4)
    assert not torch.equal(x, x3)                                     # and the seed matters

def test_each_label_is_pasted_on_its_canvas():
    "A canvas's ink comes only from the digits its target names: one white digit per class makes this checkable."
    images, labels = torch.zeros(10, 28, 28), torch.arange(10)
    images[3] = 1.                                                    # only the 3 has ink
    x, y = make_multidigit(images, labels, 200, seed=0)
    assert torch.equal(x.flatten(1).amax(1) > 0, y[:, 3] == 1)

@pytest.mark.parametrize('images, labels, n, kw, match', [
    (torch.rand(10, 1, 28, 28), torch.arange(10), 1, {}, r'float tensor \(n, h, w\)'),
    ((torch.rand(10, 28, 28) * 255).byte(), torch.arange(10), 1, {}, r'float tensor \(n, h, w\)'),
    (torch.rand(10, 28, 28), torch.arange(9), 1, {}, r'one per image'),
    (torch.rand(10, 28, 28), torch.arange(10.), 1, {}, r'integer tensor'),
    (torch.rand(10, 28, 28), torch.arange(10) + 1, 1, {}, r'digits 0-9'),
    (torch.rand(10, 28, 28), torch.arange(10), -1, {}, r'n=-1'),
    (torch.rand(10, 28, 28), torch.arange(10), 1, {'scale': (0.9, 0.5)}, r'low <= high'),
])
def test_bad_inputs_to_make_multidigit(images, labels, n, kw, match):
    with pytest.raises(ValueError, match=match): make_multidigit(images, labels, n, **kw)

def test_bad_arguments_name_the_limit():
    with pytest.raises(ValueError, match='at most 10'): make_multidigit(*digits(), 1, max_digits=11)
    with pytest.raises(ValueError, match=r'too small.*use size >= \d+'): make_multidigit(*digits(), 1, size=24, max_digits=3)
    with pytest.raises(ValueError, match=r'none of \[9\]'): make_multidigit(torch.rand(9, 28, 28), torch.arange(9), 1)

def test_accuracy_multi_and_exact_match_values():
    p, t = torch.tensor([[3., -3., 0.1], [-2., 2., -1.]]), torch.tensor([[1., 0., 0.], [0., 1., 1.]])
    assert torch.isclose(accuracy_multi(p, t), torch.tensor(4 / 6))   # wrong: item 0 class 2, item 1 class 2
    assert exact_match(p, t) == 0 and exact_match(p, t, thresh=0.6) == 0.5
    assert accuracy_multi(p.sigmoid(), t, sigmoid=False) == accuracy_multi(p, t)

@pytest.mark.parametrize('fn', [accuracy_multi, exact_match])
def test_multi_label_metrics_reject_bad_input(fn):
    p, t = torch.zeros(4, 10), torch.zeros(4, 10)
    with pytest.raises(ValueError, match='same shape'): fn(p, t[:, :9])
    with pytest.raises(ValueError, match='same shape'): fn(p[0], t)
    with pytest.raises(TypeError, match='multi-hot floats'): fn(p, t.long())
    with pytest.raises(ValueError, match='non-empty'): fn(p[:0], t[:0])
    with pytest.raises(ValueError, match='non-empty'): fn(p[0], t[0])
    with pytest.raises(TypeError, match='must be tensors'): fn(p.tolist(), t)

def test_random_affine_identity_shape_and_randomness():
    x = torch.rand(3, 1, 48, 48)
    assert torch.allclose(random_affine(x, 0, 0, 0), x, atol=1e-5)
    y = random_affine(x)
    assert y.shape == x.shape and (y - x).abs().max() > 0.05
    torch.manual_seed(0); a = random_affine(x[:1].expand(4, -1, -1, -1))
    assert not torch.allclose(a[0], a[1])                             # each image of the batch gets its own transform

def test_random_affine_rejects_bad_input():
    with pytest.raises(ValueError, match=r'\(n, c, h, w\).*x\[:, None\]'): random_affine(torch.rand(3, 48, 48))
    with pytest.raises(ValueError, match=r'float batch'): random_affine(torch.zeros(3, 1, 48, 48, dtype=torch.uint8))
    with pytest.raises(ValueError, match='must be >= 0'): random_affine(torch.rand(3, 1, 48, 48), max_rotate=-5)

def test_batch_augment_needs_a_function():
    with pytest.raises(TypeError, match='function of a batch'): BatchAugmentCB(tfm=0.1)

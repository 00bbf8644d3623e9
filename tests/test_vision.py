"""make_multidigit and accuracy_multi: bad input gets a clear error naming the limit; canvases keep the split."""
import pytest
import torch
from coursekit.vision import make_multidigit, accuracy_multi, random_affine

def digits(): return torch.rand(20, 28, 28), torch.arange(20) % 10

def test_canvases_are_deterministic_and_multi_hot():
    x, y = make_multidigit(*digits(), 50, seed=3)
    x2, y2 = make_multidigit(*digits(), 50, seed=3)
    assert x.shape == (50, 48, 48) and y.shape == (50, 10) and y.sum(1).max() <= 3 and (y.sum(1) == 0).any()
    assert torch.equal(y, y2)

def test_bad_arguments_name_the_limit():
    with pytest.raises(ValueError, match='at most 10'): make_multidigit(*digits(), 1, max_digits=11)
    with pytest.raises(ValueError, match=r'too small.*use size >= \d+'): make_multidigit(*digits(), 1, size=24, max_digits=3)
    with pytest.raises(ValueError, match=r'none of \[9\]'): make_multidigit(torch.rand(9, 28, 28), torch.arange(9), 1)

def test_accuracy_multi_rejects_mismatched_shapes_and_int_targets():
    p, t = torch.zeros(4, 10), torch.zeros(4, 10)
    assert accuracy_multi(p - 1, t) == 1
    with pytest.raises(ValueError, match='same shape'): accuracy_multi(p, t[:, :9])
    with pytest.raises(TypeError, match='multi-hot floats'): accuracy_multi(p, t.long())

def test_random_affine_identity_and_shape():
    x = torch.rand(3, 1, 48, 48)
    assert torch.allclose(random_affine(x, 0, 0, 0), x, atol=1e-5)
    assert random_affine(x).shape == x.shape

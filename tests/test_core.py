"""Bad input to the public functions of core, data, tensors and sgd gets a clear error naming what is wrong."""
import pytest, torch
from coursekit.core import emb_sz_rule, plot_function, show_images, bf16_ok
from coursekit.data import DataError, download, extract, load_mnist
from coursekit.tensors import PixelSimilarity, mnist_distance
from coursekit.sgd import BasicOptim, sgd_step

def test_emb_sz_rule_refuses_no_categories():
    with pytest.raises(ValueError, match='at least one category'): emb_sz_rule(0)
    assert emb_sz_rule(1) == 2

def test_plot_function_refuses_a_reduction_and_an_empty_range():
    pytest.importorskip('matplotlib')
    with pytest.raises(ValueError, match=r'f returned shape \(\) for 100 points'): plot_function(lambda x: x.sum())
    with pytest.raises(ValueError, match='min < max'): plot_function(torch.sin, min=2, max=2)
    with pytest.raises(ValueError, match='at least 2 points'): plot_function(torch.sin, n=1)

def test_show_images_refuses_empty_and_mismatched_titles():
    pytest.importorskip('matplotlib')
    with pytest.raises(ValueError, match='no images'): show_images([])
    with pytest.raises(ValueError, match='one title per image'): show_images(torch.rand(2, 4, 4), titles=['a'])

def test_download_refuses_a_malformed_sha256_before_any_request(tmp_path):
    # port 9 (discard) on localhost: were a request made, the error would be 'Could not reach', not the sha256 message
    with pytest.raises(DataError, match='sha256 must be 64 hex digits'): download('http://127.0.0.1:9/f.bin', 'abc123', tmp_path/'f.bin')
    assert not (tmp_path/'f.bin').exists()

def test_extract_says_when_the_archive_is_missing(tmp_path):
    with pytest.raises(DataError, match='does not exist'): extract(tmp_path/'nope.zip', tmp_path/'out')

@pytest.mark.parametrize('digits, msg', [((3, 12), r'\[12\] are not'), ((), 'non-empty'), (3, 'pass a tuple'), ((3.0,), r'\[3.0\] are not')])
def test_load_mnist_refuses_bad_digits(digits, msg):
    with pytest.raises(DataError, match=msg): load_mnist(digits=digits)

def test_mnist_distance_refuses_shapes_that_would_fail_deep_in_torch():
    x, ideals = torch.rand(5, 28, 28), torch.rand(2, 28, 28)
    assert mnist_distance(x[:, None], ideals).shape == (5, 2)
    with pytest.raises(ValueError, match='do not broadcast'): mnist_distance(x, ideals)
    with pytest.raises(ValueError, match='image sizes differ'): mnist_distance(x, torch.rand(28, 14))
    with pytest.raises(ValueError, match='images need two axes'): mnist_distance(torch.rand(28), ideals)
    with pytest.raises(TypeError, match='must be a tensor'): mnist_distance(x.tolist(), ideals)

def test_pixel_similarity_refuses_empty_integer_and_wrong_size_images():
    x, y = torch.rand(6, 28, 28), torch.tensor([3, 7] * 3)
    with pytest.raises(ValueError, match='no images'): PixelSimilarity().fit(x[:0], y[:0])
    with pytest.raises(TypeError, match='float images'): PixelSimilarity().fit((x * 255).byte(), y)
    with pytest.raises(ValueError, match='fit expects'): PixelSimilarity().fit(x, y[:5])
    clf = PixelSimilarity().fit(x, y)
    with pytest.raises(ValueError, match=r'got shape \(6, 14, 28\)'): clf.predict(x[:, :14])
    with pytest.raises(RuntimeError, match='call fit'): PixelSimilarity().predict(x)

def test_sgd_refuses_a_bare_tensor_no_parameters_and_a_bad_lr():
    p = torch.zeros(3, requires_grad=True)
    for bad in (lambda: sgd_step(p, 0.1), lambda: BasicOptim(p, 0.1)):
        with pytest.raises(TypeError, match='bare tensor'): bad()
    for bad in (lambda: sgd_step([], 0.1), lambda: BasicOptim([], 0.1)):
        with pytest.raises(ValueError, match='no parameters'): bad()
    for lr in (0, -1, float('nan'), float('inf')):
        with pytest.raises(ValueError, match='positive, finite learning rate'): sgd_step([p], lr)
    with pytest.raises(ValueError, match='positive, finite learning rate'): BasicOptim([{'params': [p], 'lr': -1}], 0.1)
    (p * torch.tensor([1., 2., 3.])).sum().backward()
    sgd_step([p], 0.5)
    assert p.tolist() == [-0.5, -1.0, -1.5] and p.grad.abs().sum() == 0

def test_bf16_ok_follows_the_device_and_the_cpu_probe():
    assert bf16_ok('meta') is False                                                   # neither CUDA nor a CPU
    assert bf16_ok('cpu') == bool(torch.ops.mkldnn._is_mkldnn_bf16_supported()) == bf16_ok(torch.device('cpu'))

"""Export, load in a fresh process, predict in vocab order; the upload path with real image bytes and bad uploads."""
import io, os, subprocess, sys
import numpy as np
import pytest
import torch
from PIL import Image
from coursekit.core import set_seed
from coursekit.deploy import digit_cnn, export_model, Predictor, image_to_digit, classify_upload, UploadError, register_arch

def png_bytes(arr, fmt='PNG'):
    buf = io.BytesIO(); Image.fromarray(arr).save(buf, format=fmt); return buf.getvalue()

def a_seven():
    "A hand-drawn-like 7: dark strokes on white, 120x120."
    a = np.full((120, 120), 255, np.uint8); a[20:30, 25:95] = 0
    for i in range(70): a[30 + i, 90 - i // 2:100 - i // 2] = 0
    return a

@pytest.fixture
def exported(tmp_path):
    set_seed(0)
    model = digit_cnn(width=4)
    with torch.no_grad(): model[-2][0].bias.copy_(torch.arange(10.))   # make class 9 the most likely, whatever the input
    return export_model(model, tmp_path/'m.pth', 'digit_cnn', [f'd{i}' for i in range(10)], width=4), model

def test_load_in_a_fresh_process_returns_label_and_probs_in_vocab_order(exported, tmp_path):
    f, model = exported
    np.save(tmp_path/'x.npy', np.random.rand(1, 28, 28).astype('float32'))
    code = (f"import numpy as np, torch; from coursekit.deploy import Predictor; p = Predictor.load(r'{f}'); "
            f"l, pr = p.predict(torch.from_numpy(np.load(r'{tmp_path/'x.npy'}'))); print(l, *pr.tolist(), next(p.model.parameters()).device)")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True,
                         env={**os.environ, 'COURSEKIT_DEVICE': 'cpu'}).stdout.split()
    probs = torch.tensor([float(v) for v in out[1:-1]])
    assert out[-1] == 'cpu' and abs(probs.sum().item() - 1) < 1e-5
    model.eval()
    with torch.no_grad(): ref = model(torch.from_numpy(np.load(tmp_path/'x.npy'))[None]).softmax(-1)[0]
    assert torch.allclose(probs, ref, atol=1e-5) and out[0] == f'd{int(ref.argmax())}'

def test_unknown_architecture_and_missing_vocab(tmp_path):
    from coursekit.learner import save_checkpoint
    f = save_checkpoint(digit_cnn(width=4), tmp_path/'a.pth', {'name': 'mystery_net', 'kwargs': {}}, vocab=list('0123456789'))
    with pytest.raises(ValueError, match="'mystery_net', which is not registered"): Predictor.load(f)
    g = save_checkpoint(digit_cnn(width=4), tmp_path/'b.pth', {'name': 'digit_cnn', 'kwargs': {'width': 4}})
    with pytest.raises(ValueError, match='no vocab'): Predictor.load(g)
    with pytest.raises(ValueError, match='Register the builder'): export_model(digit_cnn(width=4), tmp_path/'c.pth', 'nope', ['a'])

def test_real_image_bytes_become_an_mnist_style_digit():
    for fmt in ('PNG', 'JPEG'):
        x = image_to_digit(png_bytes(a_seven(), fmt))
        assert x.shape == (1, 28, 28) and 0 <= x.min() and x.max() <= 1
        ink = torch.nonzero(x[0] > 0.05)
        assert (ink.max(0).values - ink.min(0).values + 1).max() <= 21  # scaled to fit a 20x20 box
        r, c = torch.arange(28.), torch.arange(28.)
        com = ((x[0].sum(1) * r).sum() / x[0].sum(), (x[0].sum(0) * c).sum() / x[0].sum())
        assert all(abs(v - 13.5) < 1.5 for v in com)                    # centre of mass in the middle, as MNIST

@pytest.mark.parametrize('data, match', [
    (b'', 'empty'),
    (b'GIF89a-but-not-really', 'not an image'),
    (b'\x89PNG' + bytes(6_000_001), 'limit is 5 MB'),
    (None, 'looks blank'),
])
def test_bad_uploads_become_messages(exported, data, match):
    if data is None: data = png_bytes(np.full((50, 50), 255, np.uint8))
    with pytest.raises(UploadError, match=match): image_to_digit(data)
    r = classify_upload(Predictor.load(exported[0]), data)
    assert set(r) == {'error'} and match.split()[0] in r['error']

def test_too_many_pixels_is_refused_before_decoding():
    big = png_bytes(np.zeros((3000, 3000), np.uint8))
    with pytest.raises(UploadError, match='megapixels'): image_to_digit(big, max_pixels=1_000_000)

def test_upload_is_classified(exported):
    r = classify_upload(Predictor.load(exported[0]), png_bytes(a_seven()))
    assert r['label'] == 'd9' and r['probs'].shape == (10,) and r['image'].shape == (28, 28)

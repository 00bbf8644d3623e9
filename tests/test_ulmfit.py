"""coursekit.ulmfit and coursekit.vocab_transfer: the LSTM language model, perplexity, word vectors, new vocabulary rows, padded batches, concat pooling."""
import math
import pytest, torch
from torch import nn
import torch.nn.functional as F
from coursekit.text import Vocab
from coursekit.ulmfit import LSTMEncoder, LSTMLanguageModel, perplexity, PaddedBatches, PoolingClassifier, classifier_splitter
from coursekit.vocab_transfer import extend_vocab, grow_embeddings

def test_decoder_is_tied_and_scores_every_id():
    lm = LSTMLanguageModel(50, n_emb=8, n_hidden=16)
    assert lm.decoder.weight is lm.encoder.emb.weight
    assert lm(torch.randint(0, 50, (3, 7))).shape == (3, 7, 50)

def test_perplexity_of_a_uniform_model_is_the_vocabulary_size():
    class Uniform(nn.Module):
        def __init__(self): super().__init__(); self.w = nn.Parameter(torch.zeros(1))
        def forward(self, x): return torch.zeros(*x.shape, 37) + self.w
    docs = [torch.randint(0, 37, (200,)) for _ in range(3)]
    assert math.isclose(perplexity(Uniform(), docs, bs=4, seq_len=10), 37, rel_tol=1e-5)
    lm = LSTMLanguageModel(37, n_emb=8, n_hidden=8)
    ce = F.cross_entropy(lm.eval()(torch.cat(docs)[None, :-1])[0], torch.cat(docs)[1:]).item()   # the oracle: one long row
    assert math.isclose(perplexity(lm, docs, bs=1, seq_len=600), math.exp(ce), rel_tol=1e-4)

def test_extend_vocab_keeps_old_ids_and_appends_frequent_new_tokens():
    old = Vocab([['the', 'film', 'the']], min_freq=1)
    new = extend_vocab(old, [['the', 'shyamalan', 'twist', 'shyamalan', 'twist', 'twist', 'rare']], min_freq=2)
    assert new.itos[:len(old)] == old.itos and new.itos[len(old):] == ['twist', 'shyamalan']
    assert new(['film', 'twist', 'rare']).tolist() == [old.stoi['film'], len(old), 0]
    assert old.itos == Vocab([['the', 'film', 'the']], min_freq=1).itos                          # the original is unchanged

def test_grow_embeddings_new_rows_start_at_the_mean_and_stay_tied():
    torch.manual_seed(0)
    lm = LSTMLanguageModel(20, n_emb=6, n_hidden=8)
    W, b = lm.encoder.emb.weight.detach().clone(), lm.decoder.bias.detach().clone()
    grow_embeddings(lm, 25)
    assert torch.equal(lm.encoder.emb.weight[:20].detach(), W) and torch.equal(lm.decoder.bias[:20].detach(), b)
    assert torch.allclose(lm.encoder.emb.weight[20:].detach(), W.mean(0).expand(5, -1))
    assert lm.decoder.weight is lm.encoder.emb.weight and lm(torch.tensor([[24]])).shape == (1, 1, 25)
    with pytest.raises(ValueError, match='more than n_vocab=10'): grow_embeddings(lm, 10)

def test_padding_does_not_change_a_texts_prediction():
    torch.manual_seed(0)
    clf = PoolingClassifier(LSTMEncoder(30, n_emb=8, n_hidden=8)).eval()
    docs, y = [torch.randint(2, 30, (n,)) for n in (3, 9, 5)], torch.tensor([0, 1, 0])
    (x, lens, yb), = PaddedBatches(docs, y, bs=3)
    assert x.shape == (3, 9) and lens.tolist() == [3, 9, 5] and (x[0, 3:] == 1).all()
    with torch.no_grad():
        batched = clf(x, lens)
        alone = torch.cat([clf(d[None], torch.tensor([len(d)])) for d in docs])
    assert torch.allclose(batched, alone, atol=1e-5)
    assert [len(g) for g in classifier_splitter(clf)] == [1, 4, 4, 8]

def test_padded_batches_cut_long_texts_and_reject_bad_input():
    (x, lens, _), = PaddedBatches([torch.arange(2, 100)], torch.tensor([1]), max_len=60)
    assert x.shape == (1, 60) and lens.tolist() == [60]
    with pytest.raises(ValueError, match='2 texts but 1 labels'): PaddedBatches([torch.arange(3), torch.arange(3)], torch.tensor([1]))
    with pytest.raises(ValueError, match=r'token ids of shape \(batch, len\)'): LSTMEncoder(10)(torch.rand(2, 3))

def test_stage2_reads_no_validation_film_unless_asked():
    "Stage 2's corpus (the notebook's and bench/ulmfit.py's) holds no review or plot of a validation film by default."
    from coursekit.data import load_reviews
    from coursekit.vocab_transfer import stage2_texts
    rv = load_reviews()
    valid_reviews = set(rv.df.text[rv.is_valid])
    valid_plots = {p for p, v in zip(rv.plots, rv.plots_valid) if v and isinstance(p, str)}
    assert len(valid_plots) > 100 and len(valid_reviews) > 1000   # the packaged data has both, so the check below has teeth
    train_side = set(rv.df.text[~rv.is_valid]) | {p for p, v in zip(rv.plots, rv.plots_valid) if not v and isinstance(p, str)}
    texts = stage2_texts(rv)   # (a few snippets occur word for word under films of both sets; those count as training text)
    assert not (set(texts) & (valid_reviews | valid_plots)) - train_side, 'stage 2 would read text about validation films'
    assert len(texts) == (~rv.is_valid).sum() + sum(isinstance(p, str) and not v for p, v in zip(rv.plots, rv.plots_valid))
    both = set(stage2_texts(rv, include_valid=True))   # fastbook's choice, only when asked
    assert valid_plots <= both and valid_reviews <= both

def test_gradual_unfreeze_skips_empty_steps():
    "(1, 0, 0) trains the head alone and leaves the encoder as it was; (0, 0, 1) trains the encoder from the first step."
    from coursekit.learner import Learner
    from coursekit.loaders import DataLoaders
    from coursekit.ulmfit import gradual_unfreeze
    def fitted(epochs):
        torch.manual_seed(0)
        docs, y = [torch.randint(2, 30, (6,)) for _ in range(16)], torch.randint(0, 2, (16,))
        learn = Learner(PoolingClassifier(LSTMEncoder(30, n_emb=8, n_hidden=8)), DataLoaders(PaddedBatches(docs, y, bs=8), PaddedBatches(docs, y, bs=8)),
                        F.cross_entropy, splitter=classifier_splitter, default_cbs=False)
        before = {k: v.clone() for k, v in learn.model.encoder.state_dict().items()}
        gradual_unfreeze(learn, 1e-2, epochs)
        return all(torch.equal(v, learn.model.encoder.state_dict()[k]) for k, v in before.items())
    assert fitted((1, 0, 0)) and not fitted((0, 0, 1))

def test_grow_embeddings_starts_new_rows_at_given_vectors():
    torch.manual_seed(0)
    lm = LSTMLanguageModel(20, n_emb=6, n_hidden=8)
    W, rows = lm.encoder.emb.weight.detach().clone(), torch.randn(5, 6)
    grow_embeddings(lm, 25, new_rows=rows)
    assert torch.equal(lm.encoder.emb.weight[:20].detach(), W) and torch.allclose(lm.encoder.emb.weight[20:].detach(), rows)
    assert lm.decoder.weight is lm.encoder.emb.weight
    with pytest.raises(ValueError, match=r'new_rows must have shape \(5, 6\)'): grow_embeddings(LSTMLanguageModel(20, n_emb=6, n_hidden=8), 25, new_rows=torch.randn(4, 6))

def test_pretrained_word_vectors_match_an_svd_of_minilms_rows():
    "The oracle: numpy's SVD of MiniLM's centred WordPiece rows, the same mean-of-pieces and scaling (directions equal up to sign)."
    import numpy as np
    from coursekit.transformer import load_encoder
    from coursekit.vocab_transfer import pretrained_word_vectors
    words = ['xxunk', 'xxmaj', 'good', 'great', 'table', 'spielberg', "n't"]
    v, found = pretrained_word_vectors(words, n_dim=16)
    assert found.tolist() == [True, False, True, True, True, True, True] and v.shape == (7, 16) and not v[1].any()
    tok, bert = load_encoder()
    W = bert.embeddings.word_embeddings.weight.detach().double().numpy()
    mu = W.mean(0); P = np.linalg.svd(W - mu, full_matrices=False)[2][:16].T
    scale = ((W - mu) @ P).std(ddof=1)
    ref = np.stack([(W[tok(w, add_special_tokens=False)['input_ids']].mean(0) - mu) @ P / scale for w in words[2:]])
    got = v[2:].double().numpy()
    assert np.allclose(got * np.sign((got * ref).sum(0)), ref, atol=1e-3)
    assert torch.equal(pretrained_word_vectors(['good'], n_dim=16)[0][0], v[2])          # the same vector every call
    u = F.normalize(v[2:5], dim=1)
    assert u[0] @ u[1] > u[0] @ u[2] + 0.2                                                 # good is nearer great than table
    with pytest.raises(ValueError, match='n_dim must be in 1..384'): pretrained_word_vectors(['good'], n_dim=500)

def test_fit_text_classifier_learns_a_separable_task_and_scores_once():
    "Texts of tokens 2-15 are class 0, of tokens 16-29 class 1: the classifier must learn it (0.875 measured); one validation row at the end."
    import numpy as np
    from coursekit.ulmfit import fit_text_classifier
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 2, (440,), generator=g)
    docs = [torch.randint(2 + 14 * int(c), 16 + 14 * int(c), (8,), generator=g) for c in y]
    torch.manual_seed(0)
    learn = fit_text_classifier(LSTMEncoder(30, n_emb=8, n_hidden=8), docs, y, np.arange(400), np.arange(400, 440))
    assert len(learn.recorder.epoch_rows) == 1 and learn.recorder.epoch_rows[0]['accuracy'] > 0.75, learn.recorder.epoch_rows   # chance: 0.5

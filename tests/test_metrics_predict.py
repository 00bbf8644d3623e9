"""Metrics on the whole validation set (scikit-learn as the oracle), no stale metrics across fits, and `predict`/`get_preds`
on integer ids (a collab model) and on a model of two inputs, through the same validation pass that `fit` runs."""
import numpy as np
import pytest
import torch
from torch import nn
import torch.nn.functional as F
from sklearn import metrics as skm
from coursekit.core import set_seed
from coursekit.learner import Learner
from coursekit.loaders import DataLoaders, TensorLoader
from coursekit.metrics import MetricsCB, MeanMetric, accuracy, batch_accuracy
from coursekit.callback import Callback
from coursekit.vision import accuracy_multi, exact_match
from coursekit.tabular import rmse
from coursekit.collab import DotProductBias

def fit_and_gather(model, x, y, loss, *fns, n=200, n_valid=50, bs=8, epochs=2):
    "Fit `model` with `MetricsCB(*fns)`; return the last epoch's metrics and the validation predictions and targets."
    set_seed(0)
    is_valid = torch.zeros(n, dtype=torch.bool); is_valid[:n_valid] = True
    assert n_valid % (2 * bs) != 0                                    # validation batches of 2*bs: the last one is smaller
    learn = Learner(model, DataLoaders.from_tensors(x, y, is_valid, bs=bs), loss, lr=0.05, cbs=[MetricsCB(*fns)]).fit(epochs)
    return learn, learn.recorder.epoch_rows[-1], learn.get_preds()

def test_rmse_on_uneven_batches_equals_sklearn_on_the_whole_set():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(200, 3, generator=g); y = x @ torch.tensor([1., -2., .5]) + torch.randn(200, generator=g) * (1 + 3 * (torch.arange(200) < 3))
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0))
    learn, row, (p, t) = fit_and_gather(model, x, y, F.mse_loss, rmse)
    want = float(np.sqrt(skm.mean_squared_error(t.numpy(), p.numpy())))
    assert row['rmse'] == pytest.approx(want, rel=1e-6)
    per_batch = np.mean([rmse(p[i:i + 16], t[i:i + 16]) for i in range(0, 50, 16)])   # what averaging over batches gave
    assert abs(per_batch - want) > 1e-3                                                   # so the test can tell the two apart

def test_accuracy_and_batch_accuracy_equal_sklearn():
    g = torch.Generator().manual_seed(2)
    x = torch.randn(200, 4, generator=g); y = (x[:, 0] + 0.8 * torch.randn(200, generator=g) > 0).long()
    _, row, (p, t) = fit_and_gather(nn.Linear(4, 2), x, y, F.cross_entropy, accuracy)
    assert row['accuracy'] == pytest.approx(skm.accuracy_score(t.numpy(), p.argmax(1).numpy()), abs=1e-6)
    one = nn.Sequential(nn.Linear(4, 1), nn.Flatten(0))
    _, row, (p, t) = fit_and_gather(one, x, y.float(), F.binary_cross_entropy_with_logits, batch_accuracy)
    assert row['batch_accuracy'] == pytest.approx(skm.accuracy_score(t.numpy(), (p.sigmoid() > 0.5).numpy()), abs=1e-6)

def test_multilabel_metrics_equal_sklearn():
    g = torch.Generator().manual_seed(3)
    x = torch.randn(200, 5, generator=g); y = ((x[:, :3] + torch.randn(200, 3, generator=g)) > 0.3).float()
    _, row, (p, t) = fit_and_gather(nn.Linear(5, 3), x, y, F.binary_cross_entropy_with_logits, accuracy_multi, exact_match)
    dec = (p.sigmoid() > 0.5).numpy().astype(int); tt = t.numpy().astype(int)
    assert row['accuracy_multi'] == pytest.approx(1 - skm.hamming_loss(tt, dec), abs=1e-6)
    assert row['exact_match'] == pytest.approx(skm.accuracy_score(tt, dec), abs=1e-6)            # subset accuracy

def test_a_metrics_callback_of_one_fit_leaves_no_stale_values():
    g = torch.Generator().manual_seed(4)
    x = torch.randn(64, 4, generator=g); y = (x[:, 0] > 0).long()
    learn = Learner(nn.Linear(4, 2), DataLoaders.from_tensors(x, y, torch.arange(64) % 4 == 0, bs=8), F.cross_entropy)
    learn.fit(1, cbs=[MetricsCB(accuracy)])
    assert 'accuracy' in learn.recorder.epoch_rows[-1]
    learn.fit(1)
    assert 'accuracy' not in learn.recorder.epoch_rows[-1] and set(learn.recorder.epoch_rows[-1]) == {'epoch', 'train_loss', 'valid_loss', 'time'}

def collab_data(n_users=30, n_items=20, seed=5):
    "Ratings from a rank-2 user x item structure; x holds (user, item) long ids."
    g = torch.Generator().manual_seed(seed)
    u, i = torch.randn(n_users, 2, generator=g), torch.randn(n_items, 2, generator=g)
    x = torch.cartesian_prod(torch.arange(n_users), torch.arange(n_items))
    y = ((u[x[:, 0]] * i[x[:, 1]]).sum(1) + 2.75).clamp(0.5, 5)
    return x, y

def test_predict_on_a_trained_collab_model_takes_long_user_item_ids():
    x, y = collab_data()
    set_seed(0)
    is_valid = torch.rand(len(x), generator=torch.Generator().manual_seed(6)) < 0.2
    learn = Learner(DotProductBias(30, 20, n_factors=4), DataLoaders.from_tensors(x, y, is_valid, bs=32), F.mse_loss, lr=0.03,
                    cbs=[MetricsCB(rmse)]).fit(15)
    assert x.dtype == torch.long
    p_valid, t_valid = learn.get_preds()
    assert float(torch.sqrt(F.mse_loss(p_valid, t_valid))) < 0.5 * float(t_valid.std())   # it learned the structure
    one = learn.predict(torch.tensor([3, 7]))                                               # one (user, item) pair
    assert one.shape == (1,) and abs(float(one[0]) - float(y[3 * 20 + 7])) < 1.0
    pairs = x[is_valid][:5]
    torch.testing.assert_close(learn.predict(pairs), p_valid[:5])                            # same pass, same numbers
    with pytest.raises(TypeError, match='trained on torch.int64'): learn.predict(torch.tensor([3., 7.]))
    with pytest.raises(ValueError, match=r'expected one item of shape \(2,\)'): learn.predict(torch.tensor([3, 7, 1]))

class TwoInputs(nn.Module):
    "A model of two inputs: token ids (n, 4) through an embedding, and a float feature (n, 1)."
    def __init__(self):
        super().__init__(); self.emb, self.lin = nn.Embedding(10, 3), nn.Linear(3 + 1, 2)
    def forward(self, ids, feat): return self.lin(torch.cat([self.emb(ids).mean(1), feat], 1))

def test_predict_and_get_preds_on_a_model_of_two_inputs():
    g = torch.Generator().manual_seed(7)
    ids, feat = torch.randint(0, 10, (120, 4), generator=g), torch.randn(120, 1, generator=g)
    y = ((ids == 3).float().sum(1) + 2 * feat[:, 0] > 0.5).long()                       # needs both inputs
    is_valid = torch.arange(120) % 4 == 0
    dl = lambda m: TensorLoader(ids[m], feat[m], y[m], bs=8, shuffle=not m.equal(is_valid))
    set_seed(0)
    learn = Learner(TwoInputs(), DataLoaders(dl(~is_valid), dl(is_valid)), F.cross_entropy, lr=0.05, cbs=[MetricsCB(accuracy)]).fit(20)
    p, t = learn.get_preds()
    assert p.shape == (30, 2) and torch.equal(t, y[is_valid])
    assert learn.recorder.epoch_rows[-1]['accuracy'] == pytest.approx(skm.accuracy_score(t.numpy(), p.argmax(1).numpy()), abs=1e-6)
    assert learn.recorder.epoch_rows[-1]['accuracy'] > 0.8
    torch.testing.assert_close(learn.predict(ids[is_valid], feat[is_valid]), p)
    assert learn.predict(ids[0], feat[0]).shape == (1, 2)                                    # one item: a batch of one
    with pytest.raises(TypeError, match='got 1 input'): learn.predict(ids[0])
    with pytest.raises(ValueError, match='different numbers of items'): learn.predict(ids[:3], feat[:2])

def test_prediction_passes_run_the_learners_callbacks_but_not_the_recording_ones():
    class CountCB(Callback):
        def __init__(self): self.n = 0
        def after_pred(self): self.n += 1
    x, y = collab_data()
    learn = Learner(DotProductBias(30, 20, n_factors=4), DataLoaders.from_tensors(x, y, torch.arange(len(x)) % 5 == 0, bs=32),
                    F.mse_loss, cbs=[CountCB(), MetricsCB(rmse)]).fit(1)
    rows, n = list(learn.recorder.epoch_rows), learn.count.n
    learn.get_preds(); learn.predict(x[:3])
    assert learn.count.n == n + len(learn.dls.valid) + 1 and learn.recorder.epoch_rows == rows

class TokenLoader:
    "Language-model-like batches of token ids (rows, seq_len): the last batch has shorter rows, as `LMLoader`'s does."
    def __init__(self, x, y, seq_len=8): self.x, self.y, self.seq_len = x, y, seq_len
    def __len__(self): return -(-self.x.shape[1] // self.seq_len)
    def __iter__(self):
        for i in range(0, self.x.shape[1], self.seq_len): yield self.x[:, i:i + self.seq_len], self.y[:, i:i + self.seq_len]

def test_mean_metric_over_tokens_is_exact_with_a_short_last_batch():
    g = torch.Generator().manual_seed(8)
    x = torch.randint(0, 12, (6, 30), generator=g); y = (x * 5 + 1) % 12                    # 30 = 3 batches of 8 + one of 6
    model = nn.Sequential(nn.Embedding(12, 12))
    def token_acc(p, t): return (p.argmax(-1) == t).float().mean()
    def lm_loss(p, t): return F.cross_entropy(p.flatten(0, 1), t.flatten())
    set_seed(0)
    learn = Learner(model, DataLoaders(TokenLoader(x, y), TokenLoader(x, y)), lm_loss, lr=0.1, cbs=[MetricsCB(MeanMetric(token_acc))]).fit(2)
    with torch.no_grad(): want = skm.accuracy_score(y.flatten().numpy(), model(x).argmax(-1).flatten().numpy())
    assert learn.recorder.epoch_rows[-1]['token_acc'] == pytest.approx(want, abs=1e-6)
    per_row = np.mean([float(token_acc(model(a), b)) for a, b in TokenLoader(x, y)])         # batches of unequal token counts
    assert abs(per_row - want) > 1e-3                                                        # so the test tells the two apart
    with pytest.raises(ValueError, match=r'differ beyond the first dimension.*MeanMetric'):
        Learner(model, DataLoaders(TokenLoader(x, y), TokenLoader(x, y)), lm_loss, cbs=[MetricsCB(token_acc)]).fit(1)

def test_f1_and_auc_are_computed_once_on_the_whole_set():
    "F1 and AUC do not decompose over batches: MetricsCB must hand the metric every validation prediction at once."
    g = torch.Generator().manual_seed(5)
    x = torch.randn(200, 4, generator=g); y = (x[:, 0] + 1.2 * torch.randn(200, generator=g) > 0.4).float()
    def f1(p, t): return torch.tensor(skm.f1_score(t.numpy(), (p > 0).numpy()))
    def auc(p, t): return torch.tensor(skm.roc_auc_score(t.numpy(), p.numpy()))
    one = nn.Sequential(nn.Linear(4, 1), nn.Flatten(0))
    _, row, (p, t) = fit_and_gather(one, x, y, F.binary_cross_entropy_with_logits, f1, auc)
    want_f1, want_auc = skm.f1_score(t.numpy(), (p > 0).numpy()), skm.roc_auc_score(t.numpy(), p.numpy())
    assert row['f1'] == pytest.approx(want_f1, abs=1e-6) and row['auc'] == pytest.approx(want_auc, abs=1e-6)
    per_batch = np.mean([skm.roc_auc_score(t[i:i + 16].numpy(), p[i:i + 16].numpy()) for i in range(0, 48, 16)])
    assert abs(per_batch - want_auc) > 1e-3                                                # batch-averaged AUC differs

# Mutations for nbs/05_collab.ipynb (format: tools/mutate.py). Retraining mutations rerun the notebook's own cell with
# one edit (`_run_edited`).

# %% C1: the tiny factor model trained for 5 steps instead of 600
_run_edited('tiny_err = max', ('range(600)', 'range(5)'))

# %% baseline: the median rating predicted instead of the mean
mean_mse = float(((df.rating[is_valid] - df.rating[~is_valid].median()) ** 2).mean())

# %% the "plain" dot product given biases and weight decay (DotProductBias in its place)
_run_edited('learn_dot = fit_collab', ('DotProduct(cd.n_users, cd.n_items), wd=0.', 'DotProductBias(cd.n_users, cd.n_items), wd=0.5'))

# %% the no-weight-decay model secretly trained with weight decay 0.5
_run_edited('learn_nowd = fit_collab', ('wd=0.)', 'wd=0.5)'))

# %% weight decay's gain claimed where there is almost none (no-wd result set 0.02 above the wd result)
nowd_mse = dpb_mse + 0.02

# %% the wd model's training losses are the no-wd model's (weight decay no longer keeps training loss higher)
learn = copy.copy(learn); learn.recorder = learn_nowd.recorder

# %% ratings shuffled among training rows (DotProductBias retrained on them)
_shuf = df.rating.to_numpy().copy(); _shuf[~is_valid] = np.random.default_rng(0).permutation(_shuf[~is_valid])
dls = CollabData(df.assign(rating=_shuf), is_valid, title='name').dataloaders(bs=256)
_run_edited('def fit_collab')                                    # its default dls is bound at definition
_run_edited('learn = fit_collab(DotProductBias')

# %% the fastai recipe here without its weight decay
_run_edited('fastai_recipe_mse, fastai_recipe_sec =', ('wd=0.1, lr=5e-3)', 'wd=0., lr=5e-3)'))

# %% scratch model whose factor tables are plain tensors, not nn.Parameter (never trained)
_run_edited('learn_scratch = fit_collab', ('DotProductBiasScratch(cd.n_users, cd.n_items)', '_NoParamFactors(cd.n_users, cd.n_items)'),
            prefix='''class _NoParamFactors(DotProductBiasScratch):
    def __init__(self, *a):
        super().__init__(*a)
        uf, itf = self.user_factors.data, self.item_factors.data
        del self.user_factors, self.item_factors
        self.user_factors, self.item_factors = uf, itf
''')

# %% EmbeddingNN trained on shuffled ratings
_shuf = df.rating.to_numpy().copy(); _shuf[~is_valid] = np.random.default_rng(0).permutation(_shuf[~is_valid])
dls = CollabData(df.assign(rating=_shuf), is_valid, title='name').dataloaders(bs=256)
_run_edited('def fit_collab')                                    # its default dls is bound at definition
_run_edited('learn_nn = fit_collab')

# %% the net as good as the dot product on every seed (its seed results replaced by the dot product's, minus 0.001)
seed_tab = seed_tab.assign(EmbeddingNN=seed_tab.DotProductBias - 0.001)

# %% C6: biases of an untrained model
_run_edited('bias_gap = ', ('m = learn.model.cpu().eval()', 'm = DotProductBias(cd.n_users, cd.n_items).eval()'))

# %% C6: neighbours from untrained (random) item factors
m = DotProductBias(cd.n_users, cd.n_items).eval()
_run_edited('nn_silence = neighbours')

# %% C6: principal components of untrained (random) item factors
m = DotProductBias(cd.n_users, cd.n_items).eval()
_run_edited('explained = ')

# %% predictions reversed (5.5 - prediction) when looking at the errors
_p, _t = learn.get_preds(); learn = copy.copy(learn); learn.get_preds = lambda: (5.5 - _p, _t)
_run_edited('low_for_liked = ')

# %% C8: "cold" ratings are a random sample of warm ones
cold = torch.zeros(len(xv), dtype=torch.bool); cold[torch.randperm(len(xv), generator=torch.Generator().manual_seed(0))[:699]] = True
cold_mse, warm_mse = err[cold].mean().item(), err[~cold].mean().item()

# %% C8: a bad fallback: row 0 gets zero factors and a bias of -2
_run_edited('cold_fix_mse = ', ("m_cold.item_factors.weight[rare].mean(0)", "0."), ("m_cold.item_bias.weight[rare].mean(0)", "-2."))

# %% C8: superfans give their promoted movies 1 star instead of 5
_run_edited('rounds = [int(r)', ('(p, 5.0) for p in promoted', '(p, 1.0) for p in promoted'))

# Mutations for nbs/07_nlp_ulmfit.ipynb: each breaks what one closing check guards (python tools/mutate.py nbs/07_nlp_ulmfit.ipynb).
# Cell indices: 24 trains the tiny LM, 29 fits TF-IDF + logistic regression.

# %% random split instead of by movie (films on both sides)
is_valid = np.random.default_rng(0).permutation(np.asarray(is_valid))

# %% TF-IDF + logistic regression refit on shuffled labels
y = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(0))]
_rerun(29, 30)

# %% tiny LM retrained on a token-shuffled stream (no context to learn, only frequencies)
_s = torch.cat(docs[:6000]); _s = _s[torch.randperm(len(_s), generator=torch.Generator().manual_seed(0))]
docs = list(_s.split([len(d) for d in docs[:6000]]))
_rerun(24, 25)

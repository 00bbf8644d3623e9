# Mutations for nbs/07b_nlp_transformers.ipynb: each breaks what one closing check guards
# (python tools/mutate.py nbs/07b_nlp_transformers.ipynb). Cell indices: 22 fits TF-IDF + logistic regression,
# 26 trains the head alone on the pooled features.

# %% random split instead of by movie (films on both sides)
is_valid = np.random.default_rng(0).permutation(np.asarray(is_valid))

# %% TF-IDF + logistic regression refit on shuffled labels
y = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(0))]
_rerun(22, 23)

# %% bfloat16 features scrambled (each text gets another text's pooled vector)
pooled = pooled32[torch.randperm(len(pooled32), generator=torch.Generator().manual_seed(0))]

# %% claim reversed: the head alone on the frozen encoder as good as TF-IDF
head_acc = tfidf_acc + 0.005

# %% layers 4-5 not fine-tuned (only the head's accuracy)
top_acc = head_acc

# %% all-layers model predicts "fresh" for every snippet (the majority baseline)
all_acc = majority_acc

# %% new embedding rows never trained (still at the mean)
moved = torch.zeros_like(moved)

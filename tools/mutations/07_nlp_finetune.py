# Mutations for nbs/07_nlp_finetune.ipynb: each breaks what one closing check guards (python tools/mutate.py nbs/07_nlp_finetune.ipynb).
# Cell indices: 27 trains the tiny LM, 32 fits TF-IDF + logistic regression.
# Each block first puts `_mut_saved` into itself: tools/mutate.py's RESTORE deletes `_mut_saved` (it is not in its own
# snapshot) and then fails on `globals().update(_mut_saved)`, so without this line rebound names leak into later mutations.

# %% random split instead of by movie (films on both sides)
_mut_saved['_mut_saved'] = _mut_saved
is_valid = np.random.default_rng(0).permutation(np.asarray(is_valid))

# %% TF-IDF + logistic regression refit on shuffled labels
_mut_saved['_mut_saved'] = _mut_saved
y = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(0))]
_rerun(32, 33)

# %% tiny LM retrained on a token-shuffled stream (no context to learn, only frequencies)
_mut_saved['_mut_saved'] = _mut_saved
_s = torch.cat(docs[:6000]); _s = _s[torch.randperm(len(_s), generator=torch.Generator().manual_seed(0))]
docs = list(_s.split([len(d) for d in docs[:6000]]))
_rerun(27, 28)

# %% bfloat16 features scrambled (each text gets another text's pooled vector)
_mut_saved['_mut_saved'] = _mut_saved
pooled = pooled32[torch.randperm(len(pooled32), generator=torch.Generator().manual_seed(0))]

# %% claim reversed: stage-1 features as good as TF-IDF
_mut_saved['_mut_saved'] = _mut_saved
head_acc = tfidf_acc + 0.005

# %% stage 2 never trained (masked-LM loss stays at a uniform guess)
_mut_saved['_mut_saved'] = _mut_saved
mlm_losses = [float(np.log(len(wp)))] * len(mlm_losses)

# %% claim reversed: stage 2 beats WordPiece frequencies
_mut_saved['_mut_saved'] = _mut_saved
mlm_losses = mlm_losses[:-5] + [mlm_unigram - 0.5] * 5

# %% layers 4-5 not fine-tuned (the stage-1 head's accuracy)
_mut_saved['_mut_saved'] = _mut_saved
acc_no2 = head_acc

# %% claim reversed: stage 2 adds three points
_mut_saved['_mut_saved'] = _mut_saved
acc_top = acc_no2 + 0.03

# %% all-layers step no better than TF-IDF
_mut_saved['_mut_saved'] = _mut_saved
final_acc = tfidf_acc + 0.005

# %% new embedding rows never trained (still at the mean)
_mut_saved['_mut_saved'] = _mut_saved
moved = torch.zeros_like(moved)

# Mutations for nbs/07_nlp_finetune.ipynb: each breaks what one closing check guards (python tools/mutate.py nbs/07_nlp_finetune.ipynb).
# Cell indices: 27 trains the tiny LM, 32 fits TF-IDF + logistic regression.

# %% random split instead of by movie (films on both sides)
is_valid = np.random.default_rng(0).permutation(np.asarray(is_valid))

# %% TF-IDF + logistic regression refit on shuffled labels
y = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(0))]
_rerun(32, 33)

# %% tiny LM retrained on a token-shuffled stream (no context to learn, only frequencies)
_s = torch.cat(docs[:6000]); _s = _s[torch.randperm(len(_s), generator=torch.Generator().manual_seed(0))]
docs = list(_s.split([len(d) for d in docs[:6000]]))
_rerun(27, 28)

# %% bfloat16 features scrambled (each text gets another text's pooled vector)
pooled = pooled32[torch.randperm(len(pooled32), generator=torch.Generator().manual_seed(0))]

# %% claim reversed: stage-1 features as good as TF-IDF
head_acc = tfidf_acc + 0.005

# %% stage 2 never trained (masked-LM loss stays at a uniform guess)
mlm_losses = [float(np.log(len(wp)))] * len(mlm_losses)

# %% claim reversed: stage 2 beats WordPiece frequencies
mlm_losses = mlm_losses[:-5] + [mlm_unigram - 0.5] * 5

# %% layers 4-5 not fine-tuned (the stage-1 head's accuracy)
acc_no2 = head_acc

# %% claim reversed: stage 2 adds three points
acc_top = acc_no2 + 0.03

# %% all-layers step no better than TF-IDF
final_acc = tfidf_acc + 0.005

# %% new embedding rows never trained (still at the mean)
moved = torch.zeros_like(moved)

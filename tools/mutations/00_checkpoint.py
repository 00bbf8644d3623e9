# %% the reloaded model gets fresh weights (state dict not loaded)
m2 = nn.Linear(3, 2)

# %% the vocab is dropped on save
ck = dict(ck, vocab=None)

# %% a loader that accepts any file torch can read, code included (no weights_only, no format check)
load_checkpoint = lambda f: torch.load(f, weights_only=False)

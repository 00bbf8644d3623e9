# %% the inf batch steps anyway (no step cancelled)
snap.moved = [True] * len(snap.moved)

# %% the scaler never lowers its scale
mp.scaler.get_scale = lambda: 65536.0

# %% autocast ignores the forced dtype
out = out.float()

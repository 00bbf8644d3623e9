# Mutations rebind names only (the tool restores globals, not objects' attributes).
# %% the inf batch steps anyway (no step cancelled)
snap = type('Snap', (), {'moved': [True] * len(snap.moved)})()

# %% the scaler never lowers its scale
mp = type('MP', (), {'scaler': type('Scaler', (), {'get_scale': staticmethod(lambda: 65536.0)})()})()

# %% autocast ignores the forced dtype
out = out.float()

# Mutations rebind names only (the tool restores globals, not objects' attributes).
# %% one rate for every group (slice ignored)
_run_edited('log = LogCB()', ('slice(1e-3, 1e-2)', '1e-2'), ('max_lr=[1e-3, 1e-2]', 'max_lr=[1e-2, 1e-2]'))

# %% no warm-up: the schedule starts at the peak
log = type('Log', (), {'lrs': [[1e-3, 1e-2]] + log.lrs[1:], 'b1': log.b1})()

# %% beta1 left constant (no momentum cycling)
log = type('Log', (), {'lrs': log.lrs, 'b1': [0.95] * len(log.b1)})()

# %% the finder's suggestion taken at the lowest loss instead of the steepest descent
s = dict(s, steep=1e-2)

# %% the step event runs before the backward pass
log.seen = [e.replace('before_backward', 'X').replace('before_step', 'before_backward').replace('X', 'before_step') for e in log.seen]

# %% the model never learned (the recorder shows flat losses)
rows = [dict(r, valid_loss=rows[0]['valid_loss']) for r in rows]

# %% the recorder keeps one rate per epoch instead of per batch
learn.recorder.lrs = learn.recorder.lrs[:1]

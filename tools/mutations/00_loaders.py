# %% the short last batch lost without drop_last (length rounded down)
TensorLoader.__len__ = lambda self: self.n // self.bs
ours = [b for i, b in enumerate(ours) if i < len(TensorLoader(x, y, bs=10))]

# %% shuffle ignored: the "shuffled" epoch comes out in order
seen = torch.cat([b for _, b in TensorLoader(x, y, bs=10, shuffle=False)])

# %% drop_last ignored
TensorLoader.__len__ = lambda self: -(-self.n // self.bs)

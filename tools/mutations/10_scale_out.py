# %% every process trains on the whole global batch (no sharding)
_run_edited('class ShardSampler', 'yield torch.tensor_split(idx[i * self.bs:(i + 1) * self.bs], self.world)[self.rank].tolist()',
            'yield idx[i * self.bs:(i + 1) * self.bs].tolist()')
_run_edited('first64 = DataLoaders(', 'first64', 'first64')

# %% validation is not gathered: each rank scores only its own block of the validation set
_run_edited('class DataParallelCB', 'cb._preds, cb._targs = ([t] for t in _all_cat(mine))', 'pass')
_run_edited('ranks = launch(train_digits', 'ranks', 'ranks')
_run_edited('same_weights = all(', 'same_weights', 'same_weights')

# %% no gradient averaging (no DDP): each process steps on its own slice alone
class NoSync(nn.Module):
    def __init__(self, m): super().__init__(); self.module = m
    def forward(self, *x): return self.module(*x)
_run_edited('class DataParallelCB', "nn.parallel.DistributedDataParallel(self.model, device_ids=[dev.index] if dev.type == 'cuda' else None)", "NoSync(self.model)")
_run_edited('ranks = launch(train_digits', 'ranks', 'ranks')
_run_edited('same_weights = all(', 'same_weights', 'same_weights')
_run_edited('first64 = DataLoaders(', 'first64', 'first64')

# %% 2 processes learn less (stand-in: their runs train 1 epoch instead of 3)
_run_edited('seeds = (42, 1, 2, 3, 4)', 'two_proc = launch(train_seeds,', 'two_proc = launch(lambda: [train_digits(s, epochs=1) for s in seeds],')
_run_edited('from scipy import stats', 'gap_acc', 'gap_acc')

# %% the CNN without batch norm: its halves would average to the whole batch, and the lesson's point would be gone
_run_edited('def grads_of(model', 'gap_cnn = halves_vs_whole(digit_cnn())', 'gap_cnn = halves_vs_whole(mlp())')

# %% rank 1 prints the epoch table too
logs = {0: logs[0], 1: logs[0]}

# %% the torchrun script fails
_run_edited("'../examples/ddp_digits.py'", "'../examples/ddp_digits.py'", "'../examples/no_such_script.py'")

# %% no check of the batch against the number of processes
_run_edited('def _shard(', 'if n < world or bs < world:', 'if n < world:')
_run_edited('errors = []', 'errors', 'errors')

# %% validation without rank 0's batch-norm statistics: each rank validates its block with its own
_run_edited('class DataParallelCB', 'if not learn.training: return self._sync_buffers()', 'if not learn.training: return')
_run_edited('ranks = launch(train_digits', 'ranks', 'ranks')
_run_edited('same_weights = all(', 'same_weights', 'same_weights')

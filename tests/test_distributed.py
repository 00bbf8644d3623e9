"Data-parallel training on 2 CPU processes (gloo over 127.0.0.1, one torch thread each) against one process with the same global batch."
import os, sys, subprocess
from pathlib import Path
import pytest
import torch
import torch.nn.functional as F
from torch import nn
import torch.distributed as dist
from coursekit.core import set_seed
from coursekit.data import load_mnist
from coursekit.loaders import DataLoaders
from coursekit.learner import Learner
from coursekit.callback import Callback
from coursekit.metrics import MetricsCB, accuracy
from coursekit.precision import MixedPrecisionCB
from coursekit.checkpoint import load_checkpoint
from coursekit.distributed import launch, DataParallelCB

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(scope='module', autouse=True)
def cpu_processes():
    "These tests train CPU processes on any machine: forked workers cannot use a GPU that the test process already initialised."
    before = os.environ.get('COURSEKIT_DEVICE')
    os.environ['COURSEKIT_DEVICE'] = 'cpu'
    yield
    if before is None: del os.environ['COURSEKIT_DEVICE']
    else: os.environ['COURSEKIT_DEVICE'] = before

class GradsCB(Callback):
    "Keep a copy of every parameter's gradient after the first backward pass (after DDP has averaged them)."
    order = 90
    def after_backward(self):
        if not hasattr(self, 'grads'): self.grads = [p.grad.detach().clone() for p in self.learn.model.parameters()]
        if not hasattr(self, 'batch_size'): self.batch_size = len(self.learn.yb[0]) # this process's share of the global batch

def mlp(): return nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))

def one_step(n_train:int, cbs=(), seed:int=0, datasets:bool=False):
    "Gradients and weights after one SGD step on the first `n_train` training digits as one global batch (torch DataLoaders if `datasets`)."
    d = load_mnist()
    x, y, v = d.x[:, None], d.y, d.is_valid
    keep = torch.zeros(len(y), dtype=torch.bool); keep[torch.nonzero(~v).view(-1)[:n_train]] = True
    keep |= v
    dls = DataLoaders.from_tensors(x[keep], y[keep], v[keep], bs=n_train)
    if datasets: dls = DataLoaders.from_datasets(list(zip(*dls.train.tensors)), list(zip(*dls.valid.tensors)), bs=n_train)
    set_seed(seed)
    grads = GradsCB()
    learn = Learner(mlp(), dls, F.cross_entropy, lr=0.1, opt_func=torch.optim.SGD, cbs=[MetricsCB(accuracy), grads, *cbs])
    learn.fit(1)
    return learn, grads.grads

def _worker(tmp:str):
    "Each rank: its stdout to a file, one step at two global batch sizes, a checkpoint saved by every rank, counting the writes."
    rank = dist.get_rank()
    sys.stdout = open(Path(tmp) / f'stdout_rank{rank}.txt', 'w')
    writes, real_save = [], torch.save
    def counting_save(obj, f, *a, **k): # the collectives also pickle through torch.save, into memory: count files only
        if isinstance(f, (str, os.PathLike)): writes.append(str(f))
        return real_save(obj, f, *a, **k)
    torch.save = counting_save
    try:
        out = {}
        for n in (64, 63): # 63: the two processes get 32 and 31 items
            learn, grads = one_step(n, cbs=[DataParallelCB()])
            out[n] = {'grads': grads, 'weights': [p.detach().clone() for p in learn.model.parameters()],
                      'table': learn.recorder.epoch_rows[-1], 'type': type(learn.model).__name__, 'batch_size': learn.grads.batch_size}
        for key, kw in [('datasets', dict(datasets=True)), ('fp16', dict(cbs=[MixedPrecisionCB(torch.float16)]))]:
            learn, grads = one_step(63, **{**kw, 'cbs': [DataParallelCB(), *kw.get('cbs', [])]})
            out[key] = {'grads': grads, 'weights': [p.detach().clone() for p in learn.model.parameters()]}
        before = [p.detach().clone() for p in learn.model.parameters()]
        learn.lr_find(num_it=5, plot=False) # saves and restores the weights around a DDP fit
        out['lr_find_restored'] = all(torch.equal(a, b) for a, b in zip(before, learn.model.parameters()))
        learn.save(Path(tmp) / 'model.pth')
        out['writes'] = writes
        return out
    finally: torch.save = real_save; sys.stdout.close(); sys.stdout = sys.__stdout__

@pytest.fixture(scope='module')
def two_ranks(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('ddp')
    return tmp, launch(_worker, str(tmp), nprocs=2, backend='gloo', threads=1)

@pytest.mark.parametrize('n', [64, 63])
def test_gradients_equal_one_process_with_the_same_global_batch(two_ranks, n):
    _, outs = two_ranks
    learn, grads = one_step(n)
    for r, out in enumerate(outs):
        assert len(out[n]['grads']) == len(grads)
        for g2, g1 in zip(out[n]['grads'], grads): torch.testing.assert_close(g2, g1, rtol=1e-5, atol=1e-6)
        for w2, w1 in zip(out[n]['weights'], learn.model.parameters()): torch.testing.assert_close(w2, w1.detach(), rtol=1e-5, atol=1e-6)
        assert out[n]['type'] == 'Sequential' # the Learner's model is unwrapped after fit
    assert [out[n]['batch_size'] for out in outs] == [(n + 1) // 2, n // 2] # each process computed its half of the batch

def test_torch_dataloaders_and_fp16_loss_scaling_match_one_process(two_ranks):
    _, outs = two_ranks
    for key, kw, tol in [('datasets', dict(datasets=True), 1e-6), ("fp16", dict(cbs=[MixedPrecisionCB(torch.float16)]), 2e-5)]:
        learn, grads = one_step(63, **kw)
        for out in outs:
            gap = max((w2 - w1.detach()).abs().max().item() for w2, w1 in zip(out[key]['weights'], learn.model.parameters()))
            assert gap < tol, (key, gap)

def test_lr_find_restores_the_weights_under_data_parallel(two_ranks):
    assert all(out['lr_find_restored'] for out in two_ranks[1])

def test_validation_is_the_whole_set_and_both_ranks_agree(two_ranks):
    _, outs = two_ranks
    learn, _ = one_step(64)
    one = learn.recorder.epoch_rows[-1]
    for out in outs:
        t = out[64]['table']
        assert abs(t['accuracy'] - one['accuracy']) < 1e-6 and abs(t['valid_loss'] - one['valid_loss']) < 1e-5
        assert abs(t['train_loss'] - one['train_loss']) < 1e-5 # the loss of the whole global batch, not of rank 0's half

def test_checkpoint_written_once_and_only_rank_0_prints(two_ranks):
    tmp, outs = two_ranks
    assert outs[0]['writes'] and all(w.startswith(str(tmp / 'model.pth')) for w in outs[0]['writes'])
    assert len(outs[0]['writes']) == 1 and outs[1]['writes'] == []
    ck = load_checkpoint(tmp / 'model.pth')
    assert not any(k.startswith('module.') for k in ck['state_dict'])
    for w, v in zip(outs[0]['fp16']['weights'], ck['state_dict'].values()): torch.testing.assert_close(w, v)
    assert 'accuracy' in (tmp / 'stdout_rank0.txt').read_text()
    assert (tmp / 'stdout_rank1.txt').read_text() == ''

def _fit_tiny_batches(): # 2 processes, a global batch of 1: nothing to split
    d = load_mnist()
    Learner(mlp(), DataLoaders.from_tensors(d.x[:, None], d.y, d.is_valid, bs=1), F.cross_entropy, cbs=[DataParallelCB()]).fit(1)

def test_more_processes_than_items_per_batch_is_a_clear_error():
    with pytest.raises(RuntimeError, match='2 processes need at least 2 items per batch'):
        launch(_fit_tiny_batches, nprocs=2, backend='gloo', threads=1)

@pytest.mark.skipif(torch.cuda.is_available(), reason='nccl works here')
def test_nccl_without_cuda_is_a_clear_error():
    with pytest.raises(ValueError, match="backend='nccl' needs CUDA GPUs"): launch(print, nprocs=2, backend='nccl')

def test_launch_inside_a_process_group_is_a_clear_error(tmp_path):
    dist.init_process_group('gloo', init_method=f'file://{tmp_path}/store', rank=0, world_size=1)
    try:
        with pytest.raises(RuntimeError, match='inside a process group that already exists'): launch(print, nprocs=2)
    finally: dist.destroy_process_group()

def test_torchrun_runs_the_script_and_rank_0_alone_writes(tmp_path):
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '--redirects', '3',
           '--log-dir', str(tmp_path / 'logs'), str(ROOT / 'examples' / 'ddp_digits.py'), '--epochs', '1', '--out', str(tmp_path / 'digits.pth')]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    outs = {p.parent.name: p.read_text() for p in (tmp_path / 'logs').rglob('stdout.log')}
    assert sorted(outs) == ['0', '1'], outs
    assert 'accuracy' in outs['0'] and 'saved' in outs['0'] and outs['1'] == ''
    assert load_checkpoint(tmp_path / 'digits.pth')['arch']['name'] == 'digit_cnn'

"""Train lesson 03's CNN on the 5,000 packaged MNIST digits, data-parallel when started by torchrun.

    torchrun --standalone --nproc_per_node 2 examples/ddp_digits.py --epochs 3   # 2 processes (gloo on CPUs, nccl on GPUs)
    python examples/ddp_digits.py --epochs 3                                     # the same code as one ordinary process

Appendix 10 (nbs/10_scale_out.ipynb) explains each piece. Only rank 0 prints and writes the checkpoint."""
import argparse
import torch.nn.functional as F
from coursekit.core import set_seed, process_rank
from coursekit.data import load_mnist
from coursekit.loaders import DataLoaders
from coursekit.learner import Learner
from coursekit.metrics import MetricsCB, accuracy
from coursekit.deploy import digit_cnn
from coursekit.distributed import DataParallelCB

def main(epochs:int=3, bs:int=64, lr:float=1e-2, out:str='models/digits_ddp.pth', seed:int=42):
    "Train, report each epoch (rank 0) and save one checkpoint."
    set_seed(seed)
    d = load_mnist()
    dls = DataLoaders.from_tensors(d.x[:, None], d.y, d.is_valid, bs=bs)   # bs is the global batch, split over the processes
    learn = Learner(digit_cnn(), dls, F.cross_entropy, cbs=[MetricsCB(accuracy), DataParallelCB()])
    learn.fit_one_cycle(epochs, lr)
    learn.save(out, arch={'name': 'digit_cnn', 'kwargs': {}}, vocab=list(range(10)))   # every rank calls it; rank 0 writes
    if process_rank() == 0: print(f'saved {out}', flush=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--epochs', type=int, default=3); p.add_argument('--bs', type=int, default=64)
    p.add_argument('--lr', type=float, default=1e-2); p.add_argument('--out', default='models/digits_ddp.pth')
    p.add_argument('--seed', type=int, default=42)
    main(**vars(p.parse_args()))

"""ULMFiT in lesson 07, over seeds: the three language models once, then the classifier on each encoder for several seeds and label budgets.

Usage: python bench/ulmfit.py [--seeds 5] [--labels 500 2000] [--seeds-large 3]   (about 12 minutes on a 2-core CPU)
(budgets above 500 labels run --seeds-large seeds, to save time)
       python bench/ulmfit.py --unfreeze [--seeds 5]   (about 10 minutes: the language models, then 3 schedules x seeds)
--unfreeze measures gradual unfreezing and discriminative rates at 500 labels on the stage 1+2 encoder, each seed paired:
ULMFiT's schedule (head 2 epochs, + top LSTM 2, all 6; rates spread over the groups by lr_mult 2.6**4) against the same 10
epochs with every group unfrozen from the start (discriminative rates), and against that with one rate for all groups.
It writes the "unfreeze" key of the same file and keeps the rest.
Writes bench/results/ulmfit.json; nbs/07_nlp_ulmfit.ipynb loads it and checks its own seed-0 run against it.
The steps and seeds are the notebook's, through the functions it exports (coursekit.text, coursekit.ulmfit).
"""
import argparse, copy, json, platform, time
from datetime import datetime
from pathlib import Path
import numpy as np, torch
from coursekit.core import set_seed
from coursekit.data import load_english, load_reviews
from coursekit.text import tokenize, Vocab
from coursekit.ulmfit import (LSTMLanguageModel, stage2_texts, perplexity, extend_vocab, grow_embeddings, fit_language_model,
                              fit_text_classifier)

UNFREEZE = {'gradual (ULMFiT)': dict(epochs=(2, 2, 6)),                      # name -> fit_text_classifier's schedule
            'all groups from the start': dict(epochs=(0, 0, 10)),
            'all groups from the start, one rate': dict(epochs=(0, 0, 10), lr_mult=1.)}

def main(seeds:int, labels:list, seeds_large:int, unfreeze:bool=False):
    t_start = time.perf_counter()
    eng, rv = load_english(), load_reviews()
    df, is_valid = rv.df, rv.is_valid
    tr, va = np.where(~is_valid)[0], np.where(is_valid)[0]
    y = torch.tensor((df.label == 'fresh').to_numpy()).long()
    toks = [tokenize(t) for t in df.text]
    e_toks = [tokenize(t) for t in eng.docs]
    e_trn_idx, e_val_idx = np.where(~eng.is_valid)[0], np.where(eng.is_valid)[0]
    vocab_en = Vocab([e_toks[i] for i in e_trn_idx], min_freq=3)
    set_seed(0)
    lm1 = LSTMLanguageModel(len(vocab_en))
    fit_language_model(lm1, [vocab_en(e_toks[i]) for i in e_trn_idx], [vocab_en(e_toks[i]) for i in e_val_idx], epochs=1, lr=3e-3)
    r_toks_lm = [tokenize(t) for t in stage2_texts(rv)]   # training reviews and the plots of training films only
    vocab = extend_vocab(vocab_en, r_toks_lm, min_freq=3)
    lm2 = grow_embeddings(copy.deepcopy(lm1), len(vocab))
    r_val = [vocab(toks[i]) for i in va]
    fit_language_model(lm2, [vocab(t) for t in r_toks_lm], r_val, epochs=1, lr=3e-3)
    set_seed(0)
    lm0 = LSTMLanguageModel(len(vocab))
    lm1x = grow_embeddings(copy.deepcopy(lm1), len(vocab))
    encoders = {'random': lm0, 'stage 1': lm1x, 'stage 1+2': lm2}
    ppl = {k: perplexity(m, r_val) for k, m in encoders.items()}
    print('review perplexity', {k: round(v) for k, v in ppl.items()}, f'({time.perf_counter() - t_start:.0f} s)', flush=True)
    ids = [vocab(t) for t in toks]
    f = Path(__file__).parent/'results'/'ulmfit.json'
    old = json.loads(f.read_text()) if f.exists() else {}
    if unfreeze:
        rows = []
        for seed in range(seeds):
            lab = np.random.default_rng(seed).choice(tr, 500, replace=False)
            for name, kw in UNFREEZE.items():
                t0 = time.perf_counter()
                acc = fit_text_classifier(lm2.encoder, ids, y, lab, va, seed=seed, **kw).recorder.epoch_rows[-1]['accuracy']
                rows.append(dict(n_labels=500, encoder='stage 1+2', schedule=name, seed=seed, accuracy=acc, seconds=round(time.perf_counter() - t0, 1)))
                print(rows[-1], flush=True)
        old['unfreeze'] = dict(when=datetime.now().strftime('%Y-%m-%d %H:%M'), runs=rows, command=f'python bench/ulmfit.py --unfreeze --seeds {seeds}',
                               seconds=round(time.perf_counter() - t_start), schedules={k: {**v, 'epochs': list(v['epochs'])} for k, v in UNFREEZE.items()})
        tmp = f.with_suffix('.tmp'); tmp.write_text(json.dumps(old, indent=1)); tmp.replace(f)
        print(f'wrote the "unfreeze" key of {f} in {old["unfreeze"]["seconds"]} s'); return
    runs = []
    for n in labels:
        for seed in range(seeds if n <= 500 else seeds_large):
            lab = np.random.default_rng(seed).choice(tr, n, replace=False)
            for name, m in encoders.items():
                t0 = time.perf_counter()
                acc = fit_text_classifier(m.encoder, ids, y, lab, va, seed=seed).recorder.epoch_rows[-1]['accuracy']
                runs.append(dict(n_labels=n, encoder=name, seed=seed, accuracy=acc, seconds=round(time.perf_counter() - t0, 1)))
                print(runs[-1], flush=True)
    out = dict(notebook='07_nlp_ulmfit', when=datetime.now().strftime('%Y-%m-%d %H:%M'), device='cpu', cpu_threads=torch.get_num_threads(),
               torch=torch.__version__, machine=platform.machine(), seconds=round(time.perf_counter() - t_start),
               perplexity=ppl, runs=runs, **({'unfreeze': old['unfreeze']} if 'unfreeze' in old else {}),
               command='python bench/ulmfit.py ' + f'--seeds {seeds} --seeds-large {seeds_large} --labels ' + ' '.join(map(str, labels)))
    tmp = f.with_suffix('.tmp'); tmp.write_text(json.dumps(out, indent=1)); tmp.replace(f)
    print(f'wrote {f} in {out["seconds"]} s')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, default=5); ap.add_argument('--labels', type=int, nargs='+', default=[500, 2000])
    ap.add_argument('--seeds-large', type=int, default=3)
    ap.add_argument('--unfreeze', action='store_true', help='only the unfreezing schedules at 500 labels (the "unfreeze" key)')
    a = ap.parse_args(); main(a.seeds, a.labels, a.seeds_large, a.unfreeze)

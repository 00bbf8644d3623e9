"""ULMFiT in lesson 07, over seeds: the language models once, then the classifier on each encoder for several seeds and label budgets.

Usage: python bench/ulmfit.py [--seeds 5] [--labels 500 2000] [--seeds-large 3] [--parts main unfreeze]
(about 40 minutes on a 2-core AVX2 CPU; budgets above 500 labels run --seeds-large seeds, to save time)
Encoders, as in the notebook: 'random' (untrained), 'word vectors' (the untrained LSTM on an embedding started from MiniLM's
input embeddings, `pretrained_word_vectors`), 'stage 1' (that model trained on general English) and 'stage 1+2' (then on
training-film reviews and plots). Each classifier: `fit_text_classifier`'s defaults (every group from the start, 10 epochs).
Part "unfreeze" measures gradual unfreezing and discriminative rates at 500 labels on the stage 1+2 encoder, each seed paired:
ULMFiT's schedule (head 2 epochs, + top LSTM 2, all 6) and the default with one rate for all groups, against the default
(reused from part "main" when both run).
Writes bench/results/ulmfit.json (the parts run replace their keys, the rest is kept); nbs/07_nlp_ulmfit.ipynb loads it
and checks its own seed-0 run against it. The steps and seeds are the notebook's, through the functions it exports.
"""
import argparse, copy, json, platform, time
from datetime import datetime
from pathlib import Path
import numpy as np, torch
from coursekit.core import set_seed
from coursekit.data import load_english, load_reviews
from coursekit.text import tokenize, Vocab
from coursekit.ulmfit import LSTMLanguageModel, perplexity, fit_language_model, fit_text_classifier
from coursekit.vocab_transfer import stage2_texts, extend_vocab, grow_embeddings, pretrained_word_vectors

DEFAULT = 'all groups from the start'
UNFREEZE = {'gradual (ULMFiT)': dict(epochs=(2, 2, 6)),                      # name -> fit_text_classifier's arguments
            DEFAULT: dict(),
            'all groups from the start, one rate': dict(lr_mult=1.)}

def language_models():
    "The notebook's four encoders (as language models), the extended vocabulary and the review perplexities."
    eng, rv = load_english(), load_reviews()
    e_toks = [tokenize(t) for t in eng.docs]
    e_trn_idx, e_val_idx = np.where(~eng.is_valid)[0], np.where(eng.is_valid)[0]
    vocab_en = Vocab([e_toks[i] for i in e_trn_idx], min_freq=3)
    wv_en, found_en = pretrained_word_vectors(vocab_en.itos)
    set_seed(0)
    lm1 = LSTMLanguageModel(len(vocab_en))
    with torch.no_grad(): lm1.encoder.emb.weight[found_en] = wv_en[found_en]
    fit_language_model(lm1, [vocab_en(e_toks[i]) for i in e_trn_idx], [vocab_en(e_toks[i]) for i in e_val_idx], epochs=1, lr=3e-3)
    r_toks_lm = [tokenize(t) for t in stage2_texts(rv)]   # training reviews and the plots of training films only
    vocab = extend_vocab(vocab_en, r_toks_lm, min_freq=3)
    wv_new, found_new = pretrained_word_vectors(vocab.itos[len(vocab_en):])
    lm2 = grow_embeddings(copy.deepcopy(lm1), len(vocab), new_rows=wv_new)
    toks = [tokenize(t) for t in rv.df.text]
    r_val = [vocab(toks[i]) for i in np.where(rv.is_valid)[0]]
    fit_language_model(lm2, [vocab(t) for t in r_toks_lm], r_val, epochs=1, lr=3e-3)
    wv_all, found_all = torch.cat([wv_en, wv_new]), torch.cat([found_en, found_new])
    set_seed(0)
    lm0 = LSTMLanguageModel(len(vocab))
    set_seed(0)
    lm_wv = LSTMLanguageModel(len(vocab))
    with torch.no_grad(): lm_wv.encoder.emb.weight[found_all] = wv_all[found_all]
    lm1x = grow_embeddings(copy.deepcopy(lm1), len(vocab), new_rows=wv_new)
    encoders = {'random': lm0, 'word vectors': lm_wv, 'stage 1': lm1x, 'stage 1+2': lm2}
    return rv, toks, vocab, encoders, {k: perplexity(m, r_val) for k, m in encoders.items()}

def main(seeds:int, labels:list, seeds_large:int, parts:list):
    t_start = time.perf_counter()
    rv, toks, vocab, encoders, ppl = language_models()
    print('review perplexity', {k: round(v) for k, v in ppl.items()}, f'({time.perf_counter() - t_start:.0f} s)', flush=True)
    tr, va = np.where(~rv.is_valid)[0], np.where(rv.is_valid)[0]
    y = torch.tensor((rv.df.label == 'fresh').to_numpy()).long()
    ids = [vocab(t) for t in toks]
    def run(n, seed, name, **kw):
        lab = np.random.default_rng(seed).choice(tr, n, replace=False)
        t0 = time.perf_counter()
        acc = fit_text_classifier(encoders[name].encoder, ids, y, lab, va, seed=seed, **kw).recorder.epoch_rows[-1]['accuracy']
        return dict(n_labels=n, encoder=name, seed=seed, accuracy=acc, seconds=round(time.perf_counter() - t0, 1))
    f = Path(__file__).parent/'results'/'ulmfit.json'
    out = json.loads(f.read_text()) if f.exists() else {}
    command = 'python bench/ulmfit.py ' + f'--seeds {seeds} --seeds-large {seeds_large} --labels ' + ' '.join(map(str, labels)) + ' --parts ' + ' '.join(parts)
    out.update(notebook='07_nlp_ulmfit', device='cpu', cpu_threads=torch.get_num_threads(), torch=torch.__version__,
               machine=f'{platform.machine()}, {platform.processor() or "cpu"}', perplexity=ppl)
    runs = []
    if 'main' in parts:
        for n in labels:
            for seed in range(seeds if n <= 500 else seeds_large):
                for name in encoders:
                    runs.append(run(n, seed, name)); print(runs[-1], flush=True)
        out.update(runs=runs, when=datetime.now().strftime('%Y-%m-%d %H:%M'), command=command, seconds=round(time.perf_counter() - t_start))
    if 'unfreeze' in parts:
        rows = []
        for seed in range(seeds):
            for name, kw in UNFREEZE.items():
                same = [r for r in runs if r['n_labels'] == 500 and r['encoder'] == 'stage 1+2' and r['seed'] == seed] if name == DEFAULT else []
                rows.append({**(same[0] if same else run(500, seed, 'stage 1+2', **kw)), 'schedule': name}); print(rows[-1], flush=True)
        out['unfreeze'] = dict(when=datetime.now().strftime('%Y-%m-%d %H:%M'), runs=rows, command=command, seconds=round(time.perf_counter() - t_start),
                               schedules={k: {a: list(v) if isinstance(v, tuple) else v for a, v in kw.items()} for k, kw in UNFREEZE.items()})
    tmp = f.with_suffix('.tmp'); tmp.write_text(json.dumps(out, indent=1)); tmp.replace(f)
    print(f'wrote {f} ({", ".join(parts)}) in {round(time.perf_counter() - t_start)} s')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, default=5); ap.add_argument('--labels', type=int, nargs='+', default=[500, 2000])
    ap.add_argument('--seeds-large', type=int, default=3)
    ap.add_argument('--parts', nargs='+', default=['main', 'unfreeze'], choices=['main', 'unfreeze'])
    a = ap.parse_args(); main(a.seeds, a.labels, a.seeds_large, a.parts)

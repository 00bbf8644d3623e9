# Mutations for nbs/07_nlp_ulmfit.ipynb: each breaks what one closing check guards (python tools/mutate.py nbs/07_nlp_ulmfit.ipynb).
# Cell indices: 24 trains the tiny LM, 29 fits TF-IDF + logistic regression.

# %% random split instead of by movie (films on both sides)
is_valid = np.random.default_rng(0).permutation(np.asarray(is_valid))

# %% TF-IDF + logistic regression refit on shuffled labels
y = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(0))]
_rerun(29, 30)

# %% tiny LM retrained on a token-shuffled stream (no context to learn, only frequencies)
_s = torch.cat(docs[:6000]); _s = _s[torch.randperm(len(_s), generator=torch.Generator().manual_seed(0))]
docs = list(_s.split([len(d) for d in docs[:6000]]))
_rerun(24, 25)

# %% stage 2 skipped: the "stage 1+2" language model is the stage-1 model with its new rows at the mean
_run_edited('89e8e67d', "('stage 1+2', lm2)", "('stage 1+2', lm1x)")

# %% stage 1 learned nothing: its review perplexity is half the random model's (rebinding the measured value; retraining takes a minute)
r_ppl = r_ppl.copy(); r_ppl['stage 1'] = r_ppl['random'] / 2

# %% stage 2 left the new vocabulary rows where they started (rebinding the measured distances)
moved = torch.zeros_like(moved)

# %% the likelihood comparison is made with the untrained model, which has no sense of fluency
_run_edited('281e4b17', 'text_logprob(lm2,', 'text_logprob(lm0,')

# %% the live classifiers disagree with the bench's seed-0 runs (the bench ran other code)
bench0 = bench0 - 0.05

# %% the classifier predicts the majority class: the live classifiers retrained with every training label set to the majority label
_run_edited('6a5cb51f', 'fit_text_classifier(m.encoder, ids, y,', 'fit_text_classifier(m.encoder, ids, _y,', prefix='_y = y.clone(); _y[lab500] = int(majority == "fresh")\n')

# %% at 2,000 labels the bench's stage 1+2 classifiers are no better than the random encoder's (its runs replaced by random's)
_run_edited('cc711323', "runs = pd.DataFrame(bench['runs'])", "runs = pd.DataFrame(bench['runs']); _r = runs[(runs.encoder == 'random') & (runs.n_labels == 2000)].set_index('seed').accuracy; "
            "_m = (runs.encoder == 'stage 1+2') & (runs.n_labels == 2000); runs.loc[_m, 'accuracy'] = runs.loc[_m, 'seed'].map(_r).values")
_rerun(_ix['1251b300'], _ix['1251b300'] + 1)

# %% the word vectors are random: MiniLM's rows replaced by noise in the neighbours cell
_run_edited('a1c0wv04', 'unit = F.normalize(wv_en, dim=1)', 'unit = F.normalize(torch.randn(wv_en.shape, generator=torch.Generator().manual_seed(0)), dim=1)')

# %% the sampler ignores its temperature: every row of the temperature table samples at T = 1
_run_edited('temp_table = pd.DataFrame', 'sample_ids(lm2, start, n, T,', 'sample_ids(lm2, start, n, 1.0,')

# %% the unfreezing bench ran another recipe: its default-schedule runs sit 5 points above the live classifier (rebinding the loaded table)
unf = unf.copy(); unf['all groups from the start'] += 0.05

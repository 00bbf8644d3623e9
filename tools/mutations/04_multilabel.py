# Mutations for nbs/04_multilabel.ipynb: each breaks what a closing check guards. Cells are found by id, and a broken
# variant of a cell is its source with one string replaced, run in the notebook's kernel.

# %% untrained model (its scores carry no information about the digits)
learn = Learner(multidigit_cnn(), dls, nn.BCEWithLogitsLoss())
_rerun(_ix['81bf8009'], _ix['552f7698'])

# %% model retrained (2 epochs) on shuffled training labels
set_seed(42)
_bad = DataLoaders.from_tensors(x_all, torch.cat([y_train[torch.randperm(len(y_train))], y_valid]), is_valid, bs=64)
learn = Learner(multidigit_cnn(), _bad, nn.BCEWithLogitsLoss(), cbs=[BatchAugmentCB()])
learn.fit_one_cycle(2, 1e-2)
_rerun(_ix['81bf8009'], _ix['552f7698'])

# %% softmax instead of one sigmoid per class
_src = ''.join(_nb_cells[_ix['81bf8009']]['source']).replace('probs = logits_valid.sigmoid()', 'probs = logits_valid.softmax(-1)')
assert get_ipython().run_cell(_src).success
_rerun(_ix['aa0ee75b'], _ix['552f7698'])

# %% wrong threshold: the worst point of the curve instead of the best
_src = ''.join(_nb_cells[_ix['aa0ee75b']]['source']).replace('best_thresh = float(threshs[accs.argmax()])', 'best_thresh = float(threshs[accs.argmin()])')
assert get_ipython().run_cell(_src).success

# %% "tiny" subsets as large as the choosing half (no bumpy curves)
_src = ''.join(_nb_cells[_ix['aa0ee75b']]['source']).replace('n_tiny, choose_ix = 10,', 'n_tiny, choose_ix = 500,')
assert get_ipython().run_cell(_src).success

# %% scores squashed towards 0.5 (sigmoid of logits / 20): the curve is steep near the default, no flat top
_src = ''.join(_nb_cells[_ix['81bf8009']]['source']).replace('probs = logits_valid.sigmoid()', 'probs = (logits_valid / 20).sigmoid()')
assert get_ipython().run_cell(_src).success
_rerun(_ix['aa0ee75b'], _ix['552f7698'])

# %% baseline "predict every digit" instead of "predict no digits"
none = torch.ones_like(y_valid)
base_none = accuracy_multi(none, y_valid, sigmoid=False).item(), exact_match(none, y_valid, sigmoid=False).item()

# %% the training item transform is the fixed centre crop (not random)
_src = ''.join(_nb_cells[_ix['b0beaf68']]['source']).replace('CanvasItems(x_train[:256], y_train[:256], random_resized_crop)',
                                                               'CanvasItems(x_train[:256], y_train[:256], center_crop)')
assert get_ipython().run_cell(_src).success

# %% the validation item transform is random
_src = ''.join(_nb_cells[_ix['b0beaf68']]['source']).replace('CanvasItems(x_valid[:128], y_valid[:128], center_crop)',
                                                               'CanvasItems(x_valid[:128], y_valid[:128], random_resized_crop)')
assert get_ipython().run_cell(_src).success

# %% item transform applied once when the dataset is built, not each time an item is fetched
_src = ''.join(_nb_cells[_ix['b0beaf68']]['source']).replace(
    'self.x, self.y, self.item_tfm, self.calls = x, y, item_tfm, 0',
    'self.x, self.y, self.item_tfm, self.calls = torch.stack([item_tfm(v[None]) for v in x])[:, 0], y, torch.clone, 0')
assert get_ipython().run_cell(_src).success

# %% BatchAugmentCB also augments validation batches
class _AugmentAll(BatchAugmentCB):
    def before_batch(self): self.learn.xb = (self.tfm(self.learn.xb[0]), *self.learn.xb[1:])
set_seed(0)
batch_change = peek_batches(_AugmentAll())

# %% batch transform that does nothing
set_seed(0)
batch_change = peek_batches(BatchAugmentCB(tfm=torch.clone))

# %% the baseline is the CNN itself (the CNN no longer beats it on exact match)
base_lr = (acc_cnn, exact_cnn)

# %% a baseline as good per decision as the CNN (but with no exact matches)
base_lr = (acc_cnn, 0.0)

# %% L2 compared with softmax on both sides (the sigmoid's "both" never shown)
_src = ''.join(_nb_cells[_ix['81bf8009']]['source']).replace('sig_two, soft_two = probs[two][present].view(-1, 2),',
                                                               'sig_two, soft_two = logits_valid[two].softmax(-1)[present].view(-1, 2),')
assert get_ipython().run_cell(_src).success

# %% tiny subsets' thresholds scored on their own canvases (the in-sample gain reported as if it held on new data)
_src = ''.join(_nb_cells[_ix['aa0ee75b']]['source']).replace(
    'gain_out = float(np.mean([(hit(b) - hit(0.5)).mean().item() for b in tiny_best]))',
    'gain_out = float(np.mean([(accuracy_multi(probs[ix], targs[ix], b, sigmoid=False) - accuracy_multi(probs[ix], targs[ix], 0.5, sigmoid=False)).item() for b, ix in zip(tiny_best, tiny)]))')
assert 'accuracy_multi(probs[ix], targs[ix], b,' in _src
assert get_ipython().run_cell(_src).success

# %% the "item" transform runs once per batch (the loader fetches a batch at once through __getitems__)
_old = '    def __getitem__(self, i): self.calls += 1; return self.item_tfm(self.x[i][None]), self.y[i]'
_src = ''.join(_nb_cells[_ix['b0beaf68']]['source']).replace(_old, _old + '''
    def __getitems__(self, ix):
        self.calls += 1; crops = self.item_tfm(self.x[ix])
        return [(c[None], self.y[i]) for c, i in zip(crops, ix)]''')
assert '__getitems__' in _src
assert get_ipython().run_cell(_src).success

# Mutations for nbs/04_multilabel.ipynb: each breaks what a closing check guards. Cells are found by id, and a broken
# variant of a cell is its source with one string replaced, run in the notebook's kernel.

# %% untrained model (its scores carry no information about the digits)
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
learn = Learner(multidigit_cnn(), dls, nn.BCEWithLogitsLoss())
_rerun(_ix['81bf8009'], _ix['552f7698'])

# %% model retrained (2 epochs) on shuffled training labels
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
set_seed(42)
_bad = DataLoaders.from_tensors(x_all, torch.cat([y_train[torch.randperm(len(y_train))], y_valid]), is_valid, bs=64)
learn = Learner(multidigit_cnn(), _bad, nn.BCEWithLogitsLoss(), cbs=[BatchAugmentCB()])
learn.fit_one_cycle(2, 1e-2)
_rerun(_ix['81bf8009'], _ix['552f7698'])

# %% softmax instead of one sigmoid per class
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
_src = ''.join(_nb_cells[_ix['81bf8009']]['source']).replace('probs = logits_valid.sigmoid()', 'probs = logits_valid.softmax(-1)')
assert get_ipython().run_cell(_src).success
_rerun(_ix['aa0ee75b'], _ix['552f7698'])

# %% wrong threshold: the worst point of the curve instead of the best
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
_src = ''.join(_nb_cells[_ix['aa0ee75b']]['source']).replace('best_thresh = float(threshs[accs.argmax()])', 'best_thresh = float(threshs[accs.argmin()])')
assert get_ipython().run_cell(_src).success

# %% "tiny" subsets as large as the choosing half (no bumpy curves)
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
_src = ''.join(_nb_cells[_ix['aa0ee75b']]['source']).replace('n_tiny, choose_ix = 10,', 'n_tiny, choose_ix = 500,')
assert get_ipython().run_cell(_src).success

# %% threshold curve from 40 canvases (no longer smooth and flat at the top)
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
_src = ''.join(_nb_cells[_ix['aa0ee75b']]['source']).replace('choose, score = torch.arange(len(targs)) % 2 == 0,',
                                                               'choose, score = (torch.arange(len(targs)) % 2 == 0) & (torch.arange(len(targs)) < 80),')
assert get_ipython().run_cell(_src).success

# %% baseline "predict every digit" instead of "predict no digits"
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
none = torch.ones_like(y_valid)
base_none = accuracy_multi(none, y_valid, sigmoid=False).item(), exact_match(none, y_valid, sigmoid=False).item()

# %% the training item transform is the fixed centre crop (not random)
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
_src = ''.join(_nb_cells[_ix['b0beaf68']]['source']).replace('CanvasItems(x_train[:256], y_train[:256], random_resized_crop)',
                                                               'CanvasItems(x_train[:256], y_train[:256], center_crop)')
assert get_ipython().run_cell(_src).success

# %% the validation item transform is random
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
_src = ''.join(_nb_cells[_ix['b0beaf68']]['source']).replace('CanvasItems(x_valid[:128], y_valid[:128], center_crop)',
                                                               'CanvasItems(x_valid[:128], y_valid[:128], random_resized_crop)')
assert get_ipython().run_cell(_src).success

# %% item transform applied once when the dataset is built, not each time an item is fetched
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
_src = ''.join(_nb_cells[_ix['b0beaf68']]['source']).replace(
    'self.x, self.y, self.item_tfm, self.calls = x, y, item_tfm, 0',
    'self.x, self.y, self.item_tfm, self.calls = torch.stack([item_tfm(v[None]) for v in x])[:, 0], y, torch.clone, 0')
assert get_ipython().run_cell(_src).success

# %% BatchAugmentCB also augments validation batches
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
class _AugmentAll(BatchAugmentCB):
    def before_batch(self): self.learn.xb = (self.tfm(self.learn.xb[0]), *self.learn.xb[1:])
set_seed(0)
batch_change = peek_batches(_AugmentAll())

# %% batch transform that does nothing
import builtins  # tools/mutate.py's RESTORE raises NameError (it deletes _mut_saved first): restore a clean snapshot here
if not hasattr(builtins, '_mut04_clean'): builtins._mut04_clean = dict(globals())
globals().update(builtins._mut04_clean)
set_seed(0)
batch_change = peek_batches(BatchAugmentCB(tfm=torch.clone))

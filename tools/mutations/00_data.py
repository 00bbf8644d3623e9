# Mutations for nbs/00_data.ipynb. Cells are named by id: cca1171e MNIST loader, a3b8f5b1 MovieLens, 0689a7fc Ames,
# f87bb196 reviews, 35939c95 general English.
# %% MNIST validation = the first 1,000 rows instead of every fifth
_run_edited('cca1171e', 'torch.arange(len(y)) % 5 == 0', 'torch.arange(len(y)) < 1000')
mnist = load_mnist()
# %% the packaged rows come in another order (the every-fifth rule no longer gives 100 of each digit)
perm = torch.randperm(len(mnist.y), generator=torch.Generator().manual_seed(0))
mnist = Images(mnist.x[perm], mnist.y[perm], mnist.is_valid)
# %% MovieLens validation = every fifth row, so the split depends on row order
_run_edited('a3b8f5b1', "((df['user'] * 7919 + df['movie']) % 5 == 0).to_numpy()", "np.arange(len(df)) % 5 == 0")
ratings, ml_valid = load_movielens()
# %% Ames validation = a random 669 sales instead of the last ones
_run_edited('0689a7fc', "((df['Yr.Sold'] * 100 + df['Mo.Sold']) >= 200907).to_numpy()", "np.random.default_rng(0).permutation(len(df)) < 669")
ames, ames_valid = load_ames()
# %% Ames validation starts a month earlier (still later than training, but not the 669 sales the catalog states)
_run_edited('0689a7fc', '>= 200907', '>= 200906')
ames, ames_valid = load_ames()
loaded = {**loaded, 'ames': (ames, ames_valid)}
# %% reviews validation = every fifth review instead of every fifth movie
_run_edited('f87bb196', "lab['movie'].isin(valid_movies).to_numpy()", "np.arange(len(lab)) % 5 == 0")
rv = load_reviews()
# %% general English reads only its first three files (Hamlet is left out)
_run_edited('35939c95', 'in ENGLISH_FILES.items():', 'in list(ENGLISH_FILES.items())[:3]:')
eng = load_english()
# %% general English keeps only documents of 25 words or more (the catalog's document count no longer holds)
_run_edited('35939c95', 'len(t.split()) >= 3', 'len(t.split()) >= 25')
loaded = {**loaded, 'english': load_english()}
# %% general English: every 9th document held out instead of every 10th
_run_edited('35939c95', 'np.arange(len(docs)) % 10 == 0', 'np.arange(len(docs)) % 9 == 0')
eng = load_english()
# %% the catalog states the wrong mnist37 size (a fact the READMEs would show)
import dataclasses
CATALOG = {**CATALOG, 'mnist37': dataclasses.replace(CATALOG['mnist37'], rows='1,200 images')}

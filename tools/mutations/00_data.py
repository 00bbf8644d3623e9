# Mutations for nbs/00_data.ipynb (cell numbers are indices in the notebook file).
# 22: MNIST loader; 26: MovieLens loader; 30: Ames loader; 33: reviews loader.
# %% MNIST validation = the first 1,000 rows instead of every fifth
_run_edited(22, 'torch.arange(len(y)) % 5 == 0', 'torch.arange(len(y)) < 1000')
mnist = load_mnist()
# %% the packaged rows come in another order (the every-fifth rule no longer gives 100 of each digit)
perm = torch.randperm(len(mnist.y), generator=torch.Generator().manual_seed(0))
mnist = Images(mnist.x[perm], mnist.y[perm], mnist.is_valid)
# %% MovieLens validation = every fifth row, so the split depends on row order
_run_edited(26, "((df['user'] * 7919 + df['movie']) % 5 == 0).to_numpy()", "np.arange(len(df)) % 5 == 0")
ratings, ml_valid = load_movielens()
# %% Ames validation = a random 669 sales instead of the last ones
_run_edited(30, "((df['Yr.Sold'] * 100 + df['Mo.Sold']) >= 200907).to_numpy()", "np.random.default_rng(0).permutation(len(df)) < 669")
ames, ames_valid = load_ames()
# %% reviews validation = every fifth review instead of every fifth movie
_run_edited(33, "lab['movie'].isin(valid_movies).to_numpy()", "np.arange(len(lab)) % 5 == 0")
rv = load_reviews()

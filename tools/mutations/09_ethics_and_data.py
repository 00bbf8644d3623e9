# Mutations for nbs/09_ethics_and_data.ipynb (format: tools/mutate.py). Cell numbers are indices in the notebook file.

# %% a model whose error is the same in every neighbourhood (each sale's squared error = 0.95 x the overall mean, so no ties at the overall RMSE)
err = err.assign(sq_err=0.95 * err.sq_err.mean())
by_group = err.groupby('neighbourhood').agg(valid_sales=('sq_err', 'size'), train_sales=('train_sales', 'first'), rmse=('sq_err', lambda s: np.sqrt(s.mean())))
by_group = by_group[by_group.valid_sales >= 5].sort_values('rmse', ascending=False)
_rerun(5, 6)

# %% errors spread evenly over neighbourhoods (the forest's squared errors shuffled across validation sales)
err = err.assign(sq_err=err.sq_err.sample(frac=1, random_state=0).to_numpy())
by_group = err.groupby('neighbourhood').agg(valid_sales=('sq_err', 'size'), train_sales=('train_sales', 'first'), rmse=('sq_err', lambda s: np.sqrt(s.mean())))
by_group = by_group[by_group.valid_sales >= 5].sort_values('rmse', ascending=False)
_rerun(5, 6)

# %% group size drives the error (squared errors x9 in neighbourhoods with fewer training sales than the median)
err = err.assign(sq_err=np.where(err.train_sales < err.train_sales.median(), 9., 1.) * err.sq_err)
by_group = err.groupby('neighbourhood').agg(valid_sales=('sq_err', 'size'), train_sales=('train_sales', 'first'), rmse=('sq_err', lambda s: np.sqrt(s.mean())))
by_group = by_group[by_group.valid_sales >= 5].sort_values('rmse', ascending=False)
_rerun(5, 6)

# %% historical: past decisions did not hold group B back
approved = (merit + np.random.default_rng(1).normal(scale=0.5, size=n)) > 0
clf = LogisticRegression().fit(X, approved)
p_a, p_b = clf.predict_proba(same_merit)[:, 1]

# %% representation: 7s not made rare (trained on the full training set)
err_few, acc_few = per_class_error(tr)

# %% representation: no 7s at all in training (overall accuracy then falls clearly, no longer a small change)
err_few, acc_few = per_class_error(tr & (yv != 7))
assert err_few[7] > 2 * err_full[7] and err_few[7] > 2 * err_few.drop(7).mean(), 'this mutation targets the overall-accuracy check only'

# %% measurement: both groups observed equally closely
recorded = true_event & (np.random.default_rng(1).random(n) < 0.9)
clf_meas = LogisticRegression().fit(group_b[:, None].astype(float), recorded)
pa, pb = clf_meas.predict_proba([[0.], [1.]])[:, 1]

# %% evaluation: the thick-pen group is no longer left out of training (thickened training digits added)
thick_train = F.max_pool2d(d.x[~d.is_valid][:, None], 3, stride=1, padding=1).view(-1, 784).numpy()
m = LogisticRegression(C=0.05, max_iter=300).fit(np.r_[xf[tr], thick_train], np.r_[yv[tr], yv[tr]])
acc_bench = m.score(x_valid[~thick_pen], y_valid[~thick_pen])
acc_group, acc_use = m.score(x_use[thick_pen], y_valid[thick_pen]), m.score(x_use, y_valid)

# %% evaluation: the benchmark reports all users, group included
acc_bench = acc_use

# %% aggregation: the dose works the same way in both groups
sim = sim.assign(response=dose + np.random.default_rng(1).normal(scale=0.3, size=n))
pooled, inter = smf.ols('response ~ dose', sim).fit(), smf.ols('response ~ dose * b', sim).fit()

# %% p-value: ratings shuffled, so the year of rating says nothing
r = r.assign(rating=r.rating.sample(frac=1, random_state=0).to_numpy())
m_year = smf.ols('rating ~ rated_year', r).fit()

# %% p-value: samples of 300 houses instead of 12
small = pd.DataFrame([(f.params['air'], f.pvalues['air']) for f in (smf.ols('log_price ~ air', ames.sample(300, random_state=s)).fit() for s in range(100))], columns=['effect', 'p'])

# %% multivariate: the confounders left out (the multivariate model is the univariate one)
multi = uni

# Mutations for nbs/02_sgd_from_scratch.ipynb (cell numbers are indices in the notebook file).
# `_src(k, old, new)` runs cell k with `old` replaced by `new` in its source.
# %% sgd_step forgets to zero the gradients, and the 40-step fit is redone with it
def sgd_step(params, lr):
    with torch.no_grad():
        for p in params: p -= lr * p.grad
_rerun(25, 26); _rerun(29, 30)
# %% the 40-step fit is redone on shuffled speeds (a curve with no hump)
speed = speed[torch.randperm(20, generator=torch.Generator().manual_seed(0))]
_rerun(25, 26); _rerun(29, 30)
# %% the true curvature is claimed as a = 1.0 instead of 0.75
true_a = 1.0
# %% the "never zeroed" run zeroes its gradients after all
forgot = naive_fit(0.6, 10, zero=True)
# %% the "too large" learning rate is 0.8, which converges
lr_runs = {**lr_runs, 1.0: fit_quadratic(0.8, 40)}
# %% the "too small" learning rate is 0.05, which moves a lot
lr_runs = {**lr_runs, 1e-3: fit_quadratic(0.05, 40)}
# %% the "about right" run takes only 2 steps
lr_runs = {**lr_runs, 0.6: fit_quadratic(0.6, 2)}
# %% the swing is run at lr = 0.3, where c no longer jumps across its best value
_run_edited(38, 'swing(0.85)', 'swing(0.3)')
# %% the swing is run at lr = 1.0, where the loss grows
_run_edited(38, 'swing(0.85)', 'swing(1.0)')
# %% the "bias" model is fitted without its bias
(w_b, b_b), loss_b = fit_linear(bias=False)
# %% the bias model stops after 5 steps, far from the noise level
(w_b, b_b), loss_b = fit_linear(bias=True, steps=5)

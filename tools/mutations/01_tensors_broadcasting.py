# Mutations for nbs/01_tensors_broadcasting.ipynb (cell numbers are indices in the notebook file).
# 17: ideal digits; 38: PixelSimilarity fit and accuracy; 41: RMSE rule and sign test; 47: errors and ink.
# %% training labels shuffled, ideals and classifier rebuilt from them
y_train = y_train[torch.randperm(len(y_train), generator=torch.Generator().manual_seed(0))]
_rerun(17, 18); _rerun(38, 39); _rerun(41, 42); _rerun(47, 48)
# %% PixelSimilarity predicts the farthest ideal instead of the nearest
class PixelSimilarity(PixelSimilarity):
    def predict(self, x): return self.labels[self.distances(x).argmax(-1)]
_run_edited(38, 'test_eq(preds, predict_broadcast(x_valid))', '')
_rerun(41, 42); _rerun(47, 48)
# %% the "RMSE" rule is the L1 rule again
_run_edited(41, 'rmse = lambda a, b: ((a - b)**2).mean((-1, -2)).sqrt()', 'rmse = mnist_distance')
# %% the baseline leans to 3 (distance to the ideal 7 stretched by 30%), so it misses mostly 7s
preds = torch.where(mnist_distance(x_valid, mean3) < 1.3 * mnist_distance(x_valid, mean7), 3, 7)
_rerun(47, 48)
# %% the ideals are swapped, so the ideal "7" has the 3s' ink
mean3, mean7 = mean7, mean3
# %% the "misread 3s" are a random tenth of the 3s, not the misread ones
_run_edited(47, "misread3 = (preds != y_valid) & (y_valid == 3)", "misread3 = (y_valid == 3) & (torch.rand(len(y_valid), generator=torch.Generator().manual_seed(1)) < 0.1)")

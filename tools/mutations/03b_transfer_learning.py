# Mutations for nbs/03b_transfer_learning.ipynb: each breaks what one closing check guards (cell numbers are indices in the notebook file).

# %% V1: the ImageNet weights are not loaded (timm's random initialisation), so nothing sees a daisy
model = create_model('effnet_lite0', pretrained=False).eval()
preds = {n: top5(x) for n, x in xs.items()}

# %% V1 oracle: the key map swaps the two BatchNorms of every expanded block (same shapes, so the weights still load)
_run_edited('def effnet_key_map', "'_bn0': 'bn1', '_depthwise_conv': 'conv_dw', '_bn1': 'bn2'", "'_bn0': 'bn2', '_depthwise_conv': 'conv_dw', '_bn1': 'bn1'")
_rerun(_ix['8ede0526'], _ix['8ede0526'] + 3)

# %% V1 oracle: timm's PyTorch-style efficientnet_lite0 (symmetric padding, BatchNorm eps 1e-5) instead of the TF variant; the daisy survives, the logits do not
ARCHS = {'effnet_lite0': 'efficientnet_lite0'}
_rerun(_ix['8ede0526'], _ix['8ede0526'] + 3)

# %% V8: normalize does nothing, so "without normalisation" is the same as with it
normalize = lambda x, arch='effnet_lite0': x
_rerun(_ix['8ede0526'], _ix['cf49fda2'] + 1)

# %% V5: the body's features are shuffled across rows (they no longer belong to their images); the table is redone
perm = torch.randperm(len(feats), generator=torch.Generator().manual_seed(0))
res = res.assign(pretrained=[probe_acc(subsets[k, s], feats[perm]) for k, s in zip(res.k, res.seed)])
_rerun(_ix['0d759ee2'], _ix['0d759ee2'] + 1)

# %% V5: the "pretrained" column is logistic regression on raw pixels (no body at all)
res = res.assign(pretrained=res.pixels)
_rerun(_ix['0d759ee2'], _ix['0d759ee2'] + 1)

# %% naive freeze: the copied body is put in eval mode, so the "naive" features are the right ones
_run_edited('5cbccb19', 'copy.deepcopy(model).train()', 'copy.deepcopy(model).eval()')

# %% V2: the "one interpolation" view is taken from a small (48 px) copy, so it is no longer one resampling of the large item
one_step = affine(F.interpolate(big, size=48, mode='bilinear', align_corners=False), 64)
err = {n: float((v - ref).abs().mean()) for n, v in [('two interpolations', two_steps), ('one interpolation', one_step)]}

# %% V3: fine-tuning on shuffled labels
_run_edited('ft_dls = DataLoaders', 'd.y[ft_rows]', 'd.y[ft_rows][torch.randperm(len(ft_rows), generator=torch.Generator().manual_seed(0))]')
_rerun(_ix['7acb622d'], _ix['88a4fbe7'] + 1)

# %% V7: the point regressor is trained on shuffled training targets
_run_edited('class PointNet', 'torch.cat([yc_t, yc_v])', 'torch.cat([yc_t[torch.randperm(len(yc_t), generator=torch.Generator().manual_seed(0))], yc_v])')

"""coursekit.tabular on bad input: unseen categories, gaps, wrong dtypes and mismatched columns get documented handling or a clear error."""
import numpy as np
import pandas as pd
import pytest
import torch
from coursekit.tabular import (add_datepart, cont_cat_split, Categorify, FillMissing, Normalize, log_target, rmse,
                               tree_contributions, tree_interpret, plot_waterfall, TabularModel, tabular_tensors)
from coursekit.core import emb_sz_rule

def frames():
    tr = pd.DataFrame({'town': ['a', 'b', 'a', None], 'rooms': [3, 4, 3, 5], 'area': [50., np.nan, 70., 80.]})
    va = pd.DataFrame({'town': ['zz', 'b'], 'rooms': [9, 4], 'area': [np.nan, 60.]})
    return tr, va

def test_unseen_and_missing_categories_get_na_code():
    tr, va = frames()
    c = Categorify(['town', 'rooms']).fit(tr)
    out = c(va)
    assert Categorify.na_code == 0
    assert out['town'].tolist() == [0, 2] and out['rooms'].tolist() == [0, 2]   # 'zz' and 9 were never seen
    assert c(tr)['town'].tolist() == [1, 2, 1, 0]                                # missing -> 0 too
    assert c.decode('town', [0, 1, 2]) == ['#na#', 'a', 'b']

def test_all_unseen_or_all_missing_validation_column_does_not_crash():
    tr, va = frames()
    c = Categorify(['town']).fit(tr[['town']])
    assert c(pd.DataFrame({'town': [None, None]}))['town'].tolist() == [0, 0]
    assert c(pd.DataFrame({'town': ['x', 'y']}))['town'].tolist() == [0, 0]

def test_ordered_categories_keep_their_order():
    s = pd.Categorical(['Gd', 'Po', 'Ex'], categories=['Po', 'Fa', 'TA', 'Gd', 'Ex'], ordered=True)
    c = Categorify(['q']).fit(pd.DataFrame({'q': s}))
    assert c.classes['q'] == ['#na#', 'Po', 'Fa', 'TA', 'Gd', 'Ex']
    assert c(pd.DataFrame({'q': ['TA', 'Fa']}))['q'].tolist() == [3, 2]     # declared grades unseen in training keep their place

def test_fill_missing_uses_training_median_and_adds_indicator():
    tr, va = frames()
    f = FillMissing(['area']).fit(tr)
    out = f(va)
    assert f.fill['area'] == 70. and f.na_names == ['area_na']
    assert out['area'].tolist() == [70., 60.] and out['area_na'].tolist() == [True, False]

def test_fill_missing_gap_only_at_inference_is_filled_without_new_column():
    tr = pd.DataFrame({'x': [1., 2., 3.]})
    f = FillMissing(['x']).fit(tr)
    out = f(pd.DataFrame({'x': [np.nan]}))
    assert out['x'].tolist() == [2.] and list(out.columns) == ['x']

def test_all_missing_training_column_is_a_clear_error():
    with pytest.raises(ValueError, match=r"\['empty'\] are missing in every training row"):
        FillMissing(['empty']).fit(pd.DataFrame({'empty': [np.nan, np.nan]}))

def test_wrong_dtypes_are_clear_errors():
    with pytest.raises(TypeError, match=r"numeric continuous columns; got 'town'"):
        FillMissing(['town']).fit(pd.DataFrame({'town': ['a', 'b']}))
    f = FillMissing(['x']).fit(pd.DataFrame({'x': [1., 2.]}))
    with pytest.raises(TypeError, match="'x'"):
        f(pd.DataFrame({'x': ['1', 'two']}))
    c = Categorify(['n']).fit(pd.DataFrame({'n': [20, 30]}))
    with pytest.raises(TypeError, match=r"'n' held numbers in training"):
        c(pd.DataFrame({'n': ['20', '30']}))
    c = Categorify(['t']).fit(pd.DataFrame({'t': ['a', 'b']}))
    with pytest.raises(TypeError, match=r"'t' held text in training"):
        c(pd.DataFrame({'t': [1, 2]}))

def test_column_mismatch_names_the_column():
    tr, va = frames()
    for proc in (Categorify(['town']), FillMissing(['area']), Normalize(['area'])):
        proc.fit(tr.fillna({'area': 0.}))
        with pytest.raises(ValueError, match=r"lacks column\(s\) \['rooms'\]"): proc(va.drop(columns='rooms'))
        with pytest.raises(ValueError, match=r"\['new_col'\] were not in the training data"): proc(va.assign(new_col=1))

def test_unfitted_step_says_fit_first():
    with pytest.raises(RuntimeError, match=r'call \.fit'): Categorify(['a'])(pd.DataFrame({'a': [1]}))

def test_transform_does_not_change_its_input():
    tr, va = frames()
    before = va.copy()
    FillMissing(['area']).fit(tr)(va); Categorify(['town']).fit(tr)(va)
    pd.testing.assert_frame_equal(va, before)

def test_log_target_rejects_non_positive_and_missing():
    assert np.allclose(log_target([1., np.e]), [0., 1.])
    for bad in ([100., 0.], [100., -3.], [100., np.nan]):
        with pytest.raises(ValueError, match=r'must be positive.*positions \[1\]'): log_target(bad)
    with pytest.raises(ValueError, match='2 predictions for 3 targets'): rmse([1, 2], [1, 2, 3])

def test_add_datepart_reads_text_dates_and_rejects_a_missing_column():
    d = add_datepart(pd.DataFrame({'saleDate': ['2009-07-01', '2010-01-31']}), 'saleDate')
    assert d['saleYear'].tolist() == [2009, 2010] and d['saleIs_month_end'].tolist() == [False, True] and 'saleDate' not in d
    with pytest.raises(KeyError, match="no column 'nope'"): add_datepart(pd.DataFrame({'a': [1]}), 'nope')

def test_cont_cat_split_leaves_out_the_target_and_treats_categoricals_as_categorical():
    df = pd.DataFrame({'f': [1., 2.], 'q': pd.Categorical(['a', 'b']), 'b': [True, False], 'n': [1, 2], 'y': [1., 2.]})
    assert cont_cat_split(df, max_card=1, dep_var='y') == (['f', 'n'], ['q', 'b'])

def test_tree_interpreter_adds_up_for_tree_and_forest():
    from sklearn.tree import DecisionTreeRegressor
    from sklearn.ensemble import RandomForestRegressor
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4)); y = X[:, 0] * 2 + X[:, 1] ** 2 + rng.normal(0, 0.1, 200)
    for m in (DecisionTreeRegressor(max_depth=5).fit(X, y), RandomForestRegressor(10, random_state=0).fit(X, y)):
        b, c = tree_interpret(m, X)
        assert c.shape == (200, 4) and np.allclose(b + c.sum(1), m.predict(X))
        assert np.abs(c[:, 3]).mean() < np.abs(c[:, 0]).mean()   # the noise column contributes least
    with pytest.raises(ValueError, match='single-output'):
        tree_contributions(DecisionTreeRegressor(max_depth=2).fit(X, np.c_[y, y]), X)

def test_waterfall_draws_one_bar_per_step():
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    ax = plot_waterfall(1., [0.5, -0.2, 0.05, 0.01], list('abcd'), top=2)
    assert len(ax.patches) == 3 and np.isclose(sum(p.get_width() for p in ax.patches), 0.36)
    plt.close('all')

def test_tabular_model_shapes_and_range():
    tr, _ = frames()
    proc = Categorify(['town']).fit(tr[['town']])
    xc, xn = tabular_tensors(proc(tr[['town']]).join(tr[['rooms']].astype(float)), ['town'], ['rooms'])
    assert xc.dtype == torch.int64 and xn.dtype == torch.float32 and xc.shape == (4, 1)
    m = TabularModel([(3, emb_sz_rule(3))], n_cont=1, layers=(4,), y_range=(10., 11.)).eval()
    out = m(xc, xn)
    assert out.shape == (4, 1) and ((out > 10) & (out < 11)).all()

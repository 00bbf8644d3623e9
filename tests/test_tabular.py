"""coursekit.tabular, tabular_procs and trees on bad input: unseen categories, gaps, wrong dtypes and mismatched columns get documented handling or a clear error."""
import numpy as np
import pandas as pd
import pytest
import torch
from coursekit.tabular import add_datepart, cont_cat_split, log_target, rmse, TabularModel
from coursekit.tabular_procs import Categorify, FillMissing, Normalize, tabular_tensors
from coursekit.trees import tree_contributions, tree_interpret, plot_waterfall
from coursekit.core import emb_sz_rule

def frames():
    tr = pd.DataFrame({'town': ['a', 'b', 'a', None], 'rooms': [3, 4, 3, 5], 'area': [50., np.nan, 70., 80.]})
    va = pd.DataFrame({'town': ['zz', 'b'], 'rooms': [9, 4], 'area': [np.nan, 60.]})
    return tr, va

def test_unseen_and_missing_categories_get_na_code():
    tr, va = frames()
    c = Categorify(['town', 'rooms']).fit(tr)
    out = c(va)
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

def test_waterfall_draws_the_largest_steps_then_the_rest_from_the_bias():
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    ax = plot_waterfall(1., [0.05, -0.2, 0.5, 0.01], list('abcd'), top=2)
    bars = ax.patches
    assert [round(p.get_width(), 6) for p in bars] == [0.5, -0.2, 0.06]           # largest |step| first, then the other two summed
    assert np.allclose([p.get_x() for p in bars], [1., 1.5, 1.3])                 # each bar starts where the last one ended
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == 'bias 1.000' and labels[1].startswith('c ') and labels[3].startswith('2 others') and labels[-1] == 'prediction 1.360'
    plt.close('all')

def test_tabular_model_shapes_and_range():
    tr, _ = frames()
    proc = Categorify(['town']).fit(tr[['town']])
    xc, xn = tabular_tensors(proc(tr[['town']]).join(tr[['rooms']].astype(float)), ['town'], ['rooms'])
    assert xc.dtype == torch.int64 and xn.dtype == torch.float32 and xc.shape == (4, 1)
    m = TabularModel([(3, emb_sz_rule(3))], n_cont=1, layers=(4,), y_range=(10., 11.)).eval()
    out = m(xc, xn)
    assert out.shape == (4, 1) and ((out > 10) & (out < 11)).all()


# --- bad input: each public function names what is wrong ---

def test_log_target_and_rmse_reject_empty_text_and_several_columns():
    with pytest.raises(ValueError, match='price is empty'): log_target([])
    with pytest.raises(TypeError, match='price must be numbers'): log_target(['12', 'abc'])
    with pytest.raises(ValueError, match=r'one value per row.*\(2, 2\)'): log_target(np.ones((2, 2)))
    assert np.allclose(log_target(np.full((3, 1), np.e)), [1., 1., 1.])         # one column is fine
    with pytest.raises(ValueError, match='pred is empty'): rmse([], [])
    with pytest.raises(ValueError, match=r'pred has 1 missing or infinite.*positions \[1\]'): rmse([1., np.nan], [1., 2.])
    with pytest.raises(ValueError, match='targ has 1 missing'): rmse([1., 2.], [np.inf, 2.])
    with pytest.raises(ValueError, match=r'one value per row'): rmse(np.ones((3, 2)), np.ones(6))   # not flattened into a match
    assert rmse(np.array([[1.], [2.]]), [1., 4.]) == pytest.approx(np.sqrt(2))

def test_add_datepart_rejects_numbers_bad_text_and_non_frames():
    with pytest.raises(TypeError, match=r"'built' holds numbers.*astype\(str\)"): add_datepart(pd.DataFrame({'built': [1960, 1961]}), 'built')
    with pytest.raises(ValueError, match="'d' holds text that is not a date"): add_datepart(pd.DataFrame({'d': ['2020-01-01', 'soon']}), 'd')
    with pytest.raises(TypeError, match='needs a pandas DataFrame; got dict'): add_datepart({'d': ['2020-01-01']}, 'd')

def test_cont_cat_split_rejects_a_missing_target_and_non_frames():
    with pytest.raises(KeyError, match=r"dep_var \['price'\] is not a column"): cont_cat_split(pd.DataFrame({'a': [1.]}), dep_var='price')
    with pytest.raises(TypeError, match='DataFrame; got ndarray'): cont_cat_split(np.ones((2, 2)))

def test_procs_reject_absent_columns_empty_frames_and_non_frames():
    for proc in (FillMissing(['area']), Categorify(['area']), Normalize(['area'])):
        name = type(proc).__name__
        with pytest.raises(KeyError, match=rf"{name}: column\(s\) \['area'\] are not in the frame"): proc.fit(pd.DataFrame({'x': [1.]}))
        with pytest.raises(ValueError, match=rf'{name}.fit got a frame with no rows'): proc.fit(pd.DataFrame({'area': pd.Series([], dtype=float)}))
        with pytest.raises(TypeError, match='DataFrame; got list'): proc.fit([[1.]])
        proc.fit(pd.DataFrame({'area': [1., 2.]}))
        with pytest.raises(TypeError, match='DataFrame; got ndarray'): proc(np.array([[1.]]))

def test_normalize_rejects_gaps_and_text():
    with pytest.raises(ValueError, match=r"\['a'\] have missing values.*FillMissing first"): Normalize(['a']).fit(pd.DataFrame({'a': [1., np.nan, 3.]}))
    n = Normalize(['a']).fit(pd.DataFrame({'a': [1., 3.]}))
    with pytest.raises(ValueError, match='missing values'): n(pd.DataFrame({'a': [np.nan]}))
    with pytest.raises(TypeError, match="numeric continuous columns; got 'a'"): n(pd.DataFrame({'a': ['x']}))
    assert n(pd.DataFrame({'a': [2.]}))['a'].tolist() == [0.]
    assert Normalize(['a']).fit(pd.DataFrame({'a': [5.]}))(pd.DataFrame({'a': [7.]}))['a'].tolist() == [2.]   # one row: std 1, no NaN

def test_decode_rejects_codes_out_of_range_and_unknown_columns():
    c = Categorify(['t']).fit(pd.DataFrame({'t': ['a', 'b']}))
    with pytest.raises(IndexError, match=r"code\(s\) \[-1, 3\] are outside 0..2"): c.decode('t', [1, -1, 3])
    with pytest.raises(KeyError, match="'u' is not one of its columns"): c.decode('u', [1])
    with pytest.raises(RuntimeError, match='not fitted'): Categorify(['t']).decode('t', [0])

def test_tabular_tensors_rejects_raw_categories_gaps_and_absent_columns():
    df = pd.DataFrame({'town': ['a', 'b'], 'code': [1, 2], 'area': [1., np.nan]})
    with pytest.raises(TypeError, match=r"integer codes.*'town' \(.*Categorify first"): tabular_tensors(df, ['town'], [])
    with pytest.raises(ValueError, match=r"\['area'\] have missing values"): tabular_tensors(df, ['code'], ['area'])
    with pytest.raises(KeyError, match=r"\['rooms'\] are not in the frame"): tabular_tensors(df, ['code'], ['rooms'])
    xc, xn = tabular_tensors(df.fillna(0.), ['code'], ['area'])
    assert xc.tolist() == [[1], [2]] and xn.tolist() == [[1.], [0.]]

def test_tabular_model_rejects_wrong_widths_rows_dtypes_and_codes():
    m = TabularModel([(3, 2), (4, 2)], n_cont=2, layers=(4,)).eval()
    ok_cat, ok_cont = torch.tensor([[0, 3], [2, 1]]), torch.zeros(2, 2)
    assert m(ok_cat, ok_cont).shape == (2, 1)
    with pytest.raises(ValueError, match=r'x_cat must be \(batch, 2\) codes; got shape \(2, 3\)'): m(torch.zeros(2, 3, dtype=torch.long), ok_cont)
    with pytest.raises(ValueError, match=r'x_cont must be \(batch, 2\) numbers; got shape \(2, 3\)'): m(ok_cat, torch.zeros(2, 3))
    with pytest.raises(ValueError, match='x_cat has 2 rows but x_cont has 3'): m(ok_cat, torch.zeros(3, 2))
    with pytest.raises(TypeError, match='integer codes; got torch.float32'): m(ok_cat.float(), ok_cont)
    with pytest.raises(IndexError, match=r'column 1 of x_cat holds codes outside 0..3'): m(torch.tensor([[0, 4], [1, 1]]), ok_cont)
    with pytest.raises(IndexError, match=r'column 0 of x_cat holds codes outside 0..2'): m(torch.tensor([[-1, 0], [1, 1]]), ok_cont)
    with pytest.raises(ValueError, match='y_range must be'): TabularModel([(3, 2)], n_cont=0, y_range=(2., 1.))
    with pytest.raises(ValueError, match=r'\(number of classes, size\)'): TabularModel([(0, 2)], n_cont=1)
    with pytest.raises(ValueError, match='at least one categorical or continuous'): TabularModel([], n_cont=0)

def test_tree_interpreter_rejects_classifiers_boosting_and_unfitted_models():
    from sklearn.tree import DecisionTreeRegressor, DecisionTreeClassifier
    from sklearn.ensemble import RandomForestClassifier, GradientBoostingRegressor, RandomForestRegressor
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3)); y = X[:, 0] + rng.normal(0, 0.1, 60)
    with pytest.raises(TypeError, match='DecisionTreeClassifier is a classifier'): tree_interpret(DecisionTreeClassifier(max_depth=2).fit(X, y > 0), X)
    with pytest.raises(TypeError, match='RandomForestClassifier is a classifier'): tree_interpret(RandomForestClassifier(3, random_state=0).fit(X, y > 0), X)
    with pytest.raises(TypeError, match='GradientBoostingRegressor.*boosting'): tree_interpret(GradientBoostingRegressor(n_estimators=3).fit(X, y), X)
    with pytest.raises(TypeError, match=r'got RandomForestRegressor.*call \.fit'): tree_interpret(RandomForestRegressor(3), X)
    with pytest.raises(TypeError, match=r'got DecisionTreeRegressor.*call \.fit'): tree_contributions(DecisionTreeRegressor(), X)
    with pytest.raises(ValueError, match='3 features'): tree_interpret(RandomForestRegressor(3, random_state=0).fit(X, y), X[:, :2])

def test_waterfall_rejects_mismatched_names_and_several_rows():
    import matplotlib; matplotlib.use('Agg')
    with pytest.raises(ValueError, match='3 contributions but 2 names'): plot_waterfall(0., [1., 2., 3.], ['a', 'b'])
    with pytest.raises(ValueError, match=r'one row.*shape \(2, 3\)'): plot_waterfall(0., np.ones((2, 3)), list('abc'))
    with pytest.raises(ValueError, match=r'shape \(0,\)'): plot_waterfall(0., [], [])
    with pytest.raises(ValueError, match='top must be at least 1'): plot_waterfall(0., [1.], ['a'], top=0)

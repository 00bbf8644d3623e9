"""coursekit.collab and collab_data: the ML-100k parser on a fixture in the exact layout, CollabData's id mapping and its errors, the models' shapes."""
import numpy as np
import pandas as pd
import pytest
import torch
from coursekit.data_tabular import _read_ml100k
from coursekit.collab_data import CollabData, UnknownIdError
from coursekit.collab import DotProduct, DotProductBias, EmbeddingNN
from coursekit.core import emb_sz_rule, sigmoid_range

GENRES = 19
def item_line(movie, title, release, flags):
    "One u.item line: id|title|release date|video release date|IMDb URL|19 genre flags."
    bits = ['0'] * GENRES
    for f in flags: bits[f] = '1'
    return '|'.join([str(movie), title, release, '', f'http://us.imdb.com/M/title-exact?{movie}'] + bits)

@pytest.fixture
def ml100k(tmp_path):
    "A three-movie, four-rating folder in the ML-100k layout: u.data tab-separated, u.item latin-1 with '|'."
    (tmp_path/'u.data').write_text('196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n196\t377\t4\t881251001\n')
    items = [item_line(242, 'Kolya (1996)', '24-Jan-1997', [5]),
             item_line(302, 'L.A. Confidential (1997)', '01-Jan-1997', [6, 10, 13, 16]),
             item_line(377, 'Misérables, Les (1995)', '', [8])]                   # non-ASCII title, missing date
    (tmp_path/'u.item').write_bytes(('\n'.join(items) + '\n').encode('latin-1'))
    return tmp_path

def test_ml100k_parser_reads_the_exact_layout(ml100k):
    df = _read_ml100k(ml100k)
    assert list(df.columns) == ['user', 'movie', 'rating', 'timestamp', 'title', 'year', 'genres']
    assert len(df) == 4 and df.rating.tolist() == [3, 3, 1, 4]
    by_movie = df.drop_duplicates('movie').set_index('movie')
    assert by_movie.title[377] == 'Misérables, Les (1995)'                             # decoded as latin-1
    assert by_movie.genres[242] == 'Comedy' and by_movie.genres[302] == 'Crime|Film-Noir|Mystery|Thriller'
    assert by_movie.year[242] == 1997 and pd.isna(by_movie.year[377])

def test_collabdata_on_parsed_ml100k(ml100k):
    df = _read_ml100k(ml100k)
    cd = CollabData(df, df.user == 22)
    assert (cd.n_users, cd.n_items) == (3, 4)                                          # 2 training users, 3 movies, + unknown rows
    x, y = cd.tensors()
    assert x.shape == (4, 2) and x.dtype == torch.long and y.dtype == torch.float32
    assert x[2].tolist() == [0, cd.item2idx[377]]                                      # validation-only user 22 -> index 0
    assert cd.names([cd.item2idx[377]]) == ['Misérables, Les (1995)']
    xb, yb = next(iter(cd.dataloaders(bs=2).valid))
    assert xb.tolist() == [[0, cd.item2idx[377]]] and yb.tolist() == [1.0]

@pytest.fixture
def small():
    df = pd.DataFrame({'user': [1, 1, 2, 2, 3], 'movie': [10, 20, 10, 30, 40], 'rating': [4., 3., 5., 2., 1.],
                       'title': ['A', 'B', 'A', 'C', 'D']})
    return CollabData(df, [False, False, False, False, True])

def test_ids_are_learned_from_training_rows_only(small):
    assert small.users == ['#na#', 1, 2] and small.items == ['#na#', 10, 20, 30]
    assert small.encode([2, 1], [30, 10]).tolist() == [[2, 3], [1, 1]]
    assert small.tensors()[0][-1].tolist() == [0, 0]                                  # the validation row's user 3 and movie 40
    assert 'CollabData: 2 users, 3 movies' in repr(small)

def test_unknown_id_error_names_the_id(small):
    with pytest.raises(UnknownIdError, match=r"^movie id 99 was not in the training data.*unknown='na'") as e:
        small.encode([1], [99])
    assert isinstance(e.value, KeyError)
    with pytest.raises(UnknownIdError, match=r"^user id 7 was not"): small.encode([7], [10])
    with pytest.raises(UnknownIdError, match=r"^4 movie ids were \(40, 50, 60, \.\.\.\) not in the training data"):
        small.encode([1] * 5, [40, 50, 60, 70, 40])
    assert small.encode([7, 1], [99, 20], unknown='na').tolist() == [[0, 0], [1, 2]]   # the documented fallback

def test_bad_arguments_get_clear_errors(small):
    with pytest.raises(ValueError, match="use 'error' or 'na'"): small.encode([1], [10], unknown='mean')
    with pytest.raises(ValueError, match='2 users but 1 items'): small.encode([1, 2], [10])
    df = small.df
    with pytest.raises(ValueError, match='one bool per row'): CollabData(df, [True, False])
    with pytest.raises(KeyError, match="no column 'item'"): CollabData(df, item='item')
    with pytest.raises(ValueError, match='every row is a validation row'): CollabData(df, [True] * 5)

def test_models_compute_what_they_claim():
    "Known factors and biases in, the hand-computed rating out: a dot product, plus biases, through sigmoid_range."
    x = torch.tensor([[1, 2], [2, 0]])
    dot = DotProduct(3, 4, n_factors=2)
    with torch.no_grad():
        dot.user_factors.weight.copy_(torch.tensor([[0., 0.], [1., 2.], [3., -1.]]))
        dot.item_factors.weight.copy_(torch.tensor([[0.5, 0.5], [0., 0.], [2., 1.], [0., 0.]]))
    assert dot(x).tolist() == [4.0, 1.0]                                               # [1,2].[2,1] and [3,-1].[.5,.5]
    dpb = DotProductBias(3, 4, n_factors=2, y_range=None)
    with torch.no_grad():
        dpb.user_factors.weight.copy_(dot.user_factors.weight); dpb.item_factors.weight.copy_(dot.item_factors.weight)
        dpb.user_bias.weight.copy_(torch.tensor([[0.], [0.5], [-1.]])); dpb.item_bias.weight.copy_(torch.tensor([[0.25], [0.], [1.], [0.]]))
    assert dpb(x).tolist() == [5.5, 0.25]
    dpb.y_range = (0., 5.5)
    assert torch.allclose(dpb(x), torch.sigmoid(torch.tensor([5.5, 0.25])) * 5.5)
    nn_model = EmbeddingNN(3, 4).eval()
    assert nn_model.user_factors.weight.shape == (3, emb_sz_rule(3)) and nn_model(x).shape == (2,)
    nn_model.y_range = None
    raw = nn_model(x); nn_model.y_range = (1., 3.)
    assert torch.allclose(nn_model(x), torch.sigmoid(raw) * 2 + 1)
    assert [emb_sz_rule(n) for n in (2, 100, 10_000, 10**6)] == [2, 21, 278, 600]

def test_sigmoid_range_maps_onto_the_open_interval():
    z = torch.tensor([-50., 0., 50.])
    assert torch.allclose(sigmoid_range(z, 1., 3.), torch.tensor([1., 2., 3.]))   # ends approached, midpoint at 0
    assert torch.allclose(sigmoid_range(torch.tensor([1.]), 0., 5.5), torch.sigmoid(torch.tensor([1.])) * 5.5)
    with pytest.raises(ValueError, match='lo=5.5 must be below hi=0'): sigmoid_range(z, 5.5, 0.)

def test_bad_frames_get_clear_errors():
    df = pd.DataFrame({'user': [1, 2], 'movie': [10, 20], 'rating': [4., 3.], 'title': ['A', 'B']})
    with pytest.raises(TypeError, match='must be a pandas DataFrame'): CollabData(df.to_numpy())
    with pytest.raises(ValueError, match='df has no rows'): CollabData(df.iloc[:0])
    with pytest.raises(ValueError, match='bool mask.*not row indices'): CollabData(df, [1, 5])
    with pytest.raises(ValueError, match="column 'user' has 1 missing ids"): CollabData(df.assign(user=[1, None]))
    with pytest.raises(ValueError, match="ratings column 'rating' has 1 missing values"): CollabData(df.assign(rating=[4., None]))
    with pytest.raises(TypeError, match="ratings column 'rating' has dtype .*it must hold numbers"): CollabData(df.assign(rating=['4', '3']))
    with pytest.raises(TypeError, match="column 'movie' mixes id types"): CollabData(df.assign(movie=[10, 'x']))
    assert CollabData(df, [0, 1]).is_valid.tolist() == [False, True]                  # a 0/1 mask is still a mask

def test_bad_ids_and_indices_get_clear_errors(small):
    with pytest.raises(TypeError, match=r'users must be a list.*for one pair pass \[1\]'): small.encode(1, [10])
    with pytest.raises(TypeError, match='items must be a list'): small.encode([1, 2], '10')
    assert small.encode(np.array([1, 2]), torch.tensor([10, 30])).tolist() == [[1, 1], [2, 3]]
    assert small.encode([], []).shape == (0, 2)
    with pytest.raises(ValueError, match='batch size must be a positive integer'): small.dataloaders(bs=0)
    with pytest.raises(IndexError, match=r'item index 4 is outside 0\.\.3'): small.names([1, 4])
    with pytest.raises(IndexError, match='item index -1'): small.names([-1])
    with pytest.raises(ValueError, match='1-d list of item indices'): small.names(torch.zeros(2, 2, dtype=torch.long))
    with pytest.raises(TypeError, match='integer item indices'): small.names([1.0])
    assert small.names([]) == [] and small.names(torch.tensor([1])) == ['A']

@pytest.mark.parametrize('make', [lambda: DotProduct(3, 4), lambda: DotProductBias(3, 4), lambda: EmbeddingNN(3, 4).eval()])
def test_models_reject_bad_pairs(make):
    model = make()
    with pytest.raises(ValueError, match=r'expected an \(n, 2\) tensor.*got \(3,\)'): model(torch.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match=r'got \(2, 3\)'): model(torch.zeros(2, 3, dtype=torch.long))
    with pytest.raises(TypeError, match='must be integers'): model(torch.zeros(2, 2))
    with pytest.raises(IndexError, match=r'users must be in 0\.\.2 \(got 0\.\.3\)'): model(torch.tensor([[0, 0], [3, 1]]))
    with pytest.raises(IndexError, match=r'items in 0\.\.3 \(got 1\.\.4\)'): model(torch.tensor([[0, 4], [1, 1]]))
    with pytest.raises(IndexError, match='out of range'): model(torch.tensor([[-1, 0]]))
    assert model(torch.zeros(0, 2, dtype=torch.long)).shape == (0,)

def test_models_reject_bad_sizes():
    with pytest.raises(ValueError, match='n_items=0: must be a positive integer'): DotProduct(3, 0)
    with pytest.raises(ValueError, match='n_factors=2.5'): DotProductBias(3, 4, n_factors=2.5)
    with pytest.raises(ValueError, match=r'y_range=\(5\.5, 0\.0\)'): DotProductBias(3, 4, y_range=(5.5, 0.))
    with pytest.raises(ValueError, match=r'y_range=\(1\.0,\)'): EmbeddingNN(3, 4, y_range=(1.,))
    with pytest.raises(ValueError, match='emb_szs'): EmbeddingNN(3, 4, emb_szs=(2,))
    with pytest.raises(ValueError, match=r'layers\[1\]=0'): EmbeddingNN(3, 4, layers=(8, 0))

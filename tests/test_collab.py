"""coursekit.collab: the ML-100k parser on a fixture in the exact layout, CollabData's id mapping and its errors, the models' shapes."""
import pandas as pd
import pytest
import torch
from coursekit.data import _read_ml100k
from coursekit.collab import (CollabData, UnknownIdError, DotProduct, DotProductBias, EmbeddingNN, sigmoid_range)
from coursekit.core import emb_sz_rule

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

def test_models_shapes_and_range():
    x = torch.tensor([[0, 0], [1, 2], [2, 3]])
    assert DotProduct(3, 4, n_factors=5)(x).shape == (3,)
    p = DotProductBias(3, 4, y_range=(0., 5.5))(x)
    assert p.shape == (3,) and ((p > 0) & (p < 5.5)).all()
    nn_model = EmbeddingNN(3, 4).eval()
    assert nn_model.user_factors.weight.shape == (3, emb_sz_rule(3)) and nn_model(x).shape == (3,)
    assert [emb_sz_rule(n) for n in (2, 100, 10_000, 10**6)] == [2, 21, 278, 600]
    assert torch.allclose(sigmoid_range(torch.zeros(1), 1., 3.), torch.tensor([2.]))

"""The verified download path, driven against a real HTTP server on 127.0.0.1."""
import hashlib, io, tarfile, zipfile
from pathlib import Path
import pytest
from coursekit import data, data_tabular, data_text
from coursekit.data import DataError, Entry, Remote, download, extract, fetch

def sha(b): return hashlib.sha256(b).hexdigest()

def make_zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as z:
        for name, text in members.items(): z.writestr(name, text)
    return buf.getvalue()

def make_tgz(members, links=()):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as t:
        for name, text in members.items():
            b = text.encode(); info = tarfile.TarInfo(name); info.size = len(b); t.addfile(info, io.BytesIO(b))
        for name, target in links:
            info = tarfile.TarInfo(name); info.type = tarfile.SYMTYPE; info.linkname = target; t.addfile(info)
    return buf.getvalue()

ML = {'ml-100k/u.data': '1\t10\t4\t881250949\n2\t10\t3\t891717742\n',
      'ml-100k/u.item': '10|Richard III (1995)|22-Jan-1996||http://x|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|1|0\n'}

def files_in(folder): return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob('*')) if Path(folder).exists() else []

@pytest.fixture
def tiny_entry(server, monkeypatch):
    "A catalog entry whose full-size variant lives on the local server."
    body = make_zip(ML)
    url = server.add('/ml-100k.zip', body)
    e = Entry('tiny', 'a tiny ML-100k-shaped archive', licence='test data', package='none', source='-', rows='2 rows', split='-',
              loader=lambda: None, full={'100k': Remote(url, sha(body), len(body), 'zip: ml-100k/u.data, ml-100k/u.item')})
    monkeypatch.setitem(data.CATALOG, 'tiny', e)
    return e

def test_good_archive_is_downloaded_verified_and_extracted(tiny_entry, data_home, server):
    folder = fetch('tiny', '100k', progress=False)
    assert (folder/'ml-100k'/'u.data').read_text() == ML['ml-100k/u.data']
    assert files_in(data_home/'tiny') == ['ml-100k', 'ml-100k.zip', 'ml-100k/ml-100k', 'ml-100k/ml-100k/u.data', 'ml-100k/ml-100k/u.item']
    df = data_tabular._read_ml100k(folder/"ml-100k")
    assert df.title.tolist() == ['Richard III (1995)'] * 2 and df.genres[0] == 'Drama|War'

def test_good_tar_archive(server, data_home):
    body = make_tgz({'imdb/train/pos/1.txt': 'great'})
    f = download(server.add('/a.tar.gz', body), sha(body), data_home/'a.tar.gz', progress=False)
    assert (extract(f, data_home/'a')/'imdb'/'train'/'pos'/'1.txt').read_text() == 'great'

def test_second_call_is_served_from_cache_without_a_request(tiny_entry, data_home, server):
    fetch('tiny', '100k', progress=False)
    n = len(server.hits)
    fetch('tiny', '100k', progress=False)
    assert len(server.hits) == n == 1

def test_corrupt_cache_is_fetched_again(server, data_home, capsys):
    body = b'real bytes' * 100
    dest = data_home/'f.bin'; dest.parent.mkdir(parents=True); dest.write_bytes(b'garbage')
    download(server.add('/f.bin', body), sha(body), dest, progress=False)
    assert dest.read_bytes() == body and len(server.hits) == 1
    assert 'failed its sha256 check' in capsys.readouterr().out

def test_wrong_sha_keeps_nothing_and_says_expected_vs_got(server, data_home):
    body = b'not what the catalog promised'
    wrong = sha(b'something else')
    with pytest.raises(DataError) as e: download(server.add('/f.bin', body), wrong, data_home/'f.bin', retries=1, progress=False)
    msg = str(e.value)
    assert 'wrong sha256' in msg and wrong in msg and sha(body) in msg and 'deleted' in msg
    assert len(server.hits) == 2          # retried once
    assert files_in(data_home) == []      # no file, no temporary left behind

def test_truncated_download_leaves_no_partial_file(server, data_home):
    body = b'x' * 200_000
    with pytest.raises(DataError, match='cut off'):
        download(server.add('/big.bin', body, truncated=True), sha(body), data_home/'big.bin', retries=0, progress=False)
    assert files_in(data_home) == []

def test_archive_member_escaping_the_target_is_refused(server, data_home, tmp_path):
    for name, body in [('dotdot.zip', make_zip({'ok.txt': 'fine', '../../escaped.txt': 'bad'})),
                       ('abs.tgz', make_tgz({'/tmp/escaped.txt': 'bad'})),
                       ('link.tgz', make_tgz({'ok.txt': 'fine'}, links=[('evil', '../../outside')]))]:
        f = download(server.add('/' + name, body), sha(body), data_home/name, progress=False)
        with pytest.raises(DataError, match='Refused to extract'): extract(f, data_home/'out')
        assert not (data_home/'out').exists()
    assert files_in(data_home) == ['abs.tgz', 'dotdot.zip', 'link.tgz']
    assert not list(tmp_path.rglob('escaped.txt'))

def test_http_404_names_the_url(server, data_home):
    url = server.url + '/missing.zip'
    with pytest.raises(DataError, match='HTTP 404') as e: download(url, sha(b''), data_home/'missing.zip', retries=0, progress=False)
    assert url in str(e.value) and files_in(data_home) == []

def test_connection_refused_says_where_to_put_the_file(closed_port_url, data_home):
    dest = data_home/'mnist.npz'
    with pytest.raises(DataError, match='Could not reach') as e: download(closed_port_url, 'a' * 64, dest, retries=0, progress=False)
    assert closed_port_url in str(e.value) and f'put it at {dest}' in str(e.value)
    assert files_in(data_home) == []

def test_offline_with_no_cached_copy(server, data_home, monkeypatch):
    monkeypatch.setenv('COURSEKIT_OFFLINE', '1')
    url = server.add('/f.bin', b'abc')
    with pytest.raises(DataError, match='is missing and COURSEKIT_OFFLINE is set') as e:
        download(url, sha(b'abc'), data_home/'f.bin', progress=False)
    assert url in str(e.value) and server.hits == []

def test_offline_uses_a_good_cached_copy(server, data_home, monkeypatch):
    url = server.add('/f.bin', b'abc')
    download(url, sha(b'abc'), data_home/'f.bin', progress=False)
    monkeypatch.setenv('COURSEKIT_OFFLINE', '1')
    assert download(url, sha(b'abc'), data_home/'f.bin', progress=False).read_bytes() == b'abc'
    assert len(server.hits) == 1

def test_unknown_size_and_unknown_name():
    with pytest.raises(DataError, match="no downloadable size '1m'"): fetch('movielens', '1m')
    with pytest.raises(DataError, match="Did you mean 'movielens'"): fetch('movie_lens', '100k')

def test_imdb_layout_parser(tmp_path):
    root = tmp_path/'aclImdb'
    for split in ('train', 'test'):
        for lab in ('pos', 'neg'):
            (root/split/lab).mkdir(parents=True)
            (root/split/f'urls_{lab}.txt').write_text('http://www.imdb.com/title/tt0000001/usercomments\nhttp://www.imdb.com/title/tt0000002/usercomments\n')
            for i in (1, 0): (root/split/lab/f'{i}_{8 if lab == "pos" else 2}.txt').write_text(f'{split} {lab} {i}')
    (root/'train'/'unsup').mkdir(); (root/'train'/'unsup'/'0_0.txt').write_text('no label'); (root/'train'/'unsup'/'1_0.txt').write_text('other film')
    (root/'train'/'urls_unsup.txt').write_text('http://www.imdb.com/title/tt0000002/usercomments\nhttp://www.imdb.com/title/tt0000009/usercomments\n')
    df, valid, unlabelled, unlabelled_valid = data_text._read_imdb(root)
    assert len(df) == 8 and valid.sum() == 4 and unlabelled == ['no label', 'other film']
    assert unlabelled_valid.tolist() == [True, False]   # tt0000002 has test (validation) reviews; tt0000009 has none
    assert df.text[0] == 'train pos 0' and df.movie.tolist()[:2] == ['tt0000001', 'tt0000002'] and df.label[0] == 'fresh'

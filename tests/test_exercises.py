"""coursekit.exercises: for every registered exercise, the reference passes, the blank stub is "not attempted", every
catalogued mistake is recognised with its own hint, and perturbed references (x 1.01, transposed, off by one) fail."""
import pytest, torch
from coursekit import exercises as E

@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch): monkeypatch.setenv('COURSEKIT_PROGRESS', str(tmp_path/'progress.json'))

FUNCS = sorted(k for k, ex in E.registry.items() if ex.kind == 'function')
VALUES = sorted(k for k, ex in E.registry.items() if ex.kind == 'value')
JUDGEMENTS = sorted(k for k, ex in E.registry.items() if ex.kind == 'judgement')
MISTAKES = [(k, i) for k in sorted(E.registry) for i in range(len(E.registry[k].mistakes))]

def stub(*args): ...
def stub_pass(*args): pass
def stub_raise(*args): raise NotImplementedError

# Issue 16: at least 4 exercises for each of lessons 01-07, at least 2 for 00 (foundations), 08, 09 and the later lessons.
MINIMUM = {'00': 2, '01': 4, '02': 4, '03': 4, '03b': 2, '04': 4, '04b': 2, '05': 4, '06': 4, '07': 4, '07b': 2, '08': 2, '09': 2}

def test_every_lesson_has_its_minimum_number_of_exercises():
    per = {}
    for k in E.registry: per[k.split('.')[0]] = per.get(k.split('.')[0], 0) + 1
    short = {l: (per.get(l, 0), need) for l, need in MINIMUM.items() if per.get(l, 0) < need}
    short |= {l: (n, 2) for l, n in per.items() if l not in MINIMUM and n < 2}   # a lesson that lands later: at least 2
    assert not short, f'lessons below their minimum (have, need): {short}'

@pytest.mark.parametrize('ex_id', FUNCS)
def test_reference_passes_and_stubs_are_not_attempted(ex_id):
    ex = E.registry[ex_id]
    assert ex.check(ex.reference).passed
    for s in (stub, stub_pass, stub_raise):
        r = ex.check(s); assert r.status == 'not attempted' and not r.passed

@pytest.mark.parametrize('ex_id', FUNCS)
def test_inputs_cover_several_cases_and_are_seeded(ex_id):
    ex = E.registry[ex_id]
    a, b = ex.cases(), ex.cases()
    assert len(a) >= 3, 'randomized inputs: at least three cases, edge cases included'
    assert all(E._differs(x, y, 0., 0.) is None for ca, cb in zip(a, b) for x, y in zip(ca, cb))

@pytest.mark.parametrize('ex_id,i', MISTAKES)
def test_each_catalogued_mistake_is_recognised_with_its_own_hint(ex_id, i):
    ex = E.registry[ex_id]; m = ex.mistakes[i]
    if ex.kind != 'function':
        args = ex.inputs(torch.Generator().manual_seed(0))[0]
        r = ex.check(m.wrong(*args), *args)
    else: r = ex.check(m.wrong)
    assert not r.passed and r.status == 'mistake' and r.mistake == m.name and m.hint in r.message, r.message

def _perturbed(ref):
    def scaled(*a):
        out = ref(*a)
        return out * 1.01 + 1e-3 if isinstance(out, torch.Tensor) and out.is_floating_point() else out + 1
    def transposed(*a):
        out = ref(*a)
        return out.transpose(-1, -2) if isinstance(out, torch.Tensor) and out.ndim >= 2 else out + 1
    def off_by_one(*a): return ref(*a) + 1
    return {'x 1.01': scaled, 'transposed': transposed, 'off by one': off_by_one}

@pytest.mark.parametrize('ex_id', FUNCS)
def test_perturbed_references_fail(ex_id):
    ex = E.registry[ex_id]
    for what, f in _perturbed(ex.reference).items():
        r = ex.check(f); assert not r.passed, f'{ex_id}: the reference {what} passed'

@pytest.mark.parametrize('ex_id', VALUES)
def test_value_exercises(ex_id):
    ex = E.registry[ex_id]
    for args in ex.inputs(torch.Generator().manual_seed(0)):
        want = ex.reference(*args)
        assert ex.check(want, *args).passed
        assert not ex.check(want * 1.01 + 1e-3 if isinstance(want, float) else want + 1, *args).passed
        assert ex.check(..., *args).status == 'not attempted'

@pytest.mark.parametrize('ex_id', JUDGEMENTS)
def test_judgements_accept_the_reference_and_recognise_each_mistake_on_every_input(ex_id):
    ex = E.registry[ex_id]
    cases = ex.inputs(torch.Generator().manual_seed(0))
    assert len(cases) >= 3, 'a judgement is tried on several generated inputs'
    for args in cases:
        assert ex.check(ex.reference(*args), *args).passed and ex.check(..., *args).status == 'not attempted'
        for m in ex.mistakes:
            r = ex.check(m.wrong(*args), *args)
            assert not r.passed and r.mistake == m.name and m.hint in r.message, (m.name, r.message)
        for odd in ('text', 3 + 4j, [object()]):   # never raises on an answer of the wrong kind
            r = ex.check(odd, *args); assert not r.passed and r.status in ('wrong', 'error'), r.message

# The framework itself, on a small exercise defined here: row means of a matrix.
def row_means(x): return x.mean(1)
def rows_cases(g): return [(torch.randn(n, m, generator=g),) for n, m in [(1, 3), (4, 5), (7, 2), (3, 3)]] + [(torch.full((2, 4), 3.),)]
DEMO = E.Exercise('99.row_means', 'The mean of each row.', 'def row_means(x):', row_means, rows_cases, ['Reduce over columns.', 'x.mean(1)'],
                  [E.Mistake('wrong axis', lambda x: x.mean(0), 'You averaged each column: reduce over dim 1.'),
                   E.Mistake('sum instead of mean', lambda x: x.sum(1), 'You summed: divide by the number of columns, or use .mean.')],
                  no_loops=True)

def test_check_never_raises_and_shows_the_smallest_failing_input():
    def crashes(x): raise ValueError('boom')
    r = DEMO.check(crashes); assert r.status == 'error' and 'ValueError: boom' in r.message and 'shape (1, 3)' in r.message
    r = DEMO.check(lambda x: x.mean(1) + (x.shape[0] > 3)); assert r.status == 'wrong' and 'shape (7, 2)' in r.message   # (1,3), (2,4), (3,3) pass; (7,2) is the smallest that fails
    assert 'expected' in r.message and 'got' in r.message

def test_in_place_changes_and_loops_are_caught():
    def changes(x): x[0] = 0; return x.mean(1)
    assert DEMO.check(changes).mistake == 'changed the input in place'
    def looped(x): return torch.stack([r.mean() for r in x])
    r = DEMO.check(looped); assert r.mistake == 'a Python loop where broadcasting was asked' and not r.passed

def test_a_result_instead_of_a_function_gets_told_so():
    r = DEMO.check(torch.ones(3)); assert r.status == 'error' and 'ex.check(row_means)' in r.message

def test_shape_and_dtype_differences_are_named():
    assert 'shape' in DEMO.check(lambda x: x.mean(1, keepdim=True)).message
    assert 'dtype' in DEMO.check(lambda x: x.mean(1) > 0).message

def test_hints_advance_and_progress_is_recorded(capsys):
    ex = E.Exercise('98.row_means', DEMO.task, DEMO.signature, row_means, rows_cases, ['first', 'second'])
    ex.hint(); ex.hint(); ex.hint()
    out = capsys.readouterr().out
    assert 'Hint 1 of 2: first' in out and 'Hint 2 of 2: second' in out
    ex.check(lambda x: x.sum(1)); ex.check(row_means); ex.solution()
    rec = E._load_progress()['98.row_means']
    assert rec == {'attempts': 2, 'solved': True, 'hints': 3, 'solution_seen': True, 'last': 'correct'}

@pytest.fixture
def demo_registered():
    ex = E.register(E.Exercise('97.row_means', DEMO.task, DEMO.signature, row_means, rows_cases, ['h']))
    yield ex
    dict.__delitem__(E.registry, ex.id)

def test_progress_table_counts_per_lesson(demo_registered):
    demo_registered.check(lambda x: x.sum(1)); demo_registered.hint()
    t = E.progress()
    assert list(t.columns) == ['exercises', 'attempted', 'solved', 'hints_used', 'solutions_seen']
    assert t['exercises'].sum() == len(E.registry)
    assert t.loc['97'].tolist() == [1, 1, 0, 1, 0]
    demo_registered.check(row_means)
    assert E.progress().loc['97', 'solved'] == 1
    again = E.Exercise('97.row_means', DEMO.task, DEMO.signature, row_means, rows_cases, ['h'])
    with pytest.raises(ValueError, match='registered by both'): _register_from('coursekit.ex_other', again)

def _register_from(module_name, ex):
    "Call `register` as if from the module `module_name`."
    code = compile('register(ex)', module_name, 'exec')
    exec(code, {'__name__': module_name, 'register': E.register, 'ex': ex})

def test_nan_and_arrays_are_compared_properly():
    import numpy as np
    assert E._differs(float('nan'), 0.5, 1e-4, 1e-6) is not None and E._differs(float('nan'), float('nan'), 1e-4, 1e-6) is None
    assert E._differs(np.array([1., 2.]), torch.tensor([1., 2.]), 1e-4, 1e-6) is None
    assert E._differs(np.array([1., 3.]), torch.tensor([1., 2.]), 1e-4, 1e-6) is not None

def test_a_judgement_is_accepted_by_its_rule_and_its_mistakes_by_their_tests():
    accept = lambda t, lo, hi: None if lo < t < hi else f'{t} is not between {lo} and {hi}'
    ex = E.Exercise('96.between', 'A number between lo and hi.', 'my_t = ...', lambda lo, hi: (lo + hi) / 2, lambda g: [(1., 2.)], ['h'],
                    [E.Mistake('too low', lambda lo, hi: lo - 1, 'Raise it.', matches=lambda t, lo, hi: t <= lo)], kind='judgement', accept=accept)
    assert ex.check(1.2, 1., 2.).passed and ex.check(1.9, 1., 2.).passed
    r = ex.check(0.3, 1., 2.); assert r.mistake == 'too low' and 'Raise it.' in r.message and '0.3 is not between' in r.message
    r = ex.check(2.5, 1., 2.); assert r.status == 'wrong' and '2.5 is not between 1.0 and 2.0' in r.message
    assert ex.check('x', 1., 2.).status == 'error'
    with pytest.raises(ValueError, match='needs `accept`'): E.Exercise('96.x', 't', 's', abs, lambda g: [], [], kind='judgement')
    with pytest.raises(ValueError, match="kind must be"): E.Exercise('96.x', 't', 's', abs, lambda g: [], [], kind='values')

def test_unknown_id_lists_the_lesson():
    with pytest.raises(KeyError, match='No exercise'): E.exercise('01.no_such_thing')

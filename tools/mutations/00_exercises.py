# %% the mistake catalogue ignored: every wrong answer gets the generic message
demo.mistakes = []
_run_edited('r0 = demo.check')

# %% blank stubs treated as answers (so a committed notebook would report them wrong)
_is_blank = lambda fn: False
_run_edited('r0 = demo.check')

# %% inputs not copied before the call, so an in-place change goes unseen
_clone = lambda args: args
_run_edited('r0 = demo.check')

# %% the loop check switched off
demo.no_loops = False
_run_edited('r0 = demo.check')

# %% the smallest failing input not shown first (cases in generated order, largest first)
Exercise.cases = lambda self, seed=0: sorted(self.inputs(torch.Generator().manual_seed(seed)), key=lambda a: -a[0].numel())
_run_edited('r0 = demo.check')

# %% a judgement's rule ignored: every answer accepted
import copy
judge = copy.copy(judge); judge.accept = lambda *a: None
_run_edited('rj = [judge.check')

# %% a judgement's mistakes recognised only by equality with their example answer
import copy
judge = copy.copy(judge); judge.mistakes = [Mistake(m.name, m.wrong, m.hint) for m in judge.mistakes]
_run_edited('rj = [judge.check')

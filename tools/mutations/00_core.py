# %% `default_device` dropped from `__all__`
import coursekit.core as core
core.__all__ = [n for n in core.__all__ if n != 'default_device']

# expect: *=ok
# base: reference
# Attacks the "numpy only" rule at module level: `import torch` (allowed: the module is inert, as
# the source document's own `import torch.nn` needs) and a top-level use of it, which raises and
# is reported like any other top-level error (a note in the feedback). The graded functions use
# numpy only: every question ok.
import torch

torch.set_default_dtype(torch.float64)

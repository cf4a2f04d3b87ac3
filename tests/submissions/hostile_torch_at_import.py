# expect: q1=forbidden q2=forbidden q3=forbidden q4=forbidden q5=forbidden
# base: reference
# Attacks the "numpy only" rule: `import torch` at module level (torch is installed in the
# environment). Forbidden at import time means every question is forbidden, even though the
# numpy functions themselves are correct.
import torch

torch.set_default_dtype(torch.float64)

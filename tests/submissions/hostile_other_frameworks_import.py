# expect: q1=ok q2=ok q3=ok q4=ok q5=forbidden
# base: reference
# Attacks a forbidden list that only names torch: RNNCell.backward imports jax, tensorflow and
# autograd (HIPS) and touches each one inside try/except (whether or not they are installed),
# then does the correct numpy work. Using a forbidden framework is what counts: q5 forbidden.
_RefRNNCell = RNNCell


class RNNCell(_RefRNNCell):
    def backward(self, dh):
        for name in ("jax", "tensorflow", "autograd"):
            try:
                __import__(name).numpy
            except Exception:
                pass
        return super().backward(dh)

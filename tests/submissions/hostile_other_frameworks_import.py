# expect: q1=ok q2=ok q3=ok q4=ok q5=forbidden
# base: reference
# Attacks a forbidden list that only names torch: RNNCell.backward tries jax, tensorflow and
# autograd (HIPS), each inside try/except ImportError (they are usually not installed), then does
# the correct numpy work. The attempt to import a forbidden framework is what counts: q5 forbidden
# whether or not the packages exist.
_RefRNNCell = RNNCell


class RNNCell(_RefRNNCell):
    def backward(self, dh):
        for name in ("jax", "tensorflow", "autograd"):
            try:
                __import__(name)
            except ImportError:
                pass
        return super().backward(dh)

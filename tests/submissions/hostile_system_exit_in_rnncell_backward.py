# expect: q1=ok q2=ok q3=ok q4=ok q5=failed
# base: reference
# Attacks q5's method calls: RNNCell.backward does the correct work, then raises
# SystemExit(0). A BaseException from a graded method fails q5 only; the worker survives.
_RefRNNCell = RNNCell


class RNNCell(_RefRNNCell):
    def backward(self, dh):
        super().backward(dh)
        raise SystemExit(0)

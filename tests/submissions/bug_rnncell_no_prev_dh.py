# expect: q1=ok q2=ok q3=ok q4=ok q5=failed
# base: reference
# RNNCell.backward that forgets the gradient flowing from the later step (prev_dh): only the last
# step's gradients are right.
class RNNCell(RNNCell):
    def backward(self, dh):
        self.prev_dh = np.zeros_like(dh)
        return super().backward(dh)

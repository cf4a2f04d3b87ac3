"""Helpers shipped with the assignment, as in the Coursera notebook (`from rnn_utils import *`).

Column-major convention: each column of `x` is one example, so softmax normalises per column.
"""
import numpy as np


def softmax(x: np.ndarray) -> np.ndarray:
    """Column-wise softmax. x: (n, m) -> (n, m), every column sums to 1."""
    e_x = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e_x / np.sum(e_x, axis=0, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Element-wise logistic function."""
    return 1 / (1 + np.exp(-x))


def scale_to_spectral_radius(Waa: np.ndarray, gamma: float) -> np.ndarray:
    """Waa rescaled so that its spectral radius (largest |eigenvalue|) is gamma.

    Waa: (n_a, n_a) -> (n_a, n_a). In the linear regime the gradient reaching a⟨t−k⟩ from a⟨t⟩
    scales like gamma^k: it vanishes for gamma < 1 and explodes for gamma > 1.
    """
    return Waa * gamma / np.max(np.abs(np.linalg.eigvals(Waa)))


__all__ = ["np", "softmax", "sigmoid", "scale_to_spectral_radius"]

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


__all__ = ["np", "softmax", "sigmoid"]

# expect: q7=failed
# base: reference
# Each gradient rescaled by its own norm instead of the joint norm of all of them (and
# total_norm reported as the joint norm, so only the clipped arrays are wrong).
def clip_by_global_norm(gradients, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in gradients.values())))
    clipped = {}
    for name, g in gradients.items():
        clipped[name] = g * min(max_norm / (np.linalg.norm(g) + 1e-6), 1.0)
    return clipped, total_norm

"""The bug library of q6–q14, in the style of `autograder.diagnosis.bugs`: each mistake is a
textual patch of the reference solution with the one line a student reads. The families clip,
flow, lstm and rtrl name this library (`bugs=`); `bugs.bugs_of` and `bugs.variant_functions`
serve it like the first half's.

Finds quote code lines of solutions/rnn.py with their indentation (so the docstrings, which state
the same equations, never match) and occur exactly once in the file.
"""
from __future__ import annotations

from autograder.diagnosis.bugs import Bug, _bug

_CLIP = "    clipped = {name: np.clip(gradients[name], -maxValue, maxValue) for name in CLIP_KEYS}\n"
_TOTAL = "    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in gradients.values())))\n"
_COEFFICIENT = "    coefficient = min(max_norm / (total_norm + 1e-6), 1.0)\n"
_SCALED = "    clipped = {name: g * coefficient for name, g in gradients.items()}\n"
_NORM_STEP = '        da_t = rnn_cell_backward(da_t, step_caches[t])["da_prev"]\n'
_CONCAT_FORWARD = "    concat = np.concatenate((a_prev, xt), axis=0)\n    ft = "
_C_NEXT = "    c_next = ft * c_prev + it * cct\n"
_OT = '    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])\n'
_DC = "    dc = dc_next + ot * (1 - tanh_c**2) * da_next\n"
_LSTM_STEP = "        step = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])\n"
_RTRL_CARRY = '        dz = dz + np.einsum("il,le...->ie...", Waa, sensitivities[p])\n'
_RTRL_SCALE = "        sensitivities_next[p] = dtanh.reshape(dtanh.shape + (1,) * (dz.ndim - 2)) * dz\n"
_RTRL_CALL = "        a_t, sensitivities = rtrl_cell_forward(x[:, :, t], a_t, sensitivities, parameters)\n"
_RTRL_ACCUMULATE = '            grads[p] += np.einsum("ie,ie...->...", da[:, :, t], s)\n'
_RTRL_LOOP = "        for p, s in sensitivities.items():\n" + _RTRL_ACCUMULATE

BUGS_PART2: tuple[Bug, ...] = (
    # q6 — clip
    _bug("q6_clip_result_unused",
         "your clip returns the gradients unclipped: np.clip returns a new array — keep its result "
         "(or pass out=gradient) (handout: Part 6)",
         _CLIP, "    for name in CLIP_KEYS:\n        np.clip(gradients[name], -maxValue, maxValue)\n"
                "    clipped = {name: gradients[name] for name in CLIP_KEYS}\n"),
    _bug("q6_upper_bound_only",
         "your clip bounds the entries from above only — clip to [-maxValue, maxValue]: "
         "np.clip(g, -maxValue, maxValue) (handout: Part 6)",
         _CLIP, _CLIP.replace("np.clip(gradients[name], -maxValue, maxValue)", "np.minimum(gradients[name], maxValue)")),
    _bug("q6_range_zero_to_max",
         "your clip sends negative entries to 0 — the range is symmetric, [-maxValue, maxValue] (handout: Part 6)",
         _CLIP, _CLIP.replace("-maxValue, maxValue", "0, maxValue")),
    _bug("q6_rescale_instead_of_clip",
         "your clip rescales each array by maxValue / max|g| — q6 clips every entry separately to "
         "[-maxValue, maxValue]; rescaling is q7's job (handout: Part 6)",
         _CLIP, "    clipped = {name: gradients[name] * min(1, maxValue / np.max(np.abs(gradients[name])))\n"
                "               for name in CLIP_KEYS}\n"),
    _bug("q6_missing_dby",
         "your clip leaves dby as it was — clip all five gradients dWaa, dWax, dWya, db, dby (handout: Part 6)",
         _CLIP, _CLIP.replace("for name in CLIP_KEYS}", "for name in CLIP_KEYS[:4]}")
         + '    clipped["dby"] = gradients["dby"]\n'),
    # q7 — clip_by_global_norm
    _bug("q7_per_array_norm",
         "your coefficient uses each array's own norm — clipping by the global norm scales every array by "
         "the same max_norm / (‖all gradients‖ + 1e-6) (handout: Part 7)",
         (_COEFFICIENT, _SCALED),
         ("", "    clipped = {name: g * min(max_norm / (np.linalg.norm(g) + 1e-6), 1.0) for name, g in gradients.items()}\n")),
    _bug("q7_scales_up",
         "your clip_by_global_norm also scales small gradients up — apply the coefficient only when "
         "max_norm / (total_norm + 1e-6) < 1 (handout: Part 7)",
         _COEFFICIENT, "    coefficient = max_norm / (total_norm + 1e-6)\n"),
    _bug("q7_squared_norm",
         "your total_norm is the sum of squares — the 2-norm is its square root: "
         "total_norm = sqrt(Σ g²) (handout: Part 7)",
         _TOTAL, "    total_norm = float(sum(np.sum(g**2) for g in gradients.values()))\n"),
    _bug("q7_sum_of_norms",
         "your total_norm adds the arrays' norms — the global norm is the norm of all entries together: "
         "sqrt(Σ over arrays of ‖g‖²) (handout: Part 7)",
         _TOTAL, "    total_norm = float(sum(np.linalg.norm(g) for g in gradients.values()))\n"),
    _bug("q7_norm_after_clipping",
         "your total_norm is measured after clipping — return the norm before clipping, as "
         "torch.nn.utils.clip_grad_norm_ does (handout: Part 7)",
         _SCALED, _SCALED + "    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in clipped.values())))\n"),
    _bug("q7_no_epsilon",
         "your coefficient is max_norm / total_norm — torch adds 1e-6: max_norm / (total_norm + 1e-6) "
         "(handout: Part 7)",
         _COEFFICIENT, "    coefficient = min(max_norm / total_norm, 1.0)\n"),
    # q8 — gradient_norms
    _bug("q8_waa_not_transposed",
         "your gradient flows back through Waa — the step back is da_prev = Waaᵀ ((1 − a²) ⊙ da) "
         "(handout: Part 8)",
         _NORM_STEP, '        a_t = step_caches[t][0]\n'
                     '        da_t = step_caches[t][3]["Waa"] @ ((1 - a_t**2) * da_t)\n'),
    _bug("q8_missing_dtanh",
         "your step back leaves out tanh's derivative — da_prev = Waaᵀ ((1 − a⟨t⟩²) ⊙ da), and 1 − a² "
         "is what makes the effective γ smaller (handout: Part 8)",
         _NORM_STEP, '        da_t = step_caches[t][3]["Waa"].T @ da_t\n'),
    _bug("q8_shifted",
         "your norms[t] is the norm of ∂L/∂a⟨t−1⟩ (a0 included, a⟨T_x−1⟩ left out) — norms[T_x−1] = ‖da_last‖ "
         "(handout: Part 8)",
         ("    norms[T_x - 1] = np.linalg.norm(da_t)\n", "        norms[t - 1] = np.linalg.norm(da_t)\n"),
         ("", "        norms[t] = np.linalg.norm(da_t)\n"
              '    norms[0] = np.linalg.norm(rnn_cell_backward(da_t, step_caches[0])["da_prev"])\n')),
    _bug("q8_reversed",
         "your norms are in backward order (norms[0] = ‖da_last‖) — norms[t] belongs to a⟨t⟩, so "
         "norms[T_x−1] = ‖da_last‖ (handout: Part 8)",
         "    return norms\n", "    return norms[::-1]\n"),
    _bug("q8_wrong_cache",
         "your step back from a⟨t⟩ uses the cache of step t−1 — the Jacobian of step t uses a⟨t⟩ from "
         "step t's cache (handout: Part 8)",
         _NORM_STEP, _NORM_STEP.replace("step_caches[t]", "step_caches[t - 1]")),
    # q9 — lstm_cell_forward
    _bug("q9_concat_x_first",
         "your concat is [xt; a_prev] — the gate weights act on concat = [a_prev; xt], a_prev first "
         "(handout: Part 9)",
         _CONCAT_FORWARD, "    concat = np.concatenate((xt, a_prev), axis=0)\n    ft = "),
    _bug("q9_gates_swapped_in_c",
         "your c_next is it ⊙ c_prev + ft ⊙ cct — the forget gate keeps the old cell: "
         "c_next = ft ⊙ c_prev + it ⊙ cct (handout: Part 9)",
         _C_NEXT, "    c_next = it * c_prev + ft * cct\n"),
    _bug("q9_output_gate_with_forget_weights",
         "your ot is computed with Wf, bf — each gate has its own weights: ot = σ(Wo concat + bo) "
         "(handout: Part 9)",
         _OT, '    ot = sigmoid(parameters["Wf"] @ concat + parameters["bf"])\n'),
    _bug("q9_missing_tanh_c",
         "your a_next is ot ⊙ c_next — squash the cell first: a_next = ot ⊙ tanh(c_next) (handout: Part 9)",
         "    a_next = ot * np.tanh(c_next)\n", "    a_next = ot * c_next\n"),
    _bug("q9_cct_sigmoid",
         "your candidate cct uses σ — it is tanh(Wc concat + bc), values in (−1, 1) (handout: Part 9)",
         '    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])\n',
         '    cct = sigmoid(parameters["Wc"] @ concat + parameters["bc"])\n'),
    # q10 — lstm_forward
    _bug("q10_cell_state_not_carried",
         "your c restarts from zero at every step — carry c_next into the next step as c_prev (handout: Part 10)",
         "        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)\n",
         "        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, np.zeros(a0.shape), parameters)\n"),
    _bug("q10_c0_is_a0",
         "your c0 is a0 — the cell state starts at zero: c0 = np.zeros(a0.shape) (handout: Part 10)",
         "    a_next, c_next = a0, np.zeros(a0.shape)\n", "    a_next, c_next = a0, a0\n"),
    _bug("q10_store_a_prev",
         "your a[:, :, t] holds the state the step started from — store the step's new a_next and c_next "
         "(handout: Part 10)",
         "        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt\n",
         "        a[:, :, t], c[:, :, t], y[:, :, t] = cache[2], cache[3], yt\n"),
    _bug("q10_always_a0",
         "every step of your loop starts from a0 — feed each a_next in as the next step's a_prev (handout: Part 10)",
         "        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)\n",
         "        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a0, c_next, parameters)\n"),
    # q11 — lstm_cell_backward
    _bug("q11_dc_prev_missing_a_term",
         "your dc_prev is dc_next ⊙ ft — the gradient through a_next also reaches c: "
         "dc_prev = (dc_next + ot ⊙ (1 − tanh²c_next) ⊙ da_next) ⊙ ft (handout: Part 11)",
         '    gradients["dc_prev"] = dc * ft\n', '    gradients["dc_prev"] = dc_next * ft\n'),
    _bug("q11_dc_missing_a_term",
         "your gate gradients use dc_next alone — add the path through a_next: "
         "dc = dc_next + ot ⊙ (1 − tanh²c_next) ⊙ da_next (handout: Part 11)",
         _DC, "    dc = dc_next\n"),
    _bug("q11_dot_missing_tanh_c",
         "your dot leaves out tanh(c_next) — a_next = ot ⊙ tanh(c_next), so "
         "dot = da_next ⊙ tanh(c_next) ⊙ ot(1 − ot) (handout: Part 11)",
         '        "o": da_next * tanh_c * ot * (1 - ot),\n', '        "o": da_next * ot * (1 - ot),\n'),
    _bug("q11_dcct_sigmoid_derivative",
         "your dcct uses cct(1 − cct) — cct is a tanh, whose derivative is 1 − cct²: "
         "dcct = dc ⊙ it ⊙ (1 − cct²) (handout: Part 11)",
         '        "c": dc * it * (1 - cct**2),\n', '        "c": dc * it * cct * (1 - cct),\n'),
    _bug("q11_dft_c_next",
         "your dft uses c_next — the forget gate multiplies the previous cell: "
         "dft = dc ⊙ c_prev ⊙ ft(1 − ft) (handout: Part 11)",
         '        "f": dc * c_prev * ft * (1 - ft),\n', '        "f": dc * c_next * ft * (1 - ft),\n'),
    _bug("q11_split_x_first",
         "your da_prev and dxt are cut from the wrong ends of Wᵀ dgate — concat = [a_prev; xt], so da_prev "
         "is its first n_a rows (handout: Part 11)",
         ('    gradients["da_prev"] = dconcat[:n_a]\n', '    gradients["dxt"] = dconcat[n_a:]\n'),
         ('    gradients["da_prev"] = dconcat[-n_a:]\n', '    gradients["dxt"] = dconcat[:-n_a]\n')),
    # q12 — lstm_backward
    _bug("q12_no_da_prevt",
         "your lstm_backward passes da[:, :, t] alone — add the gradient carried back from step t+1: "
         "lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, ...) (handout: Part 12)",
         _LSTM_STEP, _LSTM_STEP.replace("da[:, :, t] + da_prevt", "da[:, :, t]")),
    _bug("q12_no_dc_prevt",
         "your lstm_backward passes dc_next = 0 at every step — carry the cell-state gradient dc_prevt "
         "back from step t+1 (handout: Part 12)",
         _LSTM_STEP, _LSTM_STEP.replace("dc_prevt, step_caches", "np.zeros((n_a, m)), step_caches")),
    _bug("q12_overwrite_parameter_gradients",
         "your dWf … dbo keep only one step's gradient (=) — the weights are shared, so accumulate over "
         "the steps with += (handout: Part 12)",
         "            sums[name] += step[name]\n", "            sums[name] = step[name]\n"),
    _bug("q12_forward_in_time",
         "your lstm_backward walks forward in time — BPTT runs from t = T_x−1 down to 0 (handout: Part 12)",
         "    for t in range(T_x - 1, -1, -1):\n        step = ", "    for t in range(T_x):\n        step = "),
    _bug("q12_wrong_cache",
         "your step t backpropagates through the cache of step T_x−1−t — step t's cell needs caches[0][t] "
         "(handout: Part 12)",
         _LSTM_STEP, _LSTM_STEP.replace("step_caches[t]", "step_caches[T_x - 1 - t]")),
    # q13 — rtrl_cell_forward
    _bug("q13_missing_dtanh",
         "your sensitivities leave out tanh's derivative — S⟨t⟩ = (1 − a⟨t⟩²) ⊙ (∂z/∂p + Waa · S⟨t−1⟩) "
         "(handout: Part 13)",
         _RTRL_SCALE, "        sensitivities_next[p] = dz\n"),
    _bug("q13_waa_transposed",
         "your carried term uses Waaᵀ — forward mode pushes S⟨t−1⟩ through Waa itself: "
         "Σ_l Waa[i, l] S⟨t−1⟩[l, …] (Waaᵀ is BPTT's) (handout: Part 13)",
         _RTRL_CARRY, _RTRL_CARRY.replace('"il,le...->ie..."', '"li,le...->ie..."')),
    _bug("q13_not_carried",
         "your sensitivities forget the previous step (only ∂z/∂p) — add Waa · S⟨t−1⟩: the state depends "
         "on p through a⟨t−1⟩ too (handout: Part 13)",
         _RTRL_CARRY, ""),
    _bug("q13_direct_a_next",
         "your ∂z/∂Waa uses a_next — z = Wax xt + Waa a⟨t−1⟩ + ba, so ∂z[i, e]/∂Waa[j, k] = δ_ij a_prev[k, e] "
         "(handout: Part 13)",
         '        "Waa": np.einsum("ij,ke->iejk", eye, a_prev),\n', '        "Waa": np.einsum("ij,ke->iejk", eye, a_next),\n'),
    _bug("q13_dtanh_on_direct_only",
         "your (1 − a²) scales only ∂z/∂p — it multiplies the whole pre-activation sensitivity: "
         "S⟨t⟩ = (1 − a²) ⊙ (∂z/∂p + Waa · S⟨t−1⟩) (handout: Part 13)",
         (_RTRL_CARRY, _RTRL_SCALE),
         ("", "        sensitivities_next[p] = dtanh.reshape(dtanh.shape + (1,) * (dz.ndim - 2)) * dz"
              ' + np.einsum("il,le...->ie...", Waa, sensitivities[p])\n')),
    # q14 — rtrl_gradients
    _bug("q14_sensitivities_not_carried",
         "your rtrl_gradients passes zero sensitivities at every step — carry the sensitivities the cell "
         "returned into its next call (handout: Part 14)",
         _RTRL_CALL, "        a_t, sensitivities = rtrl_cell_forward(x[:, :, t], a_t, {p: np.zeros(s.shape) "
                     "for p, s in sensitivities.items()}, parameters)\n"),
    _bug("q14_overwrite",
         "your gradients keep only the last step (=) — the loss has a term at every step: "
         "dp = Σ_t Σ da⟨t⟩ ⊙ S⟨t⟩[p] (handout: Part 14)",
         _RTRL_ACCUMULATE, _RTRL_ACCUMULATE.replace("+=", "=")),
    _bug("q14_stale_sensitivities",
         "your step t's gradient uses S⟨t−1⟩ — accumulate da⟨t⟩ with the sensitivities after step t "
         "(handout: Part 14)",
         _RTRL_CALL + _RTRL_LOOP, _RTRL_LOOP + _RTRL_CALL),
    _bug("q14_a_not_carried",
         "every step of your loop starts from a0 — feed each a⟨t⟩ in as the next step's a_prev (handout: Part 14)",
         _RTRL_CALL, _RTRL_CALL.replace("x[:, :, t], a_t,", "x[:, :, t], a0,")),
)

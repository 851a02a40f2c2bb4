r"""Optimal transport: the earth mover's distance as a linear program (primal, dual) and 1-D $W_1$.

The primal problem finds the cheapest coupling of two probability vectors; the Kantorovich dual
finds the potentials that certify it. Both are small linear programs solved with scipy's HiGHS,
meant for the grids of the book (a few hundred points), not for large problems (use POT there).
`wasserstein_1d` uses the closed form on the line instead of a solver.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from ganbook.divergences._validation import (
    as_cost_matrix,
    as_probability_pair,
    as_vector,
    as_weights,
)


class TransportResult(NamedTuple):
    r"""Solution of the primal transport problem: its value and an optimal coupling."""

    distance: float
    r"""The minimal cost $\sum_{ij} C_{ij} \pi_{ij}$."""
    plan: np.ndarray
    r"""An optimal coupling $\pi$, shape (len(p), len(q)): row sums p, column sums q."""


class DualResult(NamedTuple):
    r"""Solution of the Kantorovich dual: its value and optimal potentials with ``f[0] = 0``."""

    distance: float
    r"""The maximal value $\sum_i p_i f_i + \sum_j q_j g_j$."""
    f: np.ndarray
    r"""Potential on the support of p, shape (len(p),), normalised so that ``f[0] == 0``."""
    g: np.ndarray
    r"""Potential on the support of q, shape (len(q),)."""


def _marginal_operators(n: int, m: int) -> tuple[sparse.csr_array, sparse.csr_array]:
    r"""Return R, S with R vec(P) = row sums and S vec(P) = column sums of an n x m matrix P."""
    rows = sparse.kron(sparse.eye_array(n), np.ones((1, m)), format="csr")
    cols = sparse.kron(np.ones((1, n)), sparse.eye_array(m), format="csr")
    return rows, cols


def _transport_problem(
    p: Any, q: Any, cost: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, sparse.csr_array, sparse.csr_array]:
    r"""Check the inputs shared by the primal and the dual; return them with the marginal maps."""
    p, q = as_probability_pair(p, q, same_length=False)
    cost = as_cost_matrix("cost", cost, (p.size, q.size))
    rows, cols = _marginal_operators(p.size, q.size)
    return p, q, cost, rows, cols


def _solve(name: str, **problem: Any) -> Any:
    r"""Run HiGHS and raise ``RuntimeError`` naming the problem if it does not report optimality."""
    result = linprog(method="highs", **problem)
    if result.status != 0:
        raise RuntimeError(f"HiGHS did not solve the {name}: {result.message}")
    return result


def earth_movers_distance(p: Any, q: Any, cost: Any) -> TransportResult:
    r"""Earth mover's distance between ``p`` and ``q`` and an optimal plan, by linear programming.

    $$
    \mathrm{EMD}(p, q) = \min_{\pi \ge 0} \sum_{i,j} C_{ij}\, \pi_{ij}
    \quad \text{s.t.} \quad \sum_j \pi_{ij} = p_i, \quad \sum_i \pi_{ij} = q_j
    $$

    Parameters
    ----------
    p : array_like, shape (n,)
        Source probability vector: non-negative, summing to 1 within 1e-9.
    q : array_like, shape (m,)
        Target probability vector: non-negative, summing to 1 within 1e-9.
    cost : array_like, shape (n, m)
        Cost $C_{ij} \ge 0$ of moving unit mass from source point i to target point j, finite.

    Returns
    -------
    TransportResult
        ``distance`` (float) and ``plan`` (shape (n, m), an optimal coupling).

    Notes
    -----
    The plan is the vector of $nm$ unknowns of the program, reshaped row-major; the $n + m$
    equality constraints fix its row and column sums (one of them is redundant, which HiGHS
    handles). With $C_{ij} = d(x_i, y_j)$ for a metric $d$ the distance is the Wasserstein-1
    distance $W_1$ between $\sum_i p_i \delta_{x_i}$ and $\sum_j q_j \delta_{y_j}$. An optimal
    plan need not be unique; HiGHS returns a vertex of the transport polytope.

    References
    ----------
    Villani, C. (2009). *Optimal Transport: Old and New*. Springer, chapters 4-5.

    Arjovsky, M., Chintala, S. and Bottou, L. (2017). Wasserstein generative adversarial
    networks. *ICML 2017*.

    Examples
    --------
    Move half the mass one step to the right:

    >>> result = earth_movers_distance([0.5, 0.5, 0.0], [0.0, 0.5, 0.5],
    ...                                [[0, 1, 2], [1, 0, 1], [2, 1, 0]])
    >>> round(result.distance, 6)
    1.0
    >>> result.plan.sum(axis=1).round(6)
    array([0.5, 0.5, 0. ])
    """
    p, q, cost, rows, cols = _transport_problem(p, q, cost)
    # --8<-- [start:earth_movers_distance]
    result = _solve(
        "transport problem",
        c=cost.ravel(),  # sum_ij C_ij pi_ij
        A_eq=sparse.vstack([rows, cols], format="csr"),  # row sums, then column sums
        b_eq=np.concatenate([p, q]),  # ... equal p, then q
        bounds=(0, None),  # pi_ij >= 0
    )
    plan = result.x.reshape(p.size, q.size)
    return TransportResult(distance=float(cost.ravel() @ result.x), plan=plan)
    # --8<-- [end:earth_movers_distance]


def earth_movers_dual(p: Any, q: Any, cost: Any) -> DualResult:
    r"""Earth mover's distance from the Kantorovich dual, with optimal potentials ``f`` and ``g``.

    $$
    \mathrm{EMD}(p, q) = \max_{f, g} \sum_i p_i f_i + \sum_j q_j g_j
    \quad \text{s.t.} \quad f_i + g_j \le C_{ij} \ \text{for all } i, j
    $$

    Parameters
    ----------
    p, q : array_like, shapes (n,) and (m,)
        Source and target probability vectors, as for `earth_movers_distance`.
    cost : array_like, shape (n, m)
        Cost matrix $C_{ij} \ge 0$, finite.

    Returns
    -------
    DualResult
        ``distance`` (float), ``f`` (shape (n,)) and ``g`` (shape (m,)), with ``f[0] == 0``.

    Notes
    -----
    Adding a constant to every $f_i$ and subtracting it from every $g_j$ changes neither the
    constraints nor, since both vectors sum to 1, the objective. We remove that freedom by fixing
    $f_0 = 0$ (a bound of the program), which also keeps the program bounded when the two sums
    differ by rounding. Potentials on points without mass ($p_i = 0$) are any feasible values.
    Strong duality makes the value equal to `earth_movers_distance`. When $C$ is a metric the
    optimal potentials can be taken with $g = -f$ and $f$ 1-Lipschitz: the critic of the
    Wasserstein GAN (Arjovsky et al., 2017, equation 3) is such an $f$.

    References
    ----------
    Villani, C. (2009). *Optimal Transport: Old and New*. Springer, chapter 5 (Kantorovich
    duality).

    Arjovsky, M., Chintala, S. and Bottou, L. (2017). Wasserstein generative adversarial
    networks. *ICML 2017*.

    Examples
    --------
    >>> result = earth_movers_dual([0.5, 0.5, 0.0], [0.0, 0.5, 0.5],
    ...                            [[0, 1, 2], [1, 0, 1], [2, 1, 0]])
    >>> round(result.distance, 6)
    1.0
    >>> float(result.f[0])
    0.0
    """
    p, q, cost, rows, cols = _transport_problem(p, q, cost)
    # --8<-- [start:earth_movers_dual]
    free = [(None, None)] * (p.size + q.size)
    free[0] = (0.0, 0.0)  # normalisation f_0 = 0
    result = _solve(
        "Kantorovich dual",
        c=-np.concatenate([p, q]),  # maximise sum_i p_i f_i + sum_j q_j g_j
        A_ub=sparse.hstack([rows.T, cols.T], format="csr"),  # (f_i + g_j) for every pair (i, j)
        b_ub=cost.ravel(),  # ... at most C_ij
        bounds=free,
    )
    f, g = result.x[: p.size], result.x[p.size :]
    return DualResult(distance=float(p @ f + q @ g), f=f, g=g)
    # --8<-- [end:earth_movers_dual]


def _empirical_cdf(values: np.ndarray, weights: np.ndarray, at: np.ndarray) -> np.ndarray:
    r"""Return F(t) = (total weight of values <= t) / (total weight) at every point of ``at``."""
    order = np.argsort(values, kind="stable")
    cumulative = np.concatenate([[0.0], np.cumsum(weights[order])]) / weights.sum()
    return cumulative[np.searchsorted(values[order], at, side="right")]


def _weights(name: str, weights: Any, size: int) -> np.ndarray:
    r"""Return ``weights`` checked for ``size`` values, or uniform weights if it is ``None``."""
    return np.ones(size) if weights is None else as_weights(name, weights, size)


def wasserstein_1d(
    u_values: Any, v_values: Any, u_weights: Any = None, v_weights: Any = None
) -> float:
    r"""Wasserstein-1 distance between two weighted empirical distributions on the real line.

    $$
    W_1(u, v) = \int_{-\infty}^{\infty} |F_u(t) - F_v(t)| \, dt
    $$

    Parameters
    ----------
    u_values : array_like, shape (n,)
        Support points of $u$, finite, in any order.
    v_values : array_like, shape (m,)
        Support points of $v$, finite; $m$ may differ from $n$.
    u_weights : array_like, shape (n,), optional
        Non-negative weights of ``u_values`` with a positive sum, normalised here; uniform if
        omitted.
    v_weights : array_like, shape (m,), optional
        Same for ``v_values``.

    Returns
    -------
    float
        The distance, in the units of the values, $\ge 0$.

    Notes
    -----
    $F_u$ and $F_v$ are the right-continuous cumulative distribution functions. Both are step
    functions that change only at the pooled sorted values $t_0 \le \dots \le t_{n+m-1}$, so the
    integral is the finite sum $\sum_k |F_u(t_k) - F_v(t_k)|\,(t_{k+1} - t_k)$. On the line this
    equals the transport problem of `earth_movers_distance` with cost $|x_i - y_j|$, at
    $O((n + m) \log(n + m))$ cost instead of a linear program.

    References
    ----------
    Villani, C. (2009). *Optimal Transport: Old and New*. Springer, remark 2.19 (the
    one-dimensional case).

    Examples
    --------
    >>> wasserstein_1d([0.0, 1.0], [2.0, 3.0])
    2.0
    >>> wasserstein_1d([0.0, 1.0], [0.0, 1.0], u_weights=[3, 1], v_weights=[1, 3])
    0.5
    """
    u_values = as_vector("u_values", u_values)
    v_values = as_vector("v_values", v_values)
    u_weights = _weights("u_weights", u_weights, u_values.size)
    v_weights = _weights("v_weights", v_weights, v_values.size)
    # --8<-- [start:wasserstein_1d]
    # t_0 <= ... <= t_{n+m-1}: the pooled support, where F_u and F_v jump
    t = np.sort(np.concatenate([u_values, v_values]))
    f_u = _empirical_cdf(u_values, u_weights, t[:-1])
    f_v = _empirical_cdf(v_values, v_weights, t[:-1])
    # sum_k |F_u(t_k) - F_v(t_k)| (t_{k+1} - t_k)
    return float(np.sum(np.abs(f_u - f_v) * np.diff(t)))
    # --8<-- [end:wasserstein_1d]

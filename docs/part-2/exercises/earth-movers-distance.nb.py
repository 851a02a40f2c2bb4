# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercises: the earth mover's distance
#
# Companion to the chapter *The earth mover's distance*. You write the earth mover's distance
# between two discrete distributions as a linear program with `scipy.optimize.linprog`, then
# its Kantorovich dual, then the closed form on the line from cumulative distributions, and
# last the optimal 1-Lipschitz critic built from the same cumulative distributions; each check
# compares your code with `ganbook.divergences`. On the site this notebook is shown solved; the
# exercise version (download it from the chapter's page) has `raise NotImplementedError` where
# your code goes.

# %%
# Run this cell first. Where ganbook is missing (a fresh or a hosted Jupyter), it
# installs the version of ganbook this book was built with, 0.1.0.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("ganbook") is None:
    pip = [sys.executable, "-m", "pip", "install", "ganbook==0.1.0"]
    subprocess.check_call(pip)

# %%
import numpy as np
from scipy import stats
from scipy.optimize import linprog

from ganbook.divergences import earth_movers_distance, earth_movers_dual, wasserstein_1d
from ganbook.exercises import check_function

rng = np.random.default_rng(0)


def histogram(density):
    """A density at some points as a probability vector."""
    return density / density.sum()


def line_cost(x, y):
    """C_ij = |x_i - y_j| for points of the line."""
    return np.abs(x[:, None] - y[None, :])


# The chapter's example: two humps of "data" and one hump of "model" on the grid 0, 1, ..., 15.
grid = np.arange(16.0)
p_data = histogram(0.4 * stats.norm.pdf(grid, 3, 1.2) + 0.6 * stats.norm.pdf(grid, 12, 1.5))
q_model = histogram(stats.norm.pdf(grid, 7.5, 2.0))

cloud_p, cloud_q = rng.normal(size=(7, 2)), rng.normal(size=(5, 2)) + np.array([2.0, 0.0])
uneven = np.sort(rng.uniform(-3, 3, size=12))  # sorted points of the line, unevenly spaced
problems = [  # (p, q, cost): the chapter's example, a three-point one, two clouds, a line
    (p_data, q_model, line_cost(grid, grid)),
    (np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5]), line_cost(grid[:3], grid[:3])),
    (
        histogram(rng.random(7)),
        histogram(rng.random(5)),
        np.linalg.norm(cloud_p[:, None] - cloud_q[None], axis=-1),  # Euclidean, 7 × 5 points
    ),
    (histogram(rng.random(12)), histogram(rng.random(12)), line_cost(uneven, uneven)),
]
no_batch = {"batch_of": lambda *_: None}  # sums over a grid, not means over a batch

# %% [markdown]
# ## Exercise 1: the transport linear program
#
# A plan $\gamma_{ij} \ge 0$ carries mass from $x_i$ to $y_j$; it must take away exactly what
# $p$ has at each point and deliver exactly what $q$ needs. The earth mover's distance is the
# cost of the cheapest plan:
#
# $$
# W_1(p, q) = \min_{\gamma \ge 0} \sum_{i,j} \gamma_{ij}\, C_{ij}
# \quad\text{subject to}\quad
# \sum_j \gamma_{ij} = p_i \ \text{for every } i,
# \qquad
# \sum_i \gamma_{ij} = q_j \ \text{for every } j .
# $$
#
# Hand it to `scipy.optimize.linprog(c, A_eq=..., b_eq=..., bounds=(0, None),
# method="highs")` and return the optimal cost (`result.fun`). Flatten the $n \times m$ plan
# row by row, so that $\gamma_{ij}$ is unknown number $i m + j$ and `c` is `cost.ravel()`.
# Then the row sums are `np.kron(np.eye(n), np.ones(m))` times the unknowns, and the column
# sums `np.kron(np.ones(n), np.eye(m))`. The two supports may differ in size ($n \ne m$).


# %%
def emd(p, q, cost):
    """The earth mover's distance between p and q for the cost matrix C, shape (n, m)."""
    # BEGIN SOLUTION
    n, m = len(p), len(q)
    row_sums = np.kron(np.eye(n), np.ones(m))  # (n, nm): sum_j γ_ij
    column_sums = np.kron(np.ones(n), np.eye(m))  # (m, nm): sum_i γ_ij
    result = linprog(
        cost.ravel(),
        A_eq=np.vstack([row_sums, column_sums]),
        b_eq=np.concatenate([p, q]),
        bounds=(0, None),
        method="highs",
    )
    return result.fun
    # END SOLUTION


# %%
def package_emd(p, q, cost):
    return earth_movers_distance(p, q, cost).distance


check_function(emd, package_emd, problems, **no_batch)

# %% [markdown]
# ## Exercise 2: the Kantorovich dual
#
# A carrier charges $f_i$ per unit it picks up at $x_i$ and $g_j$ per unit it delivers at
# $y_j$. Fair prices never cost more than moving the unit yourself, and the carrier earns as
# much as it can:
#
# $$
# \max_{f,\, g} \; \sum_i p_i f_i + \sum_j q_j g_j
# \quad\text{subject to}\quad f_i + g_j \le C_{ij} \ \text{for all } i, j .
# $$
#
# Strong duality says the value is $W_1$ again. Solve it with `linprog` and return the value.
# Three pitfalls: `linprog` minimises, so minimise the negated objective and negate the
# result; prices may be negative, but `linprog`'s default bounds are $\ge 0$, so give every
# unknown the bounds `(None, None)`; and adding a constant to every $f_i$ and subtracting it from
# every $g_j$ changes nothing, so fix $f_0 = 0$ with the bounds `(0, 0)`, which also keeps the
# program bounded when $\sum p$ and $\sum q$ differ by rounding. The row of `A_ub` for the pair
# $(i, j)$ has a 1 at $f_i$ and a 1 at $g_j$.


# %%
def emd_dual(p, q, cost):
    """The value of the Kantorovich dual of the transport problem for p, q and C."""
    # BEGIN SOLUTION
    n, m = len(p), len(q)
    picks_up = np.kron(np.eye(n), np.ones((m, 1)))  # (nm, n): f_i in the row of (i, j)
    delivers = np.kron(np.ones((n, 1)), np.eye(m))  # (nm, m): g_j in the row of (i, j)
    bounds = [(0.0, 0.0)] + [(None, None)] * (n + m - 1)  # f_0 = 0, the rest free
    result = linprog(
        -np.concatenate([p, q]),
        A_ub=np.hstack([picks_up, delivers]),
        b_ub=cost.ravel(),
        bounds=bounds,
        method="highs",
    )
    return -result.fun
    # END SOLUTION


# %%
def package_dual(p, q, cost):
    return earth_movers_dual(p, q, cost).distance


check_function(emd_dual, package_dual, problems, **no_batch)

# %% [markdown]
# ## Exercise 3: on the line, from cumulative distributions
#
# On the real line there is a closed form with no solver at all. With the cumulative
# distributions $F_p(x_i) = \sum_{k \le i} p_k$ and $F_q$ on sorted points
# $x_0 < x_1 < \dots < x_{n-1}$,
#
# $$
# W_1(p, q) = \int \bigl|F_p(x) - F_q(x)\bigr|\, dx
# = \sum_{i=0}^{n-2} \bigl|F_p(x_i) - F_q(x_i)\bigr|\,(x_{i+1} - x_i).
# $$
#
# Both cumulative distributions are step functions that stay constant between grid points,
# and both reach 1 at $x_{n-1}$: the sum has $n - 1$ terms, one per gap (`np.diff(x)`). The
# check compares your value with `wasserstein_1d`, on the chapter's example and on unevenly
# spaced points.


# %%
def w1_from_cdfs(x, p, q):
    """W1 between p and q on the same sorted points x of the line, from the two CDFs."""
    # BEGIN SOLUTION
    gap = np.abs(np.cumsum(p) - np.cumsum(q))[:-1]
    return float(np.sum(gap * np.diff(x)))
    # END SOLUTION


# %%
def package_w1(x, p, q):
    return wasserstein_1d(x, x, p, q)


on_the_line = [
    (grid, p_data, q_model),
    (uneven, histogram(rng.random(12)), histogram(rng.random(12))),
    (np.sort(rng.normal(size=40)), histogram(rng.random(40) ** 4), histogram(rng.random(40))),
]
check_function(w1_from_cdfs, package_w1, on_the_line, **no_batch)

# %% [markdown]
# ## Exercise 4: the critic, built from the cumulative distributions
#
# With the cost $|x_i - x_j|$, the dual's optimum can be taken with $g = -f$ and $f$
# 1-Lipschitz, $|f_{i+1} - f_i| \le x_{i+1} - x_i$: the Kantorovich–Rubinstein form
# $W_1 = \max_f \sum_i (p_i - q_i) f_i$, the critic of a Wasserstein GAN. Summation by parts
# gives
#
# $$
# \sum_i (p_i - q_i) f_i = \sum_{i=0}^{n-2} \bigl(F_q(x_i) - F_p(x_i)\bigr)\,(f_{i+1} - f_i),
# $$
#
# so the best critic steps up by the full gap $x_{i+1} - x_i$ where $F_q > F_p$ and down by it
# where $F_p > F_q$. Return that $f$, with $f_0 = 0$, one value per point. Where every point
# carries mass and $F_p \ne F_q$ at every point but the last, as in the cases below, this is the
# only optimal potential with $f_0 = 0$, so the check compares it with the $f$ of the package's
# `earth_movers_dual`. Mind the direction: the critic goes downhill while the data's mass is
# ahead on the left.


# %%
def critic_from_cdfs(x, p, q):
    """The optimal 1-Lipschitz potential f on the sorted points x, with f[0] = 0."""
    # BEGIN SOLUTION
    steps = np.sign(np.cumsum(q) - np.cumsum(p))[:-1] * np.diff(x)
    return np.concatenate([[0.0], np.cumsum(steps)])
    # END SOLUTION


# %%
def package_critic(x, p, q):
    return earth_movers_dual(p, q, line_cost(x, x)).f


check_function(critic_from_cdfs, package_critic, on_the_line, **no_batch)

# %% [markdown]
# ## One distance, more than one plan
#
# The cell below solves the chapter's example with the package. It prints the distance by the
# three routes (primal, dual, cumulative distributions), the share of the mass that the
# solver's plan leaves in place (its diagonal), how far the dual's $f + g$ is from 0, and the
# cost of the quantile plan, which sends the $u$-th quantile of $p$ to the $u$-th quantile of
# $q$, next to how much it differs from the solver's plan entry by entry.

# %%
cost = line_cost(grid, grid)
primal, dual = (
    earth_movers_distance(p_data, q_model, cost),
    earth_movers_dual(p_data, q_model, cost),
)
upper_p, upper_q = np.cumsum(p_data), np.cumsum(q_model)  # the quantile plan: γ_ij is the
low = np.maximum.outer(upper_p - p_data, upper_q - q_model)  # overlap of the intervals
high = np.minimum.outer(upper_p, upper_q)  # [F_p(x_{i-1}), F_p(x_i)] and [F_q(x_{j-1}), F_q(x_j)]
quantile_plan = np.clip(high - low, 0.0, None)
print(f"primal {primal.distance:.12f}")
print(f"dual   {dual.distance:.12f}")
print(f"CDFs   {wasserstein_1d(grid, grid, p_data, q_model):.12f}")
print(f"mass left in place by the solver's plan: {np.trace(primal.plan):.3f}")
print(f"largest |f_i + g_i| of the dual: {np.abs(dual.f + dual.g).max():.1e}")
print(f"quantile plan's cost {np.sum(quantile_plan * cost):.12f}, largest difference from")
print(f"the solver's plan, entry by entry: {np.abs(quantile_plan - primal.plan).max():.3f}")

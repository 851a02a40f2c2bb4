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
# # Exercises: Jensen–Shannon
#
# Companion to the chapter *Jensen–Shannon*. You write the Kullback–Leibler divergence of two
# probability vectors, the Jensen–Shannon divergence through the even mixture and again through
# entropies, and the value of the game at the optimal discriminator, computed so that it stays
# finite far in the tails; each check compares your code with `ganbook`. On the site this
# notebook is shown solved; the exercise version (download it from the chapter's page) has
# `raise NotImplementedError` where your code goes.

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
from scipy.special import entr, rel_entr, xlogy

from ganbook.divergences import js_divergence, kl_divergence
from ganbook.exercises import check_function
from ganbook.theory import gaussian_value_at_optimum, minimax_value, optimal_discriminator

rng = np.random.default_rng(0)


def random_probabilities(n, zeros=0.0):
    """A probability vector of length n, with about a share `zeros` of its entries set to 0."""
    p = rng.random(n) * (rng.random(n) >= zeros)
    return p / p.sum()


def gaussian_probabilities(x, mean, std):
    """N(mean, std²) on the grid x as a probability vector."""
    p = stats.norm.pdf(x, mean, std)
    return p / p.sum()


x = np.linspace(-10, 10, 1001)
p_wide, q_narrow = gaussian_probabilities(x, 0, 1), gaussian_probabilities(x, 2, 0.5)
pairs = [  # (p, q) on one grid: no zeros, zeros in both, disjoint, equal, Gaussians on a grid
    (random_probabilities(6), random_probabilities(6)),
    (random_probabilities(20, 0.3), random_probabilities(20, 0.3)),
    (np.array([0.5, 0.5, 0.0, 0.0]), np.array([0.0, 0.0, 0.25, 0.75])),
    (np.full(5, 0.2), np.full(5, 0.2)),
    (p_wide, q_narrow),
]
no_batch = {"batch_of": lambda *_: None}  # sums over a grid, not means over a batch

# %% [markdown]
# ## Exercise 1: the Kullback–Leibler divergence
#
# For probability vectors $p$ and $q$ on one grid,
#
# $$
# \mathrm{KL}(p \,\|\, q) = \sum_i p_i \log \frac{p_i}{q_i},
# $$
#
# with the conventions that a term with $p_i = 0$ is 0, whatever $q_i$ is, and that a term
# with $q_i = 0 < p_i$ is $+\infty$. `p * np.log(p / q)` gets the first convention wrong (it
# gives NaN); `scipy.special.rel_entr(p, q)` computes $p_i \log(p_i/q_i)$ with both.


# %%
def kl(p, q):
    """KL(p || q) in nats, for probability vectors on one grid."""
    # BEGIN SOLUTION
    return float(np.sum(rel_entr(p, q)))
    # END SOLUTION


# %%
check_function(kl, kl_divergence, pairs + [(q, p) for p, q in pairs], **no_batch)

# %% [markdown]
# ## Exercise 2: Jensen–Shannon through the mixture
#
# With the even mixture $m = \tfrac12(p + q)$,
#
# $$
# \mathrm{JS}(p \,\|\, q) = \tfrac12 \mathrm{KL}(p \,\|\, m) + \tfrac12 \mathrm{KL}(q \,\|\, m).
# $$
#
# It is finite even where KL is not, because $m \ge \tfrac12 p$ and $m \ge \tfrac12 q$
# everywhere: on disjoint supports it is $\log 2$. You may call your `kl` of Exercise 1.


# %%
def js(p, q):
    """JS(p || q) in nats, as the mean of the two KL divergences to the even mixture."""
    # BEGIN SOLUTION
    m = 0.5 * (p + q)
    return 0.5 * float(np.sum(rel_entr(p, m))) + 0.5 * float(np.sum(rel_entr(q, m)))
    # END SOLUTION


# %%
check_function(js, js_divergence, pairs, **no_batch)

# %% [markdown]
# ## Exercise 3: Jensen–Shannon through entropies
#
# Lin (1991) writes the same quantity with the entropy $H(p) = -\sum_i p_i \log p_i$:
#
# $$
# \mathrm{JS}(p \,\|\, q) = H(m) - \tfrac12 H(p) - \tfrac12 H(q),
# $$
#
# the uncertainty about a sample $x$ from the mixture, less what remains once the coin that
# chose $p$ or $q$ is known. Write it from entropies alone; `scipy.special.entr(p)` is
# $-p_i \log p_i$ with $0 \log 0 = 0$.


# %%
def js_from_entropies(p, q):
    """JS(p || q) in nats, as H(m) - H(p)/2 - H(q)/2."""
    # BEGIN SOLUTION
    m = 0.5 * (p + q)
    return float(np.sum(entr(m)) - 0.5 * np.sum(entr(p)) - 0.5 * np.sum(entr(q)))
    # END SOLUTION


# %%
check_function(js_from_entropies, js_divergence, pairs, **no_batch)

# %% [markdown]
# ## Exercise 4: the value of the game at D*, without the trap
#
# Put $D^* = p/(p + q)$ into the value of the game:
#
# $$
# V(D^*, G) = \sum_i p_i \log \frac{p_i}{p_i + q_i} + \sum_i q_i \log \frac{q_i}{p_i + q_i}.
# $$
#
# The chapter shows that this is $-\log 4 + 2\,\mathrm{JS}(p \,\|\, q)$, and the check compares
# your value, computed from the discriminator, with that right side from `js_divergence`. The
# last case is the chapter's mixture figure: $p = N(0, 1)$ and $q = N(2, 0.5^2)$ on a grid of
# $[-10, 10]$. Far in the tail of $q$ the ratio $q/p$ drops below $2^{-53}$, so $D^*$ rounds to
# exactly 1 and a fake term with $\log(1 - D^*)$ is $q_i \log 0 = -\infty$. Never compute
# $1 - D^*$ by subtraction: it is $q/(p + q)$, the discriminator of the game with the roles
# swapped. Where $p_i = q_i = 0$ both terms are 0.


# %%
def value_at_optimum(p, q):
    """V(D*, G) on a grid, with 1 - D* computed as q / (p + q)."""
    # BEGIN SOLUTION
    total = p + q
    real_term = np.sum(xlogy(p, np.divide(p, total, out=np.ones_like(p), where=total > 0)))
    fake_term = np.sum(xlogy(q, np.divide(q, total, out=np.ones_like(q), where=total > 0)))
    return float(real_term + fake_term)
    # END SOLUTION


# %%
def minus_log_4_plus_two_js(p, q):
    """The right side of the identity, from the package's Jensen-Shannon divergence."""
    return -np.log(4.0) + 2.0 * js_divergence(p, q)


check_function(value_at_optimum, minus_log_4_plus_two_js, pairs, **no_batch)

# %% [markdown]
# ## The trap, the ceiling and the triangle
#
# The cell below uses the package only. First, the obvious left side,
# `minimax_value(p, q, optimal_discriminator(p, q))`, on the mixture figure's grid, where it
# computes $1 - D^*$ by subtraction. Then the width sweep's surprise: `gaussian_value_at_optimum`,
# by quadrature, for a generator $N(0, s^2)$ ten times too narrow and ten times too wide
# against the data $N(0, 1)$. Last, the chapter's counterexample to the triangle inequality:
# $p = (1, 0)$, $q = (\tfrac12, \tfrac12)$, $r = (0, 1)$, for JS and for $\sqrt{\mathrm{JS}}$.

# %%
with np.errstate(divide="ignore"):
    naive = minimax_value(p_wide, q_narrow, optimal_discriminator(p_wide, q_narrow))
print(f"V(D*, G) by subtraction:   {naive}")
print(f"-log 4 + 2 JS:             {minus_log_4_plus_two_js(p_wide, q_narrow):.6f}")
for s in (0.1, 10.0):
    print(f"V(D*, G) for s = {s:4}:    {gaussian_value_at_optimum(0.0, 0.0, 1.0, s):.6f}")
p, q, r = np.array([1.0, 0.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0])
direct, via_q = js_divergence(p, r), js_divergence(p, q) + js_divergence(q, r)
print(f"JS(p, r) = {direct:.4f}  >  JS(p, q) + JS(q, r) = {via_q:.4f}")
roots = np.sqrt(js_divergence(p, q)) + np.sqrt(js_divergence(q, r))
print(f"sqrt JS(p, r) = {np.sqrt(direct):.4f}  <=  {roots:.4f}")

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
# # Exercises: does it converge? The Dirac-GAN
#
# Companion to the chapter *Does it converge? The Dirac-GAN*. You write the vector field of
# gradient play on the Dirac-GAN with the R1 regulariser (with $\gamma = 0$, the unregularised
# GAN), one simultaneous and one alternating gradient step, and the eigenvalues of the field's
# Jacobian at the equilibrium; each check compares your code with `ganbook.theory`. On the site
# this notebook is shown solved; the exercise version (download it from the chapter's page) has
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
from scipy.special import expit

from ganbook.exercises import check_function
from ganbook.theory import dirac_jacobian, dirac_vector_field, simulate_dirac

rng = np.random.default_rng(0)
points = [  # (theta, psi, gamma): single points and grids, with and without R1
    (1.0, 1.0, 0.0),
    (-0.5, 2.0, 1.0),
    (rng.normal(size=50) * 3, rng.normal(size=50) * 3, 0.0),
    (rng.normal(size=(4, 5)) * 10, rng.normal(size=(4, 5)) * 10, 2.5),
]

# %% [markdown]
# ## Exercise 1: the vector field
#
# The data is a point at 0, the generator a point at $\theta$, the critic $D_\psi(x) = \psi x$,
# and the objective is $L(\theta, \psi) = f(\psi\theta) + f(0)$ with
# $f(t) = -\log(1 + e^{-t})$. The generator descends $L$ in $\theta$; the critic ascends
# $L + R(\psi)$, here with the R1 regulariser $R(\psi) = -\tfrac{\gamma}{2}\psi^2$. Gradient play
# follows
#
# $$
# v(\theta, \psi) =
# \begin{pmatrix} \dot\theta \\ \dot\psi \end{pmatrix} =
# \begin{pmatrix} -\psi\, f'(\psi\theta) \\ \theta\, f'(\psi\theta) + R'(\psi) \end{pmatrix}.
# $$
#
# Work out $f'$ and $R'$ first. $f'(t) = 1/(1 + e^{t}) = \sigma(-t)$, which `expit(-t)` computes
# without overflow for large $|t|$. Return the two components stacked, $\dot\theta$ first, for
# arrays of any shape.


# %%
def vector_field(theta, psi, gamma):
    """The R1 Dirac-GAN's field np.stack([theta_dot, psi_dot]) at (theta, psi)."""
    # BEGIN SOLUTION
    slope = expit(-psi * theta)  # f'(psi theta)
    theta_dot = -psi * slope
    psi_dot = theta * slope - gamma * psi  # R'(psi) = -gamma psi
    return np.stack([theta_dot, psi_dot])
    # END SOLUTION


# %%
def package_field(theta, psi, gamma):
    return np.stack(dirac_vector_field(theta, psi, "r1", gamma=gamma))


check_function(vector_field, package_field, points)

# %% [markdown]
# ## Exercise 2: one simultaneous step
#
# With step size $\eta$, simultaneous steps move both players from the same point:
#
# $$
# \psi_{k+1} = \psi_k + \eta\, \dot\psi(\theta_k, \psi_k), \qquad
# \theta_{k+1} = \theta_k + \eta\, \dot\theta(\theta_k, \psi_k).
# $$
#
# Return $(\theta_{k+1}, \psi_{k+1})$ as an array, $\theta$ first. Your `vector_field` of
# Exercise 1 does most of the work.


# %%
def simultaneous_step(theta, psi, lr, gamma):
    """One simultaneous gradient step of the R1 Dirac-GAN from (theta, psi), step size lr."""
    # BEGIN SOLUTION
    theta_dot, psi_dot = vector_field(theta, psi, gamma)
    return np.array([theta + lr * theta_dot, psi + lr * psi_dot])
    # END SOLUTION


# %%
steps = [(1.0, 1.0, 0.1, 0.0), (-0.5, 2.0, 0.5, 1.0), (3.0, -1.5, 0.05, 4.0), (0.2, 0.0, 1.0, 0.0)]


def package_step(mode):
    """One step of the package's simulate_dirac in the given mode: row 1 of its trajectory."""
    return lambda theta, psi, lr, gamma: simulate_dirac(
        "r1", (theta, psi), lr=lr, steps=1, mode=mode, gamma=gamma
    )[1]


check_function(simultaneous_step, package_step("simultaneous"), steps)

# %% [markdown]
# ## Exercise 3: one alternating step
#
# Alternating steps let the critic move first, and the generator answers the updated critic, as
# in the training loop of the original GAN:
#
# $$
# \psi_{k+1} = \psi_k + \eta\, \dot\psi(\theta_k, \psi_k), \qquad
# \theta_{k+1} = \theta_k + \eta\, \dot\theta(\theta_k, \psi_{k+1}).
# $$
#
# The only difference from Exercise 2 is the $\psi_{k+1}$ in the generator's step: evaluate the
# field a second time, at the critic's new value.


# %%
def alternating_step(theta, psi, lr, gamma):
    """One alternating step (critic first, then generator) of the R1 Dirac-GAN, step size lr."""
    # BEGIN SOLUTION
    _, psi_dot = vector_field(theta, psi, gamma)
    psi_next = psi + lr * psi_dot
    theta_dot, _ = vector_field(theta, psi_next, gamma)
    return np.array([theta + lr * theta_dot, psi_next])
    # END SOLUTION


# %%
check_function(alternating_step, package_step("alternating"), steps)

# %% [markdown]
# ## Exercise 4: the eigenvalues at the equilibrium
#
# At $(0, 0)$ the field's Jacobian reduces to
#
# $$
# J = \begin{pmatrix} 0 & -f'(0) \\ f'(0) & R''(0) \end{pmatrix},
# $$
#
# a rotation from the off-diagonal pair, damped only by the regulariser on the diagonal. Build $J$
# for the R1 game (what are $f'(0)$ and $R''(0)$?) and return its two eigenvalues $\nu$. They may
# be complex, so return a $2 \times 2$ array: the real parts in the first row, the imaginary parts
# in the second, with the eigenvalues in the order `np.sort_complex` gives them. You can check
# your $J$ with the closed form $\nu = -\tfrac{\gamma}{2} \pm \sqrt{\gamma^2/4 - 1/4}$.


# %%
def equilibrium_eigenvalues(gamma):
    """The eigenvalues of the R1 field's Jacobian at (0, 0): rows of real and imaginary parts."""
    # BEGIN SOLUTION
    jacobian = np.array([[0.0, -0.5], [0.5, -gamma]])
    nu = np.sort_complex(np.linalg.eigvals(jacobian))
    return np.stack([nu.real, nu.imag])
    # END SOLUTION


# %%
def package_eigenvalues(gamma):
    nu = np.sort_complex(np.linalg.eigvals(dirac_jacobian("r1", gamma=gamma)))
    return np.stack([nu.real, nu.imag])


check_function(
    equilibrium_eigenvalues, package_eigenvalues, [(0.0,), (0.5,), (1.0,), (2.0,)], atol=1e-7
)

# %% [markdown]
# ## From eigenvalues to steps
#
# Near the equilibrium a step is a linear map, and its eigenvalues decide the run. The cell below
# differentiates one step of the package's `simulate_dirac` numerically at $(0, 0)$, with
# $\eta = 0.1$, and prints the largest modulus of the map's eigenvalues and its determinant, with
# the distance to the equilibrium after 1,000 steps from $(1, 1)$. A modulus above 1 pushes the
# iterates outward; a determinant of 1 preserves area, so they can neither spiral in nor out.

# %%
lr, h = 0.1, 1e-6
for gamma in (0.0, 1.0):
    for mode in ("simultaneous", "alternating"):
        columns = [
            simulate_dirac("r1", step, lr=lr, steps=1, mode=mode, gamma=gamma)[1] / h
            for step in ((h, 0.0), (0.0, h))
        ]
        step_map = np.column_stack(columns)
        radius = np.abs(np.linalg.eigvals(step_map)).max()
        path = simulate_dirac("r1", (1.0, 1.0), lr=lr, steps=1000, mode=mode, gamma=gamma)
        print(
            f"gamma = {gamma:.0f}, {mode:12}: largest modulus {radius:.6f}, "
            f"determinant {np.linalg.det(step_map):.6f}, "
            f"distance after 1,000 steps {np.hypot(*path[-1]):.3g}"
        )

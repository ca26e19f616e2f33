r"""Standardised laws of an oracle's additive noise: Gaussian (default) and heavy-tailed ones.

An oracle problem (:class:`~boundcheck.problems.oracle.OracleProblem`) adds
``diag(sigma) xi / sqrt(M)``-scaled noise to the exact gradient, where each coordinate of ``xi``
is an independent draw of a *standardised* law: mean 0 and, where the variance exists, variance
1, so the declared ``sigma_j`` stays the per-coordinate standard deviation (Assumption 3.5 with
equality). A minibatch of M calls is the mean of M independent draws (for the Gaussian, one
draw scaled by ``1/sqrt(M)`` - the same law, and the same bits as before this module existed).

==============  ==========================  ======================================  ==================
shape           draw (before scaling)       E|X|^p finite for                       sub-Gaussian?
==============  ==========================  ======================================  ==================
``gaussian``    N(0, 1)                     every p                                 yes (proxy 1)
``student-t``   t_nu (nu > 2)               p < nu                                  no (no MGF)
``pareto``      S U^{-1/alpha} (alpha > 2)  p < alpha                               no (no MGF)
``sub-weibull`` S E^theta, E ~ Exp(1)       every p; P(|X| > x) = exp(-x^{1/theta})  iff theta <= 1/2
==============  ==========================  ======================================  ==================

(S a random sign, U uniform on (0, 1]; both come from one uniform draw V: ``S = sign(2V - 1)``,
``U = 1 - |2V - 1|``, independent by symmetry.) Standardising constants: ``Var t_nu = nu/(nu -
2)``, ``E|X|^2 = alpha/(alpha - 2)`` (Pareto), ``E E^{2 theta} = Gamma(2 theta + 1)``
(sub-Weibull). Fourth moments (the kurtosis of the standardised law, :attr:`NoiseLaw.kurtosis`):
``3`` (Gaussian), ``3 + 6/(nu - 4)`` (t, nu > 4), ``(alpha - 2)^2/(alpha (alpha - 4))`` (Pareto,
alpha > 4), ``Gamma(4 theta + 1)/Gamma(2 theta + 1)^2`` (sub-Weibull); infinite otherwise.

**Sub-Gaussian with variance proxy 1** (``E exp(lam X) <= exp(lam^2/2)``, what the derived
high-probability bound ``sgd-hp-quadratic`` assumes): the Gaussian with equality; the
sub-Weibull law for ``theta <= 1/2``: it is symmetric, so ``E exp(lam X) = sum_k lam^{2k} E X^{2k}
/(2k)!`` with ``E X^{2k} = Gamma(2k theta + 1)/Gamma(2 theta + 1)^k``; ``theta -> log Gamma(2k theta
+ 1) - k log Gamma(2 theta + 1)`` is nondecreasing (its derivative ``2k (psi(2k theta + 1) -
psi(2 theta + 1)) >= 0``, digamma increasing), so ``E X^{2k} <= k!`` (its value at theta = 1/2),
and ``k! <= (2k)!/(2^k k!) = E Z^{2k}`` (``2^k <= C(2k, k)``): term by term below the Gaussian's
series (property test ``tests/test_noise_laws.py``). Student-t and Pareto have polynomial tails
(no moment generating function); the sub-Weibull law with ``theta > 1/2`` has tails
``exp(-x^{1/theta})``, heavier than any Gaussian's: none of them is sub-Gaussian.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from boundcheck.validation import InputError

SHAPES = ("gaussian", "student-t", "pareto", "sub-weibull")
#: What ``noise_tail`` means for each shape.
TAIL_MEANING = {"student-t": "nu (degrees of freedom, > 2)", "pareto": "alpha (tail index, > 2)",
                "sub-weibull": "theta (tail parameter, > 0; sub-Gaussian iff <= 1/2)"}


@dataclass(frozen=True)
class NoiseLaw:
    """A standardised noise law (see the module docstring). ``tail``: its parameter (None for
    the Gaussian)."""

    shape: str = "gaussian"
    tail: float | None = None

    def __post_init__(self):
        if self.shape not in SHAPES:
            raise InputError(f"noise_shape={self.shape!r} is not allowed; allowed: {', '.join(SHAPES)}")
        if self.shape == "gaussian":
            return
        if self.tail is None or not math.isfinite(float(self.tail)):
            raise InputError(f"noise_shape={self.shape} needs noise_tail = {TAIL_MEANING[self.shape]}")
        low = 0.0 if self.shape == "sub-weibull" else 2.0
        if not float(self.tail) > low:
            raise InputError(f"noise_tail={self.tail!r} is out of range for {self.shape}; allowed: "
                             f"{TAIL_MEANING[self.shape]} (a variance, so sigma is the standard deviation)")

    @property
    def gaussian(self) -> bool:
        return self.shape == "gaussian"

    @property
    def label(self) -> str:
        return "gaussian" if self.gaussian else f"{self.shape}({self.tail:g})"

    # ------------------------------------------------------------------ moments
    @property
    def scale(self) -> float:
        """``sqrt(E X^2)`` of the raw draw: dividing by it standardises the variance to 1."""
        a = float(self.tail) if self.tail is not None else 0.0
        if self.shape == "student-t":
            return math.sqrt(a / (a - 2.0))
        if self.shape == "pareto":
            return math.sqrt(a / (a - 2.0))
        if self.shape == "sub-weibull":
            return math.sqrt(math.gamma(2.0 * a + 1.0))
        return 1.0

    @property
    def moment_order(self) -> float:
        """Sup of the p with ``E|X|^p < inf`` (inf: every moment exists)."""
        if self.shape in ("student-t", "pareto"):
            return float(self.tail)
        return math.inf

    @property
    def kurtosis(self) -> float:
        """``E X^4`` of the standardised law (inf where it does not exist)."""
        a = float(self.tail) if self.tail is not None else 0.0
        if self.shape == "gaussian":
            return 3.0
        if self.shape == "student-t":
            return 3.0 + 6.0 / (a - 4.0) if a > 4 else math.inf
        if self.shape == "pareto":
            return (a - 2.0) ** 2 / (a * (a - 4.0)) if a > 4 else math.inf
        return math.gamma(4.0 * a + 1.0) / math.gamma(2.0 * a + 1.0) ** 2

    def subgaussian(self) -> tuple[bool, str]:
        """``(is sub-Gaussian with variance proxy 1, why)`` (module docstring)."""
        if self.shape == "gaussian":
            return True, "Gaussian noise: E exp(lam xi) = exp(lam^2/2) exactly"
        if self.shape == "sub-weibull" and float(self.tail) <= 0.5:
            return True, (f"sub-Weibull({self.tail:g}) with theta <= 1/2: symmetric, even moments below the "
                          "Gaussian's term by term, so E exp(lam xi) <= exp(lam^2/2)")
        if self.shape == "sub-weibull":
            return False, (f"sub-Weibull({self.tail:g}) noise has tails exp(-x^(1/theta)) with theta > 1/2, "
                           "heavier than any Gaussian's: not sub-Gaussian")
        return False, (f"{self.label} noise has polynomial tails (E|xi|^p = inf for p >= {self.tail:g}; no "
                       "moment generating function): not sub-Gaussian")

    # ------------------------------------------------------------------ draws
    def draw(self, sampler, size: int) -> np.ndarray:
        """(R, size) standardised draws from ``sampler``'s noise streams (one row per replica)."""
        if self.shape == "gaussian":
            return sampler.standard_normal(size, dtype=np.float64)
        if self.shape == "student-t":
            x = sampler.standard_t(float(self.tail), size)
        else:
            v = 2.0 * sampler.random(size) - 1.0  # uniform on [-1, 1): sign and magnitude independent
            sign = np.where(v < 0.0, -1.0, 1.0)
            u = 1.0 - np.abs(v)  # uniform on (0, 1]
            if self.shape == "pareto":
                x = sign * u ** (-1.0 / float(self.tail))
            else:
                x = sign * (-np.log(u)) ** float(self.tail)
        return x / self.scale

    def minibatch(self, sampler, d: int, M: int) -> np.ndarray:
        """(R, d) noise of the mean of ``M`` oracle calls, in units of sigma: for the Gaussian one
        draw divided by ``sqrt(M)`` (exactly the same law); otherwise the mean of M draws."""
        if self.shape == "gaussian" or M == 1:
            z = self.draw(sampler, d)
            return z if M == 1 else z * (1.0 / float(np.sqrt(M)))
        z = self.draw(sampler, d * int(M))
        return z.reshape(z.shape[0], int(M), d).mean(axis=1)


GAUSSIAN = NoiseLaw()

__all__ = ["NoiseLaw", "SHAPES", "TAIL_MEANING", "GAUSSIAN"]

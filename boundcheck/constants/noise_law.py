"""Moments of an oracle's noise law as constants (issue 12: heavy-tailed noise).

For an oracle problem whose noise coordinates are standardised draws of a law
(:mod:`boundcheck.problems.noise_laws`): ``noise_kurtosis = E xi^4`` (3 for the Gaussian, inf when
the fourth moment does not exist) and ``noise_moment_order = sup{p : E|xi|^p < inf}`` (inf for the
Gaussian and sub-Weibull laws, nu for Student-t, alpha for Pareto). Both are exact (closed forms
of the law's parameters). Whether the law is sub-Gaussian is an assumption, checked by
``subgaussian-noise`` (:mod:`boundcheck.theory.noise_assumptions`).
"""

from __future__ import annotations


def _moments(a):
    from boundcheck.constants.provider import NotApplicable, constant

    law = getattr(a.problem, "noise_law", None)
    if law is None:
        raise NotApplicable("the problem states no noise law (not an additive-noise oracle)")
    how = f"closed form for {law.label} noise (boundcheck.problems.noise_laws)"
    return {"noise_kurtosis": constant("noise_kurtosis", float(law.kurtosis), "exact", how),
            "noise_moment_order": constant("noise_moment_order", float(law.moment_order), "exact", how)}


def _providers():
    from boundcheck.constants.provider import Provider

    return (Provider("noise-law-moments", ("noise_kurtosis", "noise_moment_order"), _moments,
                     "fourth moment and largest finite moment of an oracle's standardised noise law"),)


PROVIDERS = _providers()

__all__ = ["PROVIDERS"]

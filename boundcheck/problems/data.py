"""Real data sets as finite-sum problems: ``load_data(source, loss, l2)``.

``source`` is a path to a libsvm/svmlight file (labels in {-1, +1} or {0, 1}; features used
as given: no scaling, no intercept), or one of the data sets bundled with scikit-learn:

- ``sklearn:breast_cancer`` (malignant vs benign, label 1 -> +1, 0 -> -1),
- ``sklearn:digits`` (even digit -> +1, odd -> -1),
- ``sklearn:wine`` (class 0 -> +1, the rest -> -1).

libsvm features are used exactly as stored. The bundled scikit-learn sets are
standardized per column (mean 0, standard deviation 1; constant columns left at 0), the
same convention as ``boundcheck constants`` so both layers see one problem. Dense
storage when n*d <= 5e7, else CSR. The feasible set for Option I is the ``"auto"`` box
around the minimizer (needs the minimizer: squared loss, or logistic with l2 > 0).
"""

from __future__ import annotations

import os

import numpy as np

from boundcheck.validation import InputError, choice, nonnegative

from .finite_sum import LOSSES, FiniteSumProblem

SKLEARN_SETS = ("breast_cancer", "digits", "wine")
DENSE_LIMIT = 5 * 10**7


def _sklearn(name: str):
    from sklearn import datasets

    if name == "breast_cancer":
        X, y = datasets.load_breast_cancer(return_X_y=True)
        y = np.where(y == 1, 1.0, -1.0)
    elif name == "digits":
        X, y = datasets.load_digits(return_X_y=True)
        y = np.where(y % 2 == 0, 1.0, -1.0)
    else:
        X, y = datasets.load_wine(return_X_y=True)
        y = np.where(y == 0, 1.0, -1.0)
    X = np.asarray(X, dtype=np.float64)
    sd = X.std(axis=0)
    sd[sd == 0] = 1.0
    return (X - X.mean(axis=0)) / sd, y


def _svmlight(path: str):
    from sklearn.datasets import load_svmlight_file

    if not os.path.isfile(path):
        raise InputError(f"--data {path!r}: no such file")
    try:
        X, y = load_svmlight_file(path)
    except Exception as err:  # sklearn raises ValueError with a long message
        raise InputError(f"--data {path!r} is not a libsvm/svmlight file: {str(err).splitlines()[0]}") from None
    labels = set(np.unique(y).tolist())
    if labels <= {-1.0, 1.0}:
        pass
    elif labels <= {0.0, 1.0}:
        y = np.where(y == 1.0, 1.0, -1.0)
    else:
        shown = ", ".join(f"{v:g}" for v in sorted(labels)[:5])
        raise InputError(f"--data {path!r} has labels {{{shown}}}; allowed: {{-1, +1}} or {{0, 1}}")
    n, d = X.shape
    if n * d <= DENSE_LIMIT:
        X = np.asarray(X.todense())
    return X, np.asarray(y, dtype=np.float64)


def load_data(source: str, loss: str = "logistic", l2: float = 0.0) -> FiniteSumProblem:
    """A :class:`FiniteSumProblem` on a libsvm file or ``sklearn:NAME`` (see module docstring)."""
    choice("loss", loss, LOSSES)
    l2 = nonnegative("l2", l2)
    source = str(source)
    if source.startswith("sklearn:"):
        name = choice("sklearn data set", source.split(":", 1)[1], SKLEARN_SETS)
        X, y = _sklearn(name)
    else:
        X, y = _svmlight(source)
    label = os.path.basename(source) if not source.startswith("sklearn:") else source
    return FiniteSumProblem(X, y, loss, l2=l2, domain="auto", name=f"data:{label}",
                            params={"source": source})

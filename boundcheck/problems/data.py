"""Real data sets as finite-sum problems: ``load_data(source, loss, l2)``.

``source`` is a path to a libsvm/svmlight file (labels in {-1, +1} or {0, 1} for the
logistic loss, any finite reals for the squared loss; features used as given: no scaling,
no intercept; empty files, files without a nonzero feature value, NaN/inf values and
magnitudes above :data:`MAX_MAGNITUDE` are refused), or one of the data sets bundled with scikit-learn:

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

from boundcheck.validation import InputError, choice, integer, nonnegative, regular_file

from .finite_sum import LOSSES, FiniteSumProblem

SKLEARN_SETS = ("breast_cancer", "digits", "wine")
DENSE_LIMIT = 5 * 10**7
#: Largest |label| and |feature value| accepted: the constants take up to fourth powers of the
#: data (sigma^2 ~ y^2 x^2, summed over n <= 1e8 samples), which must stay finite in float64
#: (max ~1.8e308): (1e50)^4 * 1e8 = 1e208.
MAX_MAGNITUDE = 1e50


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


def _svmlight(path: str, loss: str = "logistic", n_features: int | None = None):
    """Read a libsvm file, refusing (InputError, one line) what the problems cannot use: no
    samples, a feature index beyond ``n_features``, NaN/inf values or labels, labels outside
    the loss's set (logistic: {-1, +1} or {0, 1}; squared: any finite reals). Labels in
    {0, 1} are binary classes and become {-1, +1} for either loss."""
    from sklearn.datasets import load_svmlight_file

    regular_file("data", path, "a libsvm/svmlight file")  # a FIFO or device is refused, never read
    try:
        X, y = load_svmlight_file(path, n_features=n_features)
    except OSError as err:  # e.g. permission denied
        raise InputError(f"data {path!r} cannot be read: {err.strerror or err}") from None
    except Exception as err:  # sklearn raises ValueError with a long message
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        if n_features is not None and "n_features was set" in first:
            raise InputError(f"data {path!r} has more features than the expected d={n_features}; "
                             "allowed: feature indices <= d") from None
        raise InputError(f"data {path!r} is not a libsvm/svmlight file: {first}") from None
    if X.shape[0] == 0:
        raise InputError(f"data {path!r} holds no samples; allowed: a libsvm file with lines "
                         "'LABEL INDEX:VALUE ...'")
    bad_y = np.flatnonzero(~np.isfinite(y))
    if bad_y.size:
        raise InputError(f"data {path!r} has a non-finite label {float(y[bad_y[0]])!r} "
                         f"(sample {bad_y[0] + 1}); allowed: finite numbers")
    coo = X.tocoo()
    bad_x = np.flatnonzero(~np.isfinite(coo.data))
    if bad_x.size:
        k = bad_x[0]
        raise InputError(f"data {path!r} has a non-finite feature value {float(coo.data[k])!r} "
                         f"(sample {coo.row[k] + 1}, feature column {coo.col[k]}); allowed: finite numbers")
    if coo.nnz == 0 or not np.any(coo.data):
        raise InputError(f"data {path!r} has no nonzero feature value (labels only: every loss would be "
                         "constant in w); allowed: lines 'LABEL INDEX:VALUE ...' with at least one nonzero feature")
    for what, values in (("label", y), ("feature value", coo.data)):
        big = np.flatnonzero(np.abs(values) > MAX_MAGNITUDE)
        if big.size:
            where = (f"sample {big[0] + 1}" if what == "label" else
                     f"sample {coo.row[big[0]] + 1}, feature column {coo.col[big[0]]}")
            raise InputError(f"data {path!r} has a {what} {float(values[big[0]]):g} ({where}); allowed: "
                             f"|value| <= {MAX_MAGNITUDE:g} (the constants take fourth powers: rescale the data)")
    labels = set(np.unique(y).tolist())
    if labels <= {-1.0, 1.0}:
        pass
    elif labels <= {0.0, 1.0}:  # binary classification data, either loss: {0, 1} -> {-1, +1}
        y = np.where(y == 1.0, 1.0, -1.0)
    elif loss == "logistic":
        shown = ", ".join(f"{v:g}" for v in sorted(labels)[:5])
        raise InputError(f"data {path!r} has labels {{{shown}}}; allowed for the logistic loss: "
                         "{-1, +1} or {0, 1}")
    n, d = X.shape
    if n * d <= DENSE_LIMIT:
        X = np.asarray(X.todense())
    return X, np.asarray(y, dtype=np.float64)


def load_data(source: str, loss: str = "logistic", l2: float = 0.0,
              n_features: int | None = None) -> FiniteSumProblem:
    """A :class:`FiniteSumProblem` on a libsvm file or ``sklearn:NAME`` (see module docstring).

    ``n_features``: the dimension d the data must have (libsvm files omit trailing zero
    features, so a file may use fewer; a larger feature index is an InputError)."""
    choice("loss", loss, LOSSES)
    l2 = nonnegative("l2", l2)
    source = str(source)
    if n_features is not None:
        n_features = integer("d", n_features, low=1)
    if source.startswith("sklearn:"):
        name = choice("sklearn data set", source.split(":", 1)[1], SKLEARN_SETS)
        X, y = _sklearn(name)
        if n_features is not None and X.shape[1] != n_features:
            raise InputError(f"data {source!r} has d={X.shape[1]} features, not the expected d={n_features}")
    else:
        X, y = _svmlight(source, loss, n_features)
    label = os.path.basename(source) if not source.startswith("sklearn:") else source
    return FiniteSumProblem(X, y, loss, l2=l2, domain="auto", name=f"data:{label}",
                            params={"source": source})

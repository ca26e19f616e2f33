"""The one error a problem raises when asked for something too large to form densely."""

from __future__ import annotations

from boundcheck.validation import InputError


class DenseTooLarge(InputError, NotImplementedError):
    """A dense (d, d) object was requested for a d too large to form.

    An :class:`~boundcheck.validation.InputError` (one line for the user, exit 2 in the CLI)
    and a ``NotImplementedError``, so callers that fall back when a problem has no
    smoothness matrix (the constants layer) fall back here too.
    """


def refuse_dense(what: str, d: int, limit: int, instead: str = "") -> None:
    if d > limit:
        tail = f" ({instead})" if instead else ""
        raise DenseTooLarge(f"{what} would form a dense {d} x {d} matrix; refusing for d > {limit}{tail}")

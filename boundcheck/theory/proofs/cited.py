"""A published statement as we could read it: the object behind ``high_probability`` and
``lower_bounds`` (issue 12), before the lead declares it as a theorem.

A :class:`CitedStatement` says what kind of claim it is (``probability-upper``: P(Q > B(delta))
<= delta for every delta in a range; ``expectation-lower``: for every method in a class, or for a
named method, there is an instance with Q >= B; ``expectation-upper``: today's kind), what it
quantifies over, the quantity as the source states it, and the bound: never an invented
constant. When the source's constants could not be read, ``o_form`` holds the O-form only (or
None when not even a rate could be read) and ``o_form_only_reason`` says why. ``read`` records how
much of the statement we could read: ``yes`` / ``partly`` / ``no``.

The O-form is built on first use from ``rate`` (a function returning the SymPy expression), so
declaring the statements - and listing them as theorems - never imports SymPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Literal, Mapping

Kind = Literal["probability-upper", "expectation-lower", "expectation-upper"]
KINDS: tuple[str, ...] = ("probability-upper", "expectation-lower", "expectation-upper")


@dataclass(frozen=True)
class CitedStatement:
    """See the module docstring. ``rate``: builds the O-form (None: no rate could be read)."""

    id: str  # suggested theorem id
    kind: Kind
    title: str
    reference: str
    source: str  # the stored page that was read (URL)
    read: Literal["yes", "partly", "no"]
    method: str
    algorithm: str | None  # boundcheck engine name, when the algorithm exists there
    setting: str
    assumptions: tuple[str, ...]  # in words, as read
    quantity: str  # as the source states it ("unread" parts said so)
    quantity_id: str | None  # suggested measurement id; None when the quantity could not be read
    quantifier: str  # "for every delta in (0, 1), with probability >= 1 - delta", "there exists ..."
    instance: str  # the instance or instance family the statement quantifies over
    rate: Callable[[], Any] | None  # builds the O-form; None: no rate could be read
    o_form_only_reason: str
    construction: Mapping[str, str] = field(default_factory=dict)  # lower bounds: hard instance, as read
    notes: str = ""

    @cached_property
    def o_form(self):
        """The O-form as read (a SymPy expression; None when no rate could be read)."""
        return None if self.rate is None else self.rate()

    @property
    def o_form_only(self) -> bool:
        """Always True here: no statement of issue 12 could be read with its constants."""
        return True

    @property
    def explicit(self) -> None:
        return None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} not in {KINDS}")
        if not self.o_form_only_reason.strip():
            raise ValueError(f"{self.id}: an O-form-only statement needs its reason")

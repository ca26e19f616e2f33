"""Shell completion of registered names (click's protocol; enabling it: :mod:`boundcheck.cli`).

:func:`names_of` makes the ``shell_complete`` callback of an argument or option whose values are
registered components: ``verify THEOREM|LEMMA``, ``sweep T THEOREM``, ``--problem NAME``,
``run --algorithm``, ``run --theorem``. The registry is read only when the shell asks.
"""

from __future__ import annotations


def names_of(*kinds: str):
    """``shell_complete(ctx, param, incomplete)`` listing the registered names of ``kinds``."""
    def complete(ctx, param, incomplete: str) -> list[str]:
        from boundcheck import registry

        try:
            names = [n for kind in kinds for n in registry.names(kind)]
        except Exception:  # noqa: BLE001 - a broken plugin must not break the shell
            return []
        return [n for n in dict.fromkeys(names) if n.startswith(incomplete)]
    return complete


__all__ = ["names_of"]

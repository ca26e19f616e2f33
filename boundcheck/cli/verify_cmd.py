"""CLI commands of this family; see :mod:`boundcheck.cli`. (Not yet implemented.)"""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``boundcheck`` group."""

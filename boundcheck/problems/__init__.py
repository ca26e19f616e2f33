"""Problem families that satisfy the paper's assumptions (see :mod:`boundcheck.problems.base`)."""

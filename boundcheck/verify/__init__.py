"""Verification: bound vs empirical, confidence intervals, rate fits, verdicts."""

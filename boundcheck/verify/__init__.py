"""Verification: bound vs empirical, confidence intervals, rate fits, verdicts.

Data flows one way: problem -> constants -> theorem bound; problem + algorithm -> engine ->
per-replica samples; this package joins the two. It reads declarations only (theorems,
checks, comparisons, quantities, constant providers: :mod:`boundcheck.registry`); nothing here
branches on a particular theorem, lemma or algorithm.

- :mod:`.stats`          intervals (Student-t; squared means), verdicts, log-log rate fits
- :mod:`.instances`      a cell's problem: built from its spec, its constants, assumption checks
- :mod:`.cells`          independent cells, cached one by one, run by any number of workers
- :mod:`.theorem_check`  one theorem x problem x T x M x replicas: bound, interval, verdict
- :mod:`.check`          trajectory checks of lemmas (the checks themselves: :mod:`boundcheck.checks`)
- :mod:`.sweeps`         rates in T, batch size at a fixed budget, comparisons across d
- :mod:`.defaults`       default sizes of ``boundcheck verify``
- :mod:`.plan`           the cells of ``boundcheck verify IDS [options]``
"""

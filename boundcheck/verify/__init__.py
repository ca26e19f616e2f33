"""Verification: bound vs empirical, confidence intervals, rate fits, verdicts.

Data flows one way: problem -> constants -> theorem bound; problem + algorithm -> engine ->
per-replica samples; this package joins the two.

- :mod:`.stats`          intervals (Student-t; squared means), verdicts, log-log rate fits
- :mod:`.quantities`     each theorem's exact quantity from the engine's metrics
- :mod:`.instances`      a cell's problem: built from its spec, constants, assumption checks
- :mod:`.interpolation`  closed-form L_* and sigma_* (Assumptions E.3/E.4) for least squares
- :mod:`.cells`          independent cells, cached one by one, run by any number of workers
- :mod:`.theorem_check`  one theorem x problem x T x M x replicas: bound, interval, verdict
- :mod:`.lemma_check`    lemmas E.2, (17), F.4, C.2 along trajectories, with slack ratios
- :mod:`.sweeps`         rates in T, batch size at a fixed budget, AdaGrad vs SGD across d
- :mod:`.defaults`       default problems and sizes of ``boundcheck verify``
- :mod:`.plan`           the cells of ``boundcheck verify IDS [options]``
"""

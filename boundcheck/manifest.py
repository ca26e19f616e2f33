"""boundcheck's own components, by kind: the one place a built-in component is registered.

Each entry is a lazy reference ``"module:attribute"`` to a component (or a sequence of them);
:mod:`boundcheck.registry` imports a kind's references the first time that kind is asked for.
A plugin ships a manifest of the same shape and names it in the entry-point group
``boundcheck.plugins`` (see ``docs/extending.md``). Order matters: theorems and checks are
listed (and ``boundcheck verify`` runs them) in the order given here, and for each constant the
first provider that applies to a problem wins.
"""

#: The algorithm ``boundcheck run`` and :class:`~boundcheck.engine.RunConfig` use when none is named.
DEFAULT_ALGORITHM = "adagrad"

MANIFEST = {
    "algorithm": [
        "boundcheck.algorithms.adagrad:SPEC",
        "boundcheck.algorithms.sgd:SPEC",
        "boundcheck.algorithms.adagrad_norm:SPEC",
        "boundcheck.algorithms.subset_norm:SPEC",
        "boundcheck.algorithms.adam:SPECS",
    ],
    "problem": [
        "boundcheck.problems.exptail:LINEAR",
        "boundcheck.problems.exptail:LOGISTIC",
        "boundcheck.problems.quadratic:SPEC",
        "boundcheck.problems.nonconvex:SPEC",
        "boundcheck.problems.sparse:SPEC",
    ],
    "metric": ["boundcheck.engine.metrics:BUILTIN", "boundcheck.engine.metrics:PARTITION_METRICS",
               "boundcheck.engine.coordinate_metrics:METRICS"],
    "quantity": ["boundcheck.theory.quantities:QUANTITIES"],
    "assumption": ["boundcheck.theory.assumptions:BUILTIN", "boundcheck.theory.assumptions_blocks:BUILTIN"],
    "constant": [
        "boundcheck.constants.smoothness:PROVIDERS",
        "boundcheck.constants.geometry:PROVIDERS",
        "boundcheck.constants.interpolation:PROVIDERS",
        "boundcheck.constants.noise:PROVIDERS",
        "boundcheck.constants.optimum:PROVIDERS",
        "boundcheck.constants.generalized:PROVIDERS",
        "boundcheck.constants.norms:PROVIDERS",
        "boundcheck.constants.blocks:PROVIDERS",
    ],
    "theorem": [
        "boundcheck.theory.theorems.thm4_1:THEOREM",
        "boundcheck.theory.theorems.thmD_1:THEOREM",
        "boundcheck.theory.theorems.adagradnorm_convex:THEOREM",
        "boundcheck.theory.theorems.thmE_1:THEOREM",
        "boundcheck.theory.theorems.thmE_interp:THEOREM",
        "boundcheck.theory.theorems.thm4_3:THEOREM",
        "boundcheck.theory.theorems.thm5_3:THEOREM",
        "boundcheck.theory.theorems.thmD_3:THEOREM",
        "boundcheck.theory.theorems.adagradnorm_nonconvex:THEOREM",
        "boundcheck.theory.theorems.thmSN_convex:THEOREM",
        "boundcheck.theory.theorems.thmSN_nonconvex:THEOREM",
    ],
    "lemma": ["boundcheck.theory.lemmas:BUILTIN"],
    "check": [
        "boundcheck.checks.lemma_e2:CHECK",
        "boundcheck.checks.identity17:CHECK",
        "boundcheck.checks.lemma_f4:CHECK",
        "boundcheck.checks.lemma_c2:CHECK",
    ],
    "comparison": ["boundcheck.theory.comparisons:ADAGRAD_VS_SGD"],
    "sweep": ["boundcheck.verify.sweeps:SWEEPS", "boundcheck.studies.blocks:SWEEP", "boundcheck.studies.rotation:SWEEP",
              "boundcheck.studies.tutorial:SWEEP"],
}

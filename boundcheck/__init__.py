"""boundcheck: check optimization theorems against computation.

First subject: Liu, Pan, Zhang, *AdaGrad under Anisotropic Smoothness* (ICLR 2025),
and the SGD / AdaGrad-Norm baselines it compares against.

Layers (data flows one way):
    theory     -> symbolic assumptions, lemmas, theorems with explicit-constant bounds
    problems   -> problem families that satisfy the assumptions
    constants  -> a problem's L, sigma, D_inf, D_2, Delta (with certificates)
    algorithms -> AdaGrad / SGD / AdaGrad-Norm as pure batched steps
    engine     -> seeded replicas, checkpoints, metrics
    verify     -> bound vs empirical, confidence intervals, verdicts

The Python API (``docs/api.md``) is exported here, lazily::

    import boundcheck as bc
    problem = bc.make_problem("exptail-logistic", d=16, n=256)
    constants = bc.problem_constants(problem)
    result = bc.run(problem, bc.RunConfig(algorithm="adagrad", T=1000, batch_size=8, eta=constants.D_inf))
    bound = bc.evaluate("thm4.1", {**bc.bound_constants("thm4.1", problem), "T": 1000, "M": 8, "eps": 1e-8})
    rows = bc.verify_rows(["thm4.1"], problem="exptail-logistic", params={"d": 16, "n": 256})
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("boundcheck")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+local"

#: The Python API (``docs/api.md``): name -> "module:attribute", imported on first use so that
#: ``import boundcheck`` stays cheap (no NumPy, SciPy or SymPy until a name is used).
_EXPORTS = {
    # problems
    "make_problem": "boundcheck.problems:make_problem",
    "load_data": "boundcheck.problems:load_data",
    "problem_names": "boundcheck.problems:problem_names",
    "choose_problem": "boundcheck.problems.choice:choose",
    # constants
    "problem_constants": "boundcheck.constants.assemble:problem_constants",
    "Assembly": "boundcheck.constants.provider:Assembly",
    # engine
    "RunConfig": "boundcheck.engine:RunConfig",
    "run": "boundcheck.engine:run",
    # theory
    "get_theorem": "boundcheck.theory.theorem:get",
    "all_theorems": "boundcheck.theory.theorem:all_theorems",
    "bound_constants": "boundcheck.bounds:bound_constants",
    "evaluate": "boundcheck.bounds:evaluate",
    # verification
    "verify_rows": "boundcheck.verify.rows:verify_rows",
    # the registry and the error every entry point raises on bad input
    "registry": "boundcheck.registry",
    "InputError": "boundcheck.validation:InputError",
}


def __getattr__(name: str):
    """The API names of :data:`_EXPORTS`, imported on first use (PEP 562)."""
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'boundcheck' has no attribute {name!r}; the API: {', '.join(sorted(_EXPORTS))}")
    import importlib

    module, _, attr = target.partition(":")
    value = importlib.import_module(module)
    if attr:
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = ["__version__", *_EXPORTS]

"""A worked boundcheck plugin (see README.md): one algorithm, one problem family, one theorem.

``MANIFEST`` is what the entry point ``boundcheck.plugins: example`` names; boundcheck imports
each reference the first time it needs that kind of component.
"""

MANIFEST = {
    "algorithm": ["boundcheck_example.sign_descent:ALGORITHM"],
    "problem": ["boundcheck_example.logcosh:PROBLEM"],
    "theorem": ["boundcheck_example.signgd_theorem:THEOREM"],
}

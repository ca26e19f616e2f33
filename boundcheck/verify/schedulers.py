"""Where cells run: this process, local worker processes, or a Dask cluster.

``--scheduler`` (next to ``--workers N``) names where :func:`boundcheck.verify.cells.execute`
sends the cells it has to compute:

- ``local`` (default): this process (``--workers 1``) or N spawned worker processes;
- ``local-dask``: a Dask ``LocalCluster`` started for the run (``--workers`` worker processes,
  one thread each), closed at the end;
- ``dask://HOST:PORT`` (or ``tcp://HOST:PORT``): an existing Dask cluster's scheduler. Its
  workers need boundcheck (same version) installed; each computes whole cells.

What runs where: the client (the ``boundcheck`` command) plans the cells, reads the results
store, sends only the missing cells, and writes every finished cell to the store as it arrives
(workers never see the store); rows, intervals and verdicts are made by the client. A cell is
a pure function of its spec (the engine seeds each replica), so results are the same bits
whichever worker computes them, and resume and ``--collect-only`` behave as with local
workers. A worker that dies mid-run loses only its unfinished cell: Dask runs it again on
another worker (up to the cluster's ``allowed-failures``), and finished cells are already
stored. ``distributed`` is the optional extra ``boundcheck[dask]``.
"""

from __future__ import annotations

from typing import Callable, Sequence

from boundcheck.validation import InputError

LOCAL, LOCAL_DASK = "local", "local-dask"
ALLOWED = "local, local-dask, dask://HOST:PORT or tcp://HOST:PORT"


def parse(value: str | None) -> str:
    """The validated ``--scheduler`` value (``local``, ``local-dask`` or a scheduler address)."""
    if value is None:
        return LOCAL
    v = str(value).strip()
    if v in (LOCAL, LOCAL_DASK):
        return v
    for prefix in ("dask://", "tcp://"):
        if v.startswith(prefix):
            host, sep, port = v[len(prefix):].rpartition(":")
            if sep and host and port.isdigit() and 0 < int(port) < 65536:
                return v
    raise InputError(f"--scheduler {value!r} is not allowed; allowed: {ALLOWED}")


def is_dask(scheduler: str | None) -> bool:
    return scheduler is not None and scheduler != LOCAL


def _distributed():
    try:
        import distributed
    except ImportError:
        raise InputError("--scheduler dask needs the 'distributed' package: pip install 'boundcheck[dask]'") from None
    return distributed


def connect(scheduler: str, workers: int):
    """``(client, cluster)`` for ``scheduler`` (cluster is None for an existing cluster)."""
    distributed = _distributed()
    if scheduler == LOCAL_DASK:
        cluster = distributed.LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        return distributed.Client(cluster), cluster
    address = "tcp://" + scheduler.split("://", 1)[1]
    try:
        client = distributed.Client(address, timeout="10s")
    except (OSError, TimeoutError) as err:
        raise InputError(f"--scheduler {scheduler!r}: no Dask scheduler answers there ({err})") from None
    return client, None


def run_dask(specs: Sequence[dict], todo: Sequence[int], finish: Callable[[int, dict | None, str | None], None],
             *, scheduler: str, workers: int, client=None) -> None:
    """Compute the cells ``specs[i]`` for i in ``todo`` on Dask; ``finish(i, result, failure)``
    is called in this process as each one arrives (in completion order)."""
    from boundcheck.store import canonical

    from .cells import _compute_in_worker

    distributed = _distributed()
    own = client is None
    cluster = None
    if own:
        client, cluster = connect(scheduler, workers)
    futures = {}
    try:
        import hashlib

        for i in todo:
            key = "boundcheck-cell-" + hashlib.sha256(canonical(specs[i]).encode()).hexdigest()[:32]
            futures[client.submit(_compute_in_worker, specs[i], key=key, pure=False)] = i
        for fut in distributed.as_completed(list(futures)):
            i = futures[fut]
            try:
                result, failure = fut.result()
            except Exception as err:  # the cell failed on every worker that tried it (e.g. KilledWorker)
                result, failure = None, f"{type(err).__name__}: {err}"
            finish(i, result, failure)
    except BaseException:
        for fut in futures:
            fut.cancel()
        raise
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


__all__ = ["parse", "is_dask", "connect", "run_dask", "LOCAL", "LOCAL_DASK", "ALLOWED"]

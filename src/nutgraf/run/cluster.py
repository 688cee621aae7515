"""The Dask side of :mod:`nutgraf.run.runner`: a client on a LocalCluster or a running scheduler.

Kept apart so that Dask is imported only by a run that asks for it (``--dask``): importing
``distributed`` costs about half a second that a laptop run need not pay.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import CancelledError, Executor
from contextlib import contextmanager, suppress

import dask
from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin

from nutgraf.errors import NutgrafError
from nutgraf.run import jobs

LOCAL_WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}
"""Dask settings for the workers of ``local:N``, measured by ``bench/scale.py`` (6,000 stories:
1.46x to 1.66x the speed of one process). The nanny's ``MALLOC_TRIM_THRESHOLD_=65536`` turns off
glibc's adaptive allocator, so every array over 128 KiB goes back to the OS (7x the page faults,
10% of the time), and the profiler samples each task's stack every 10 ms; neither is wanted for
CPU-bound tasks that allocate in bulk. Workers started with ``dask worker`` read the same keys
from their Dask config (docs/batch.md shows how)."""

WORKER_TIMEOUT_S = 60
"""How long to wait for a first worker to join a scheduler that has none."""


@contextmanager
def connect(address: str, token: str, state: object) -> Iterator[tuple[Executor, int]]:
    """Yield an executor on the cluster at ``address`` and its worker threads, state installed.

    ``address`` is ``local:N`` for a LocalCluster of N one-thread processes started here and
    closed after, or a running scheduler's address, which is left running. Errors of the
    cluster (no scheduler there, no worker, a task that kills its workers, a lost scheduler)
    come out as :class:`~nutgraf.errors.NutgrafError`.
    """
    cluster: LocalCluster | None = None
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not (count.isascii() and count.isdigit()) or int(count) < 1:
            raise NutgrafError(f"--dask {address}: give the number of local workers, as in local:2")
        with dask.config.set(LOCAL_WORKER_CONFIG):
            cluster = LocalCluster(
                n_workers=int(count),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: never clash with a cluster already here
                silence_logs=logging.ERROR,
            )
        client = Client(cluster)
    elif "://" in address:
        try:
            client = Client(address, timeout="10s")
        except OSError as error:
            raise NutgrafError(
                f"--dask {address}: no Dask scheduler answers there ({error}); start one with"
                " `dask scheduler` and workers with `dask worker ADDRESS`"
            ) from None
        except Exception as error:  # ValueError for a bad port, TypeError for tls:// ...
            why = str(error) or type(error).__name__
            raise NutgrafError(
                f"--dask {address}: not a usable scheduler address ({why}); give one such as"
                " tcp://10.0.0.5:8786"
            ) from None
    else:
        raise NutgrafError(
            f"--dask {address!r}: give local:N for a cluster on this machine, or a scheduler"
            " address such as tcp://10.0.0.5:8786"
        )
    name = f"nutgraf-{token}"
    registered = False
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT_S)
        except TimeoutError:
            raise NutgrafError(
                f"--dask {address}: the scheduler has had no worker for {WORKER_TIMEOUT_S} s;"
                " start some with `dask worker ADDRESS`"
            ) from None
        client.register_plugin(ShareState(token, state), name=name)
        registered = True
        yield client.get_executor(pure=False), sum(client.nthreads().values())
    except KilledWorker as error:
        raise NutgrafError(
            f"--dask {address}: {error}; if they ran out of memory, give them more or use"
            " smaller partitions"
        ) from None
    except CancelledError:
        raise NutgrafError(
            f"--dask {address}: the cluster dropped this run's tasks (did the scheduler stop?)"
        ) from None
    finally:
        if registered:
            # Tidying only: it must not hide the error that ended the run (a lost scheduler).
            with suppress(Exception):
                client.unregister_worker_plugin(name)
        client.close()
        if cluster is not None:
            cluster.close()


class ShareState(WorkerPlugin):
    """Install a job's state on every worker once, latecomers included, and remove it after.

    Dask sends the plugin (and so the state: the highlight model) to each worker when it is
    registered or when the worker joins, instead of with every task.
    """

    def __init__(self, token: str, state: object) -> None:
        self.token = token
        self.state = state

    def setup(self, worker: object) -> None:
        """Keep the state in the worker's process for the job's tasks."""
        jobs.install(self.token, self.state)

    def teardown(self, worker: object) -> None:
        """Free it when the job is over: the worker may serve other jobs."""
        jobs.uninstall(self.token)

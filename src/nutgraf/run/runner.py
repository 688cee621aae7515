"""Where a corpus job's tasks run: this process, a pool of processes, or a Dask cluster.

A corpus job (:mod:`nutgraf.run.batch`, :mod:`nutgraf.evaluate.highlights`) cuts its input
into partitions and maps one task over them. The task is a plain function ``task(state,
item)``: ``state`` is what every task of the job shares and is costly to move (the highlight
model), sent to each worker process once when it joins, never with each task; ``item`` is one
partition's records.
So the same task runs, with the same results, on any of three backends chosen by
:func:`connect`:

* ``workers=1``: in this process, one task after another (no start-up cost);
* ``workers=N``: a pool of N processes on this machine. They start from a clean ``forkserver``
  process rather than a fork of the parent, because LightGBM's OpenMP runtime can hang in a
  child forked after the parent used it;
* ``dask="local:N"`` or ``dask="tcp://host:8786"``: a Dask ``LocalCluster`` of N one-thread
  worker processes, or the workers of a running scheduler. The state travels in a
  ``WorkerPlugin``, which Dask hands to every worker once, latecomers included.

Every backend is reached through :class:`concurrent.futures.Executor` (Dask's is
``Client.get_executor``), so :meth:`Backend.map` is written once. It keeps a bounded number of
tasks in flight (two per worker thread: none waits for the next partition to be read, and
memory stays flat on any corpus size) and yields results as they finish.

>>> with connect(state=3) as backend:
...     list(backend.map(_double, [("a", 10), ("b", 20)]))
[('a', 30), ('b', 60)]
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from nutgraf.errors import NutgrafError
from nutgraf.run import jobs

Item = TypeVar("Item")
Result = TypeVar("Result")
Key = TypeVar("Key")

_PARENT_CHECK_S = 2.0
"""How often a pool worker checks that its parent still lives."""


def _start_pool_worker(token: str, state: object, parent: int) -> None:
    """Install the state in a pool worker, which leaves interruption and ending to its parent.

    Ctrl-C in a terminal reaches the whole process group: the parent stops the run and shuts
    the pool down, so a worker ignores SIGINT rather than dying mid-task with a traceback. A
    parent killed outright (SIGKILL, the OOM killer) cannot shut anything down, and forkserver
    workers are not its children, so each worker watches for its parent and exits when it is
    gone, instead of holding a model's memory forever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_without, args=(parent,), daemon=True).start()
    jobs.install(token, state)


def _exit_without(parent: int) -> None:
    while True:
        time.sleep(_PARENT_CHECK_S)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)


def _double(state: int, item: int) -> int:
    """Multiply: a task for the doctest above."""
    return state * item


class _InProcess(Executor):
    """Run each task at once, in this process: ``workers=1`` with no pool to start."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


class Backend:
    """An executor, the job's token on it, and how many tasks to keep in flight.

    Made by :func:`connect`, which has already sent the job's state to every worker.
    """

    def __init__(self, executor: Executor, slots: int, token: str) -> None:
        self._executor = executor
        self.slots = slots
        self._token = token

    def map(
        self, task: Callable[[Any, Item], Result], items: Iterable[tuple[Key, Item]]
    ) -> Iterator[tuple[Key, Result]]:
        """Yield ``(key, task(state, item))`` for every ``(key, item)``, in order of finishing.

        ``task`` must be a module-level function (it is pickled by name). Items are read from
        ``items`` only as slots free up. A task that raises stops the map with its error;
        tasks not yet started are cancelled.
        """
        pending: dict[Future[Result], Key] = {}
        try:
            for key, item in items:
                pending[self._executor.submit(jobs.run_task, self._token, task, item)] = key
                if len(pending) >= self.slots:
                    yield from _finished(pending)
            while pending:
                yield from _finished(pending)
        finally:
            for future in pending:
                future.cancel()


def _finished(pending: dict[Future[Result], Key]) -> Iterator[tuple[Key, Result]]:
    """Wait for at least one task, and yield every finished one (in submission order)."""
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in [f for f in pending if f in done]:
        yield pending.pop(future), future.result()


@contextmanager
def connect(
    workers: int = 1, dask: str | None = None, *, state: object = None
) -> Iterator[Backend]:
    """Open a backend of ``workers`` local processes, or on the Dask cluster ``dask``.

    ``state`` is sent to each worker once, for every task of the job to share. ``dask`` is
    ``"local:N"`` (start a LocalCluster of N processes here) or a scheduler's address
    (``"tcp://10.0.0.5:8786"``); it overrides ``workers``. Raises
    :class:`~nutgraf.errors.NutgrafError` for a malformed address or a scheduler that cannot
    be reached, and for a worker process that dies (killed for memory, say).
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    token = uuid.uuid4().hex
    if dask is not None:
        from nutgraf.run import cluster  # Dask is imported only when asked for

        with cluster.connect(dask, token, state) as (executor, threads):
            yield Backend(executor, 2 * threads, token)
    elif workers == 1:
        jobs.install(token, state)
        try:
            yield Backend(_InProcess(), 1, token)
        finally:
            jobs.uninstall(token)
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        with ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start_pool_worker,
            initargs=(token, state, os.getpid()),
        ) as pool:
            try:
                yield Backend(pool, 2 * workers, token)
            except BrokenProcessPool as error:
                raise NutgrafError(
                    f"a worker process died ({error}); if it was killed for lack of memory,"
                    " rerun with fewer workers or smaller partitions"
                ) from None
            finally:
                pool.shutdown(wait=True, cancel_futures=True)

"""The jobs a worker process holds: each job's shared state, and the call that runs its tasks.

A worker of any backend (:mod:`nutgraf.run.runner`'s pool, or a Dask worker through
:mod:`nutgraf.run.cluster`) receives a job's state once and keeps it here under the job's token;
every task of the job then runs as :func:`run_task`, which looks the state up. It is a module
of its own, below both backends, so that the Dask side installs state without importing the
runner that imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_states: dict[str, object] = {}
"""The shared state of each job running in this process, by job token."""


def install(token: str, state: object) -> None:
    """Keep ``state`` for the tasks of job ``token`` (run once in each worker process)."""
    _states[token] = state


def uninstall(token: str) -> None:
    """Forget job ``token``'s state (a Dask worker outlives the job)."""
    _states.pop(token, None)


def run_task(token: str, task: Callable[[Any, Item], Result], item: Item) -> Result:
    """Run one task of job ``token`` on its item, with the state the job installed here."""
    return task(_states[token], item)

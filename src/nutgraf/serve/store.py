"""The story store: summarized stories kept in one SQLite file, searchable by their words.

SQLite is the embedded default because a newsroom tool should run from one file with nothing to
install or administer, and SQLite gives what a store needs without a server:

- **Safe with several writers.** The file is in WAL mode, every write is one ``BEGIN
  IMMEDIATE`` transaction, and a writer that finds the file locked waits (``timeout``) rather
  than fails, so processes and threads can add stories at once and none is lost.
- **Durable once acknowledged.** :meth:`Store.add` returns an id only after its transaction has
  committed with ``synchronous=FULL``, so a story whose id was returned survives the process
  being killed (and, on a disk that honours fsync, power loss). A write cut short is rolled back
  whole when the file is next opened; the story and its index entry go in or out together.
- **Full-text search.** An FTS5 index (porter stemming, accents folded) over the title, the
  text, the highlights and the sources credited with the story's figures; a query is FTS5's
  syntax (words, ``"a phrase"``, ``prefix*``, ``AND``/``OR``/``NOT``, ``sources: observatory``),
  and a query FTS5 cannot parse is a :class:`~nutgraf.errors.QueryError`, never a
  ``sqlite3`` error. Results come newest first, a page at a time.
- **A schema that moves forward.** ``PRAGMA user_version`` records how many of
  :data:`MIGRATIONS` the file has had; opening it applies the rest in order, each in one
  transaction with its version number, and a file from a newer nutgraf is refused rather than
  misread.

A story is kept as its text plus the JSON of :func:`nutgraf.render.record_json` (highlights with
provenance, sentences, figures); the text is stored once, as a column the index reads.

One :class:`Store` holds one connection and a lock, so threads (the service's threadpool) can
share it: a store call takes well under a millisecond, summarizing a story tens, so the lock is
never what a request waits on. Each process opens its own :class:`Store` (each worker of
``nutgraf serve --workers``), and SQLite's file locks, waited on up to ``timeout``, serialize
their writes.

>>> import tempfile, pathlib
>>> from nutgraf import highlights
>>> with tempfile.TemporaryDirectory() as tmp, Store(pathlib.Path(tmp) / "s.db") as store:
...     story_id = store.add(highlights("Rain fell on Monday. The match was called off."))
...     [s.id for s in store.search("rain").stories] == [story_id]
True
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from nutgraf import render
from nutgraf.errors import QueryError, StoreError, UnknownStoryError
from nutgraf.story import Story

__all__ = [
    "DEFAULT_PATH",
    "MAX_ID",
    "MAX_LIMIT",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Page",
    "Store",
    "StoredStory",
    "StorySummary",
    "migrate",
]

Migration = Sequence[str]
"""The SQL statements that take the schema one version forward, run in one transaction."""

MIGRATIONS: Sequence[Migration] = (
    # 1: stories, and their full-text index kept in step by a trigger. The index reads its
    # columns from the table (external content), so the text is stored once.
    (
        """
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            highlights TEXT NOT NULL,
            sources TEXT NOT NULL,
            record TEXT NOT NULL
        )
        """,
        """
        CREATE VIRTUAL TABLE stories_fts USING fts5(
            title, text, highlights, sources,
            content='stories', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        )
        """,
        """
        CREATE TRIGGER stories_index AFTER INSERT ON stories BEGIN
            INSERT INTO stories_fts(rowid, title, text, highlights, sources)
            VALUES (new.id, new.title, new.text, new.highlights, new.sources);
        END
        """,
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema this nutgraf writes: the number of migrations."""

DEFAULT_PATH = "nutgraf.db"
"""Where ``nutgraf serve`` keeps its stories unless told otherwise: in the working directory."""

MAX_LIMIT = 100
"""The most stories one page of search results holds."""

MAX_ID = 2**63 - 1
"""SQLite's largest integer: the largest id, and the largest offset into search results."""

# How SQLite words the errors that are the database's fault, not the query's; any other error
# of a search (FTS5 words its complaints many ways: "fts5: syntax error", "no such column",
# "expected integer" after NEAR) is the query's.
_DATABASE_ERRORS = (
    "database is locked",
    "database table is locked",
    "disk i/o error",
    "database disk image is malformed",
    "unable to open",
    "out of memory",
)


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story as stored: its id, when it was added (UTC, ISO 8601) and its record."""

    id: int
    created: str
    story: dict[str, Any]
    """:func:`nutgraf.render.record_json` of the story: text, highlights, sentences, figures."""


@dataclass(frozen=True, slots=True)
class StorySummary:
    """One search result: enough to list a story and fetch it whole by its id."""

    id: int
    created: str
    title: str | None
    highlights: list[str]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of search results, newest first, and how many stories matched in all."""

    total: int
    stories: list[StorySummary]


class Store:
    """Summarized stories in one SQLite file; see the module docstring for the guarantees.

    Args:
        path: The database file; created, with its directory's permission, when missing.
        timeout: Seconds a write waits for another writer before giving up.

    Raises:
        StoreError: the file cannot be opened, is not a nutgraf store, or was written by a
            newer nutgraf.

    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open the store: {error}") from None
        try:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            migrate(self._db)
        except (StoreError, sqlite3.Error) as error:
            self._db.close()
            raise StoreError(f"{self.path}: cannot open the store: {error}") from None

    def add(self, story: Story) -> int:
        """Store a summarized story with its results; return its id once it is durable.

        Ids grow with every story added, so the newest story has the largest id.
        """
        record = render.record_json(story)
        text = record.pop("text")
        highlights = "\n".join(h["text"].replace("\n", " ") for h in record["highlights"])
        sources = "\n".join(dict.fromkeys(f["source"] for f in record["figures"] if f["source"]))
        created = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        record_text = json.dumps(record, ensure_ascii=False)
        with self._lock, _Transaction(self._db, "BEGIN IMMEDIATE"):
            cursor = self._db.execute(
                "INSERT INTO stories (created, title, text, highlights, sources, record)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (created, story.title or "", text, highlights, sources, record_text),
            )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table always sets it
        return cursor.lastrowid

    def get(self, story_id: int) -> StoredStory:
        """Return the story stored under ``story_id``.

        Raises:
            UnknownStoryError: no story has that id.

        """
        row = None
        if 1 <= story_id <= MAX_ID:
            with self._lock:
                row = self._db.execute(
                    "SELECT created, text, record FROM stories WHERE id = ?", (story_id,)
                ).fetchone()
        if row is None:
            raise UnknownStoryError(
                f"no stored story has id {story_id}; search the store for the ids it has"
            )
        created, text, record = row
        return StoredStory(id=story_id, created=created, story={**json.loads(record), "text": text})

    def search(self, query: str | None = None, *, limit: int = 20, offset: int = 0) -> Page:
        """Return one page of the stories that match ``query``, newest first.

        A blank or missing query lists every story. ``limit`` is at most :data:`MAX_LIMIT`.

        Raises:
            QueryError: FTS5 cannot parse the query, or ``limit``/``offset`` is out of range.

        """
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit {limit} is out of range; give 1 to {MAX_LIMIT}")
        if not 0 <= offset <= MAX_ID:
            raise QueryError(f"offset {offset} is out of range; give 0 or more")
        query = (query or "").strip()
        if query:
            matches = "SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? ORDER BY rowid DESC"
            args: tuple[str, ...] = (query,)
        else:
            matches, args = "SELECT id FROM stories ORDER BY id DESC", ()
        try:
            with self._lock, _Transaction(self._db, "BEGIN"):
                (total,) = self._db.execute(f"SELECT count(*) FROM ({matches})", args).fetchone()
                rows = self._db.execute(
                    "SELECT id, created, title, highlights FROM stories"
                    f" WHERE id IN ({matches} LIMIT ? OFFSET ?) ORDER BY id DESC",
                    (*args, limit, offset),
                ).fetchall()
        except sqlite3.OperationalError as error:
            if str(error).lower().startswith(_DATABASE_ERRORS):
                raise
            raise QueryError(
                f"cannot search for {query!r}: {error}. Put words with punctuation in double"
                ' quotes ("covid-19"); the columns are title, text, highlights and sources'
            ) from None
        except UnicodeEncodeError:
            raise QueryError(f"cannot search for {query!r}: it is not valid Unicode") from None
        return Page(
            total=total,
            stories=[
                StorySummary(
                    id=story_id,
                    created=created,
                    title=title or None,
                    highlights=highlights.split("\n") if highlights else [],
                )
                for story_id, created, title, highlights in rows
            ],
        )

    def close(self) -> None:
        """Close the connection; the file stays consistent whether or not this is called."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class _Transaction:
    """``BEGIN`` on entry; ``COMMIT`` on a clean exit, ``ROLLBACK`` on an error."""

    def __init__(self, db: sqlite3.Connection, begin: str) -> None:
        self.db = db
        self.begin = begin

    def __enter__(self) -> None:
        self.db.execute(self.begin)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            try:
                self.db.execute("COMMIT")
            except BaseException:
                # a failed COMMIT leaves the transaction open: close it, or every later BEGIN fails
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        elif self.db.in_transaction:  # SQLite rolls back by itself after some errors (disk full)
            self.db.execute("ROLLBACK")


def migrate(db: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> None:
    """Bring the database to version ``len(migrations)``, applying the missing ones in order.

    ``db`` must be in autocommit mode (``isolation_level=None``). The migrations run inside one
    ``BEGIN IMMEDIATE`` transaction, which also sets ``PRAGMA user_version``, so a process that
    opens the file at the same moment waits and then finds it current, and a migration that
    fails leaves the file at the version it had.

    Raises:
        StoreError: the file's version is above ``len(migrations)``: a newer nutgraf wrote it.

    """
    version = _version(db)
    if version < len(migrations):
        with _Transaction(db, "BEGIN IMMEDIATE"):
            version = _version(db)  # again under the lock: another process may have migrated
            for number in range(version + 1, len(migrations) + 1):
                for statement in migrations[number - 1]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
    if version > len(migrations):
        raise StoreError(
            f"the store has schema version {version}, newer than this nutgraf's"
            f" {len(migrations)}; upgrade nutgraf to read it"
        )


def _version(db: sqlite3.Connection) -> int:
    (version,) = db.execute("PRAGMA user_version").fetchone()
    return int(version)

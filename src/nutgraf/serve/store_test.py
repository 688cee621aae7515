import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nutgraf import pipeline, render
from nutgraf.errors import QueryError, StoreError, UnknownStoryError
from nutgraf.read import ingest
from nutgraf.serve.store import MAX_ID, MAX_LIMIT, MIGRATIONS, SCHEMA_VERSION, Store, migrate
from nutgraf.story import Figure, Highlight, Sentence, Story

EXAMPLE = Path(__file__).parents[3] / "examples" / "000_7c7ec3b5e1da7bbe.txt"

# A writer in its own process: adds COUNT stories (forever when negative) to the store at PATH
# and prints each id once add() has returned it, i.e. once the story is acknowledged.
WRITER = """
import sys
from nutgraf.serve.store import Store
from nutgraf.story import Story

path, count, tag, size = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
with Store(path) as store:
    i = 0
    while count < 0 or i < count:
        story = Story(text=f"{tag} story {i}. " + "filler words " * size, title=f"{tag} {i}")
        print(store.add(story), flush=True)
        i += 1
"""


def _writer(path: Path, count: int, tag: str, size: int = 10) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(count), tag, str(size)],
        stdout=subprocess.PIPE,
        text=True,
    )


def _story(text: str, title: str | None = None, source: str | None = None) -> Story:
    """A summarized story made by hand: one sentence, one bullet, one figure credited to source."""
    story = Story(text=text, title=title)
    story.sentences = [Sentence(0, text, 0, len(text), 0)]
    story.highlights = [Highlight(text, (0,), ((0, len(text)),), 0.5)]
    if source:
        story.figures = [Figure("2", 2.0, None, "things", source, 0, 0, 1)]
    return story


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "stories.db")


def test_add_then_get_returns_the_record_and_the_text(store: Store) -> None:
    story = pipeline.process(ingest.read_file(EXAMPLE), figures="all")
    story_id = store.add(story)
    stored = store.get(story_id)
    assert stored.id == story_id
    assert stored.created.endswith("Z")
    assert stored.story == render.record_json(story)
    for highlight in stored.story["highlights"]:
        for start, end in highlight["spans"]:
            assert stored.story["text"][start:end].lower() in highlight["text"].lower()


@pytest.mark.parametrize("story_id", [0, -1, 2, MAX_ID, MAX_ID + 1, 10**30])
def test_unknown_id_is_a_clear_error(store: Store, story_id: int) -> None:
    store.add(_story("One story."))
    with pytest.raises(UnknownStoryError, match=f"no stored story has id {story_id}"):
        store.get(story_id)


def test_search_is_newest_first_and_pages_without_gaps_or_repeats(store: Store) -> None:
    matching = []
    for i in range(25):
        matching.append(store.add(_story(f"Flood waters rose in town {i}.")))
        store.add(_story(f"A quiet day number {i}."))
    pages = [store.search("flood", limit=10, offset=offset) for offset in (0, 10, 20, 30)]
    assert [page.total for page in pages] == [25] * 4
    assert [len(page.stories) for page in pages] == [10, 10, 5, 0]
    assert [s.id for page in pages for s in page.stories] == matching[::-1]
    everything = store.search(None, limit=MAX_LIMIT)
    assert everything.total == 50
    assert [s.id for s in everything.stories] == list(range(50, 0, -1))
    assert store.search("   ", limit=3).total == 50


def test_search_lists_title_and_bullets(store: Store) -> None:
    story_id = store.add(_story("Rain fell on Monday.", title="Weather"))
    (summary,) = store.search("rain").stories
    assert (summary.id, summary.title, summary.highlights) == (
        story_id,
        "Weather",
        ["Rain fell on Monday."],
    )


def test_search_reads_title_text_highlights_and_sources_with_stemming(store: Store) -> None:
    plain = store.add(_story("Three people were killed in the café.", title="Attack"))
    sourced = store.add(_story("Two were hurt.", source="the Syrian Observatory"))
    untitled = store.add(Story(text="Nothing was chosen from this one."))

    def ids(query: str) -> list[int]:
        return [s.id for s in store.search(query).stories]

    assert ids("killing") == [plain]  # porter stemming
    assert ids("cafe") == [plain]  # accents folded
    assert ids("title:attack") == [plain]
    assert ids("highlights:hurt") == [sourced]
    assert ids("sources:observatory") == [sourced]
    assert ids("observatory") == [sourced]
    assert ids('"were hurt" OR chosen') == [untitled, sourced]
    assert ids("kill* NOT hurt") == [plain]
    assert ids("text:observatory") == []


@pytest.mark.parametrize(
    "query",
    [
        "covid-19",
        "U.S.",
        "x:foo",
        '"unterminated',
        "AND",
        "foo OR",
        "NEAR(",
        "NEAR(a b, x)",
        "*",
        "(",
        "#",
        "'",
    ],
)
def test_a_query_fts5_cannot_parse_is_a_query_error(store: Store, query: str) -> None:
    store.add(_story("A story about covid-19 in the U.S."))
    with pytest.raises(QueryError, match="cannot search for"):
        store.search(query)


def test_no_query_escapes_as_a_sqlite_error(store: Store) -> None:
    store.add(_story("Some words to find, 42 of them (or more)."))
    rng = random.Random(6)
    pieces = [*"\"()*:^-+{}.,#'", "AND", "OR", "NOT", "NEAR", "words", "title", "x", " ", "\x00"]
    for _ in range(2000):
        query = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        with contextlib.suppress(QueryError):
            store.search(query)


def test_a_query_that_is_not_unicode_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError, match="not valid Unicode"):
        store.search("rain \ud800")


@pytest.mark.parametrize(
    ("limit", "offset"), [(0, 0), (MAX_LIMIT + 1, 0), (10, -1), (10, MAX_ID + 1)]
)
def test_paging_out_of_range_is_a_query_error(store: Store, limit: int, offset: int) -> None:
    with pytest.raises(QueryError, match="out of range"):
        store.search("rain", limit=limit, offset=offset)


def test_the_largest_offset_is_an_empty_page(store: Store) -> None:
    store.add(_story("Rain fell."))
    assert store.search("rain", offset=MAX_ID).stories == []
    assert store.search(None, limit=MAX_LIMIT, offset=MAX_ID).total == 1


def test_a_new_file_is_at_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    Store(tmp_path / "new.db").close()
    db = sqlite3.connect(tmp_path / "new.db")
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize("version", range(SCHEMA_VERSION + 1))
def test_every_schema_version_opens_and_is_brought_to_the_current_one(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:version])
    db.close()
    with Store(path) as store:
        story_id = store.add(_story("Rain fell on Monday."))
        assert [s.id for s in store.search("rain").stories] == [story_id]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


STEPS = [
    ("CREATE TABLE log (step INTEGER)", "INSERT INTO log VALUES (1)"),
    ("CREATE TABLE two (x)", "INSERT INTO log VALUES (2)"),
    ("ALTER TABLE two ADD COLUMN y", "INSERT INTO log VALUES (3)"),
]


@pytest.mark.parametrize("start", range(len(STEPS) + 1))
def test_migrate_applies_only_the_missing_steps_in_order(start: int) -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrate(db, STEPS[:start])
    migrate(db, STEPS)
    migrate(db, STEPS)  # current: nothing to do
    assert db.execute("PRAGMA user_version").fetchone() == (3,)
    assert [step for (step,) in db.execute("SELECT step FROM log")] == [1, 2, 3]
    assert [row[1] for row in db.execute("PRAGMA table_info(two)")] == ["x", "y"]


def test_a_failing_migration_leaves_the_version_it_found() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrate(db, STEPS[:1])
    broken = [*STEPS[:2], ("ALTER TABLE missing ADD COLUMN y",)]
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        migrate(db, broken)
    assert db.execute("PRAGMA user_version").fetchone() == (1,)
    assert not db.in_transaction
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'two'").fetchall() == []


def test_a_store_from_a_newer_nutgraf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store(path).close()
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match=r"newer than this nutgraf's .*upgrade nutgraf"):
        Store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not a database. " * 100)
    with pytest.raises(
        StoreError, match=r"notes\.txt: cannot open the store: file is not a database"
    ):
        Store(path)


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(tmp_path / "no" / "such" / "dir.db")


def test_threads_sharing_one_store_lose_nothing(store: Store) -> None:
    ids: list[int] = []

    def write(tag: int) -> None:
        for i in range(25):
            ids.append(store.add(_story(f"Thread {tag} story {i}.")))
            store.search("story", limit=5)

    threads = [threading.Thread(target=write, args=(tag,)) for tag in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 200
    assert store.search("thread").total == 200


def test_concurrent_writer_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"  # not created yet: the writers race to create and migrate it
    writers = [_writer(path, 50, f"writer{n}") for n in range(4)]
    printed = [writer.communicate(timeout=120)[0].split() for writer in writers]
    assert [writer.returncode for writer in writers] == [0] * 4
    ids = [int(story_id) for lines in printed for story_id in lines]
    assert len(ids) == len(set(ids)) == 200
    with Store(path) as store:
        assert store.search(None).total == 200
        for n, lines in enumerate(printed):
            assert store.search(f"writer{n}").total == 50
            for i, story_id in enumerate(lines):
                assert store.get(int(story_id)).story["text"].startswith(f"writer{n} story {i}.")


def test_two_stores_on_one_file_written_at_once_lose_nothing(tmp_path: Path) -> None:
    # two connections, as two service workers have: SQLite's lock serializes them, not the store's
    path = tmp_path / "shared.db"
    with Store(path) as first, Store(path) as second:

        def write(store: Store, tag: str) -> list[int]:
            return [store.add(_story(f"{tag} story {i}.")) for i in range(50)]

        with ThreadPoolExecutor(4) as pool:
            stores = [first, second, first, second]
            written = pool.map(write, stores, [f"writer{n}" for n in range(4)])
            ids = [story_id for batch in written for story_id in batch]
        assert len(set(ids)) == 200
        assert first.search(None).total == second.search(None).total == 200


def test_a_writer_waits_for_another_connections_write_rather_than_fail(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    with Store(path) as store:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.5, other.execute, ("COMMIT",))
        release.start()
        start = time.monotonic()
        story_id = store.add(_story("Written once the other writer was done."))
        assert time.monotonic() - start >= 0.4
        release.join()
        other.close()
        assert store.get(story_id).story["text"].startswith("Written once")


def test_a_writer_killed_mid_write_leaves_every_acknowledged_story(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    rng = random.Random(6)
    acknowledged: list[int] = []
    for round_ in range(4):
        # ~260 kB a story, so that indexing it keeps the writer inside its transaction most of
        # the time and a kill at a random moment lands there
        writer = _writer(path, -1, f"round{round_}", size=20_000)
        assert writer.stdout is not None
        this_round = [int(writer.stdout.readline()) for _ in range(rng.randint(2, 10))]
        time.sleep(rng.uniform(0, 0.05))
        os.kill(writer.pid, signal.SIGKILL)
        this_round.extend(int(line) for line in writer.stdout.read().split())
        assert writer.wait() == -signal.SIGKILL
        acknowledged.extend(this_round)

        db = sqlite3.connect(path, isolation_level=None)
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.execute("INSERT INTO stories_fts(stories_fts) VALUES ('integrity-check')")
        db.close()
        with Store(path) as store:
            for story_id in acknowledged:
                store.get(story_id)
            # at most one more: committed, then killed before its id was printed
            assert store.search(f"round{round_}").total - len(this_round) in (0, 1)

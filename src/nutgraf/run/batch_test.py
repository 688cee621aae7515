import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from filelock import FileLock

from nutgraf.errors import DecodeError, NutgrafError
from nutgraf.read.corpus import Corpus
from nutgraf.run.batch import Reject, default_rejects_path, run_batch, work_path
from nutgraf.select.models import load_selector
from nutgraf.story import Story

FIXTURES = Path(__file__).parents[3] / "tests" / "fixtures"
CORPUS = FIXTURES / "cli_corpus.jsonl"
BAD_LINES = {3: "broken", 6: "blank"}  # line 3 is cut-off JSON, line 6 an empty article


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _input_ids() -> list[str]:
    ids = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if number not in BAD_LINES:
            ids.append(json.loads(line)["id"])
    return ids


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Reject]]:
    out = tmp_path_factory.mktemp("single") / "out.jsonl"
    seen: list[Reject] = []
    summary = run_batch(CORPUS, out, progress=False, partition_size=2, on_reject=seen.append)
    assert (summary.done, summary.skipped, summary.rejected) == (7, 0, 2)
    assert summary.rejects_path == default_rejects_path(out)
    assert not work_path(out).exists()
    return out, seen


def test_every_good_story_is_written_in_input_order(single: tuple[Path, list[Reject]]) -> None:
    rows = _rows(single[0])
    assert [row["id"] for row in rows] == _input_ids()
    assert [row["record"] for row in rows] == [1, 2, 4, 5, 7, 8, 9]
    for row in rows:
        highlights, sentences = row["highlights"], row["sentences"]
        assert isinstance(highlights, list) and 1 <= len(highlights) <= 4
        assert isinstance(sentences, list) and len(sentences) == len(highlights)
        assert len(row["figures"]) == len(highlights)


def test_bad_lines_go_to_the_rejects_file_with_record_numbers_and_raw_text(
    single: tuple[Path, list[Reject]],
) -> None:
    out, seen = single
    rejects = _rows(default_rejects_path(out))
    assert [reject["record"] for reject in rejects] == sorted(BAD_LINES)
    raw_lines = CORPUS.read_text(encoding="utf-8").splitlines()
    for reject in rejects:
        assert reject["raw"] == raw_lines[reject["record"] - 1]
        assert f"line {reject['record']}" in reject["error"]
    assert sorted(reject.record for reject in seen) == sorted(BAD_LINES)


def test_two_workers_write_the_same_bytes_as_one(
    single: tuple[Path, list[Reject]], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    rejects = tmp_path / "bad.jsonl"
    summary = run_batch(
        CORPUS, out, rejects_path=rejects, workers=2, progress=False, partition_size=2
    )
    assert summary.rejects_path == rejects
    assert out.read_bytes() == single[0].read_bytes()
    assert rejects.read_bytes() == default_rejects_path(single[0]).read_bytes()


def test_a_second_run_on_an_output_being_written_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lock = out.with_name("out.jsonl.lock")
    refused = pytest.raises(NutgrafError, match="another nutgraf batch is writing this output")
    with FileLock(lock, timeout=0), refused:  # as a run still writing ``out`` holds it
        run_batch(CORPUS, out, limit=3, progress=False)
    assert not work_path(out).exists()
    run_batch(CORPUS, out, limit=3, progress=False)
    assert out.is_file()


def test_limit_stops_at_a_record_number(tmp_path: Path) -> None:
    summary = run_batch(CORPUS, tmp_path / "out.jsonl", limit=3, progress=False)
    assert (summary.done, summary.rejected) == (2, 1)


def test_parquet_output_holds_the_same_rows(
    single: tuple[Path, list[Reject]], tmp_path: Path
) -> None:
    out = tmp_path / "out.parquet"
    run_batch(CORPUS, out, progress=False, partition_size=3)
    table = pq.read_table(out)
    expected = _rows(single[0])
    assert table.column("id").to_pylist() == [row["id"] for row in expected]
    assert table.column("record").to_pylist() == [row["record"] for row in expected]
    assert table.column("highlights").to_pylist() == [row["highlights"] for row in expected]
    assert table.column("sentences").to_pylist() == [row["sentences"] for row in expected]
    figures = table.column("figures").to_pylist()
    assert [[[f["text"] for f in bullet] for bullet in row] for row in figures] == [
        [[f["text"] for f in bullet] for bullet in row["figures"]] for row in expected
    ]


def test_a_folder_out_is_a_partitioned_dataset_of_the_same_rows(
    single: tuple[Path, list[Reject]], tmp_path: Path
) -> None:
    out = tmp_path / "dataset"
    summary = run_batch(CORPUS, out, progress=False, partition_size=4, figures=False)
    parts = sorted(out.iterdir())
    assert [part.name for part in parts] == [f"part-00000{i}.jsonl" for i in range(3)]
    rows = [row for part in parts for row in _rows(part)]
    assert [row["highlights"] for row in rows] == [r["highlights"] for r in _rows(single[0])]
    assert "figures" not in rows[0]
    assert summary.rejects_path == tmp_path / "dataset.rejects.jsonl"

    parquet = f"{tmp_path}/dataset.parquet/"  # a string: a Path drops the trailing /
    run_batch(CORPUS, parquet, progress=False, partition_size=4)
    assert Path(parquet).is_dir()
    assert pq.read_table(parquet).num_rows == 7  # pyarrow reads the folder as one table


def test_parquet_input_reads_rows_and_rejects_bad_ones(tmp_path: Path) -> None:
    good = [
        json.loads(line)
        for n, line in enumerate(CORPUS.read_text().splitlines(), 1)
        if n not in BAD_LINES
    ]
    rows = [*good[:2], {"id": "none", "article": None}, *good[2:]]
    source = tmp_path / "corpus.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    out = tmp_path / "out.jsonl"
    summary = run_batch(source, out, progress=False, figures=False)
    assert (summary.done, summary.rejected) == (7, 1)
    assert [row["id"] for row in _rows(out)] == [row["id"] for row in good]
    (reject,) = _rows(default_rejects_path(out))
    assert reject["record"] == 3 and "row 3" in reject["error"] and "article" in reject["error"]


def test_a_parquet_file_without_articles_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "corpus.parquet"
    pq.write_table(pa.table({"text": ["Rain fell."]}), source)
    with pytest.raises(NutgrafError, match='no "article" column'):
        run_batch(source, tmp_path / "out.jsonl", progress=False)


def test_folder_input_reads_each_story_file(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    (folder / "more").mkdir(parents=True)
    shutil.copy(FIXTURES / "ingest_cnn.story", folder / "a.story")
    shutil.copy(FIXTURES / "ingest_page.html", folder / "more" / "b.html")
    shutil.copy(FIXTURES / "update_v1.txt", folder / "c.txt")
    (folder / "d.txt").write_bytes(b"\x00\x01binary")
    (folder / "notes.md").write_text("not a story file")
    out = tmp_path / "out.jsonl"
    summary = run_batch(folder, out, progress=False, figures=False)
    assert (summary.done, summary.rejected) == (3, 1)
    assert [row["id"] for row in _rows(out)] == ["a", "c", "more/b"]
    (reject,) = _rows(default_rejects_path(out))
    assert reject["record"] == 3 and "d.txt" in reject["error"]  # a, c, d, more/b


def test_an_output_name_of_unknown_form_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NutgrafError, match="output format"):
        run_batch(CORPUS, tmp_path / "out.csv", progress=False)


class _Failing:
    """The packaged selector, failing on its ``fail_on``-th call: an interruption mid-run."""

    def __init__(self, fail_on: int | None) -> None:
        self.selector = load_selector()
        self.fail_on = fail_on
        self.calls = 0

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        self.calls += 1
        if self.calls == self.fail_on:
            raise KeyboardInterrupt
        return self.selector.annotate(stories)

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        return self.selector.choose(stories, blocked)


def test_a_rerun_finishes_an_interrupted_run_and_skips_what_it_did(
    single: tuple[Path, list[Reject]], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(CORPUS, out, progress=False, partition_size=2, selector=_Failing(3))
    assert not out.exists() and work_path(out).is_dir()
    summary = run_batch(CORPUS, out, progress=False, partition_size=2, selector=_Failing(None))
    # partitions 0 and 1 (records 1-4: three stories, one reject) were done before the failure
    assert (summary.skipped, summary.done, summary.rejected) == (4, 4, 1)
    assert out.read_bytes() == single[0].read_bytes()
    assert default_rejects_path(out).read_bytes() == default_rejects_path(single[0]).read_bytes()
    assert not work_path(out).exists()


def test_an_unfinished_run_of_other_options_is_not_mixed_in(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(CORPUS, out, progress=False, partition_size=2, selector=_Failing(2))
    with pytest.raises(NutgrafError, match=r"partition_size 2 then, 3 now.*--restart"):
        run_batch(CORPUS, out, progress=False, partition_size=3, selector=_Failing(None))
    summary = run_batch(
        CORPUS, out, progress=False, partition_size=3, selector=_Failing(None), restart=True
    )
    assert (summary.skipped, summary.done) == (0, 7)


def test_an_unfinished_run_that_cut_otherwise_is_not_mixed_in(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(
            CORPUS, out, progress=False, partition_size=2, selector=_Failing(2), compress=False
        )
    description = json.loads((work_path(out) / "_nutgraf" / "run.json").read_text())
    assert description["options"]["compress"] is False
    with pytest.raises(NutgrafError, match=r"compress False then, True now.*--restart"):
        run_batch(CORPUS, out, progress=False, partition_size=2, selector=_Failing(None))
    summary = run_batch(
        CORPUS, out, progress=False, partition_size=2, selector=_Failing(None), restart=True
    )
    assert (summary.skipped, summary.done) == (0, 7)


def test_whole_sentences_reach_pool_workers(
    single: tuple[Path, list[Reject]], tmp_path: Path
) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(CORPUS, one, progress=False, partition_size=2, compress=False)
    run_batch(CORPUS, two, workers=2, progress=False, partition_size=2, compress=False)
    assert two.read_bytes() == one.read_bytes()
    assert one.read_bytes() != single[0].read_bytes()  # the default cut some bullets
    for whole, cut in zip(_rows(one), _rows(single[0]), strict=True):
        assert whole["sentences"] == cut["sentences"]
        assert sum(map(len, whole["highlights"])) >= sum(map(len, cut["highlights"]))


def _archive(path: Path, copies: int) -> int:
    """Write a corpus of ``copies`` rounds of the sample stories with fresh ids, bad lines kept."""
    lines = (FIXTURES / "cnndm_sample.jsonl").read_text(encoding="utf-8").splitlines()
    count = 0
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for copy in range(copies):
            for line in lines:
                row = json.loads(line)
                row["id"] = f"{row['id']}-{copy}"
                out.write(json.dumps(row) + "\n")
                count += 1
            out.write("{cut off\n")
            count += 1
    return count


def _batch(source: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = Path(sys.executable).with_name("nutgraf")
    args = [str(command), "batch", str(source), "--out", str(out), "--partition-size", "4"]
    return subprocess.Popen(
        [*args, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_interruptible,
    )


def _interruptible() -> None:
    """Let the run be interrupted by SIGINT, as a command in a terminal is.

    A shell starts a background job with SIGINT ignored and its children inherit that, so a
    suite started in the background (``.ci/run &``) would send Ctrl-C to a run that ignores it.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_parts(out: Path, process: subprocess.Popen[bytes], parts: int) -> int:
    """Wait until the run has finished ``parts`` partitions; return how many it has."""
    state = work_path(out) / "_nutgraf"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        done = len(list(state.glob("done-*.json"))) if state.is_dir() else 0
        if done >= parts:
            return done
        time.sleep(0.02)
    raise AssertionError(f"the run ended or stalled before {parts} parts: {process.poll()}")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, Path]:
    """A 130-record corpus and its output from one uninterrupted run."""
    folder = tmp_path_factory.mktemp("archive")
    source = folder / "archive.jsonl.gz"
    count = _archive(source, 10)
    clean = folder / "clean.jsonl"
    process = _batch(source, clean)
    assert process.wait() == 0, process.stderr.read() if process.stderr else ""
    return source, count, clean


def _every_record_once(out: Path, count: int) -> None:
    numbers = [row["record"] for row in _rows(out)]
    numbers += [reject["record"] for reject in _rows(default_rejects_path(out))]
    assert sorted(numbers) == list(range(1, count + 1))


@pytest.mark.parametrize(
    "signal_number", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"]
)
def test_a_killed_run_is_finished_by_rerunning_it(
    archive: tuple[Path, int, Path], tmp_path: Path, signal_number: int
) -> None:
    source, count, clean = archive
    out = tmp_path / "out.jsonl"
    process = _batch(source, out)
    finished_then = _wait_for_parts(out, process, 3)
    process.send_signal(signal_number)
    status = process.wait()
    assert status == (-signal.SIGKILL if signal_number == signal.SIGKILL else 130)
    if signal_number == signal.SIGINT:
        assert process.stderr is not None
        assert b"rerun the same command" in process.stderr.read()
    assert not out.exists()
    assert finished_then < (count + 3) // 4  # the kill came mid-run
    rerun = _batch(source, out)
    assert rerun.wait() == 0
    assert rerun.stderr is not None
    assert b"skipped (done by an earlier run)" in rerun.stderr.read()
    _every_record_once(out, count)
    assert out.read_bytes() == clean.read_bytes()


def test_pool_workers_of_a_killed_run_exit(archive: tuple[Path, int, Path], tmp_path: Path) -> None:
    import psutil

    source, _, _ = archive
    out = tmp_path / "out.jsonl"
    process = _batch(source, out, "--workers", "2")
    _wait_for_parts(out, process, 1)
    below = psutil.Process(process.pid).children(recursive=True)
    assert len(below) >= 3  # the fork server and two workers, at least
    process.kill()
    process.wait()
    _, alive = psutil.wait_procs(below, timeout=15)
    assert not alive, f"still running after their parent was killed: {alive}"


def _unpickled() -> int:
    return _Counted.unpickled


class _Counted:
    """The packaged selector, counting how often a process receives it."""

    unpickled = 0

    def __init__(self) -> None:
        self.selector = load_selector()

    def __setstate__(self, state: dict[str, Any]) -> None:
        type(self).unpickled += 1
        self.__dict__.update(state)

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        return self.selector.annotate(stories)

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        return self.selector.choose(stories, blocked)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A Dask scheduler with two one-thread worker processes, as `dask worker` would start."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local.scheduler_address


def test_dask_on_a_running_scheduler_gives_the_single_process_output(
    archive: tuple[Path, int, Path], cluster: str, tmp_path: Path
) -> None:
    from distributed import Client

    source, count, clean = archive
    out = tmp_path / "out.jsonl"
    summary = run_batch(
        source,
        out,
        dask=cluster,
        progress=False,
        partition_size=4,
        selector=_Counted(),
        figures=True,
    )
    assert summary.done + summary.rejected == count
    assert out.read_bytes() == clean.read_bytes()
    with Client(cluster) as client:
        # 33 partitions ran on two workers; each received the model once
        assert sorted(client.run(_unpickled).values()) == [1, 1]


def test_dask_local_cluster_writes_a_partitioned_dataset(
    single: tuple[Path, list[Reject]], tmp_path: Path
) -> None:
    out = tmp_path / "dataset/"
    run_batch(CORPUS, out, dask="local:2", progress=False, partition_size=2)
    joined = b"".join(part.read_bytes() for part in sorted(Path(out).glob("part-*.jsonl")))
    assert joined == single[0].read_bytes()


def test_a_malformed_dask_address_is_a_user_error(tmp_path: Path) -> None:
    for address in ("local:0", "local:\u00b2", "scheduler", "tcp://localhost:port"):
        with pytest.raises(NutgrafError, match="--dask"):
            run_batch(CORPUS, tmp_path / "out.jsonl", dask=address, progress=False)


def test_the_work_folder_is_beside_a_file_and_inside_a_folder(tmp_path: Path) -> None:
    assert work_path(tmp_path / "out.jsonl") == tmp_path / "out.jsonl.partial"
    assert work_path(tmp_path / "dataset") == tmp_path / "dataset" / "_nutgraf"
    assert os.fspath(work_path(tmp_path / "x.parquet")).endswith("x.parquet.partial")


def test_outputs_that_would_destroy_the_input_or_each_other_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    shutil.copy(CORPUS, source)
    out = tmp_path / "out.jsonl"
    cases: list[tuple[str | Path, Path | None]] = [
        (source, None),  # the output is the input
        (out, source),  # the rejects are the input
        (out, out),  # the rejects are the output
        (out, work_path(out) / "bad.jsonl"),  # removed at the end of the run
        (tmp_path / "dataset", work_path(tmp_path / "dataset") / "bad.jsonl"),
        (tmp_path / "dataset", tmp_path / "dataset"),
    ]
    for target, rejects in cases:
        with pytest.raises(NutgrafError):
            run_batch(source, target, rejects_path=rejects, progress=False)
    assert source.read_bytes() == CORPUS.read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl"]


def test_a_model_that_does_not_load_leaves_no_run_behind(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(NutgrafError, match="nonsense"):
        run_batch(CORPUS, out, model="nonsense", progress=False)
    assert list(tmp_path.iterdir()) == []  # so a rerun with the right name is not refused


def test_a_folder_out_keeps_its_other_files_and_missing_folders_are_made(
    single: tuple[Path, list[Reject]], tmp_path: Path
) -> None:
    out = tmp_path / "dataset"
    out.mkdir()
    others = ["notes.txt", "part-notes.md", "part-12.jsonl"]
    for name in others:
        (out / name).write_text("not nutgraf's")
    (out / ".part-000009.jsonl.tmp").write_text("half a part of a killed run")
    rejects = tmp_path / "a" / "b" / "bad.jsonl"
    for restart in (False, True):
        run_batch(
            CORPUS, out, rejects_path=rejects, progress=False, partition_size=4, restart=restart
        )
        names = sorted(path.name for path in out.iterdir())
        assert names == sorted([*others, *(f"part-00000{i}.jsonl" for i in range(3))])
        assert rejects.read_bytes() == default_rejects_path(single[0]).read_bytes()
    nested = tmp_path / "c" / "d" / "out.jsonl"
    run_batch(CORPUS, nested, progress=False)
    assert nested.read_bytes() == single[0].read_bytes()


def test_a_parquet_file_damaged_mid_way_is_a_decode_error_naming_it(tmp_path: Path) -> None:
    rows = [
        {"id": str(i), "article": f"Rain fell on day {i}. The match was off."} for i in range(30)
    ]
    source = tmp_path / "corpus.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source, row_group_size=10)
    column = pq.ParquetFile(source).schema_arrow.names.index("article")
    offset = pq.ParquetFile(source).metadata.row_group(1).column(column).data_page_offset
    data = bytearray(source.read_bytes())
    data[offset : offset + 16] = b"\xff" * 16  # the page header of the second row group
    source.write_bytes(data)
    with pytest.raises(DecodeError, match=r"corpus\.parquet: reading stopped .* damaged"):
        for _ in Corpus(source).records():
            pass


def test_a_story_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    shutil.copy(FIXTURES / "ingest_cnn.story", folder / "a.story")
    (folder / "b.txt").symlink_to(tmp_path / "gone.txt")
    assert [record.number for record in Corpus(folder).records(upto=1)] == [1]  # b not read
    with pytest.raises(NutgrafError, match=r"b\.txt: cannot read"):
        run_batch(folder, tmp_path / "out.jsonl", progress=False)


def test_a_renamed_story_file_is_a_changed_input(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    shutil.copy(FIXTURES / "ingest_cnn.story", folder / "a.story")
    shutil.copy(FIXTURES / "update_v1.txt", folder / "c.txt")
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(folder, out, progress=False, partition_size=1, selector=_Failing(2))
    (folder / "c.txt").rename(folder / "b.txt")  # same count, same times, other numbering
    with pytest.raises(NutgrafError, match="input has changed"):
        run_batch(folder, out, progress=False, partition_size=1, selector=_Failing(None))


class _Dying:
    """A selector whose process dies: a worker killed for memory, say."""

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        os._exit(1)

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        os._exit(1)


def test_a_worker_process_that_dies_is_a_user_error(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(NutgrafError, match="worker process died"):
        run_batch(CORPUS, out, workers=2, progress=False, partition_size=2, selector=_Dying())
    assert work_path(out).is_dir()  # what was done is kept for a rerun

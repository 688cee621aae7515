import json
from pathlib import Path
from typing import Any

import pytest

from nutgraf.batch import Reject, default_rejects_path, run_batch

CORPUS = Path(__file__).parents[2] / "tests" / "fixtures" / "cli_corpus.jsonl"
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
    summary = run_batch(CORPUS, out, progress=False, chunk_size=2, on_reject=seen.append)
    assert (summary.done, summary.rejected) == (7, 2)
    assert summary.rejects_path == default_rejects_path(out)
    return out, seen


def test_every_good_story_is_written_in_input_order(single: tuple[Path, list[Reject]]) -> None:
    rows = _rows(single[0])
    assert [row["id"] for row in rows] == _input_ids()
    assert [row["line"] for row in rows] == [1, 2, 4, 5, 7, 8, 9]
    for row in rows:
        highlights, sentences = row["highlights"], row["sentences"]
        assert isinstance(highlights, list) and 1 <= len(highlights) <= 4
        assert isinstance(sentences, list) and len(sentences) == len(highlights)


def test_bad_lines_go_to_the_rejects_file_with_line_numbers_and_raw_text(
    single: tuple[Path, list[Reject]],
) -> None:
    out, seen = single
    rejects = _rows(default_rejects_path(out))
    assert [reject["line"] for reject in rejects] == sorted(BAD_LINES)
    raw_lines = CORPUS.read_text(encoding="utf-8").splitlines()
    for reject in rejects:
        assert reject["raw"] == raw_lines[reject["line"] - 1]
        assert isinstance(reject["error"], str) and reject["error"]
    assert sorted(reject.line for reject in seen) == sorted(BAD_LINES)


def test_two_workers_write_the_same_bytes_as_one(
    single: tuple[Path, list[Reject]], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    rejects = tmp_path / "bad.jsonl"
    summary = run_batch(CORPUS, out, rejects_path=rejects, workers=2, progress=False, chunk_size=2)
    assert summary.rejects_path == rejects
    assert out.read_bytes() == single[0].read_bytes()
    assert rejects.read_bytes() == default_rejects_path(single[0]).read_bytes()


def test_limit_counts_input_lines(tmp_path: Path) -> None:
    summary = run_batch(CORPUS, tmp_path / "out.jsonl", limit=3, progress=False)
    assert (summary.done, summary.rejected) == (2, 1)

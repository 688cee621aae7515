"""End to end through the ``nutgraf`` command, as a user would type it."""

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import numpy as np
import pytest
from click.testing import CliRunner, Result

from nutgraf import pipeline
from nutgraf.cli import app
from nutgraf.edit import bullets as edit_stage
from nutgraf.evaluate import claims as claims_eval
from nutgraf.read import ingest
from nutgraf.select import models
from nutgraf.select.accurate.selector import AccurateSelector
from nutgraf.select.models import load_selector
from nutgraf.serve.server_test import free_port
from nutgraf.serve.store import Store
from nutgraf.story import Story

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "000_7c7ec3b5e1da7bbe.txt"
runner = CliRunner()


def _bullets(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("• ")]


def test_highlights_prints_three_or_four_bullets() -> None:
    result = runner.invoke(app, ["highlights", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    bullets = _bullets(result.stdout)
    assert 3 <= len(bullets) <= 4
    assert bullets == result.stdout.splitlines()


def test_highlights_json_traces_every_bullet_to_the_input_text() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    result = runner.invoke(app, ["highlights", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)
    sentences = story["sentences"]
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    for sentence in sentences:
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
    assert 3 <= len(story["highlights"]) <= 4
    for highlight in story["highlights"]:
        assert len(highlight["sentences"]) == 1  # spans: the pieces the editing kept
        for start, end in highlight["spans"]:
            assert text[start:end].lower() in highlight["text"].lower()
    assert len(story["reference"]) == 4  # the page's own "Story highlights"


def test_highlights_reads_stdin_like_a_file() -> None:
    from_file = runner.invoke(app, ["highlights", str(EXAMPLE)])
    from_stdin = runner.invoke(app, ["highlights", "-"], input=EXAMPLE.read_bytes())
    assert from_stdin.exit_code == 0, from_stdin.output
    assert from_stdin.stdout == from_file.stdout
    piped = runner.invoke(app, ["highlights"], input=EXAMPLE.read_bytes())  # < story.txt
    assert piped.exit_code == 0, piped.output
    assert piped.stdout == from_file.stdout


def test_no_file_and_nothing_piped_in_says_what_to_give(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    result = runner.invoke(app, ["figures"])
    assert result.exit_code == 2
    assert "give a story" in result.stderr


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES / "cli_missing.txt",
        FIXTURES / "cli_empty.txt",
        FIXTURES / "cli_blank.txt",
        FIXTURES / "cli_binary.png",
        FIXTURES / "cli_latin1.txt",
    ],
    ids=["missing", "empty", "blank", "binary", "not-utf8"],
)
def test_bad_input_is_one_line_on_stderr_and_status_2(path: Path) -> None:
    result = runner.invoke(app, ["highlights", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nutgraf: error: ")
    assert "Traceback" not in result.output


def test_the_installed_command_fails_without_a_traceback() -> None:
    command = Path(sys.executable).with_name("nutgraf")
    result = subprocess.run(
        [str(command), "highlights", str(FIXTURES / "cli_binary.png")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("nutgraf: error: ")
    assert "Traceback" not in result.stderr


def test_unknown_input_format_is_a_user_error() -> None:
    result = runner.invoke(app, ["highlights", str(EXAMPLE), "--input-format", "pdf"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_story_with_no_bullets_says_why_rather_than_print_nothing() -> None:
    foreign = ["highlights", "--any-language", str(FIXTURES / "page_ru_skyrim_speed.html")]
    result = runner.invoke(app, foreign)
    assert result.exit_code == 2 and not result.stdout
    assert "no sentence of the story can stand as a highlight" in _one_error_line(result)


def test_batch_reports_bad_lines_and_writes_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(FIXTURES / "cli_corpus.jsonl"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "line 3:" in result.stderr and "line 6:" in result.stderr
    assert "7 done, 2 rejected" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 7
    rejects = tmp_path / "out.jsonl.rejects.jsonl"
    assert [json.loads(line)["record"] for line in rejects.read_text().splitlines()] == [3, 6]


def test_batch_on_a_missing_corpus_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["batch", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "out.jsonl")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("nutgraf: error: ")


def test_evaluate_prints_a_table_of_the_chosen_systems() -> None:
    data = FIXTURES / "cnndm_sample.jsonl"
    args = ["evaluate", str(data), "--systems", "lead3,oracle", "--limit", "5"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert any("lead3" in row for row in rows) and any("oracle" in row for row in rows)


def test_evaluate_json_is_machine_readable() -> None:
    data = FIXTURES / "cnndm_sample.jsonl"
    args = ["evaluate", str(data), "--systems", "lead3", "--limit", "3", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), dict)


def test_evaluate_rejects_an_unknown_system() -> None:
    data = FIXTURES / "cnndm_sample.jsonl"
    result = runner.invoke(app, ["evaluate", str(data), "--systems", "lead3,gpt", "--limit", "2"])
    assert result.exit_code == 2
    assert result.stderr.startswith("nutgraf: error: ")


# -- the accurate model ------------------------------------------------------------------

INSTALL = 'pip install "nutgraf[accurate]"'


@pytest.fixture
def fresh_selectors() -> Iterator[None]:
    """Forget the selectors loaded so far, before and after, since ``load_selector`` caches."""
    load_selector.cache_clear()
    yield
    load_selector.cache_clear()


def _use_as_packaged(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make ``path`` stand in for the packaged accurate model."""
    real = models.default_model_path

    def stand_in(model: str = "default") -> Path:
        return path if model == "accurate" else real(model)

    monkeypatch.setattr(models, "default_model_path", stand_in)


def _one_error_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nutgraf: error: "), lines
    assert "Traceback" not in result.output
    return lines[0]


def _pipeline_story(selector: pipeline.Selector | None = None, model: str = "default") -> Story:
    """The example as the pipeline summarizes it, edit stage included, outside the CLI."""
    return pipeline.process(ingest.read_file(EXAMPLE), selector, model=model)


@pytest.mark.usefixtures("encoder_cache", "fresh_selectors")
def test_highlights_with_the_packaged_accurate_model_prints_its_bullets() -> None:
    result = runner.invoke(app, ["highlights", "--model", "accurate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    bullets = _bullets(result.stdout)
    assert bullets == result.stdout.splitlines()
    expected = _pipeline_story(model="accurate")
    assert 1 <= len(expected.highlights) <= 4
    assert bullets == [f"• {highlight.text}" for highlight in expected.highlights]
    # and each bullet is made of pieces of the story (the edit stage may cut a sentence)
    for highlight in expected.highlights:
        for start, end in highlight.spans:
            assert expected.text[start:end].lower() in highlight.text.lower()


@pytest.mark.usefixtures("fresh_selectors")
def test_highlights_model_accurate_runs_the_accurate_selector(
    tiny_accurate: AccurateSelector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny_accurate.save(tmp_path / "accurate.npz")
    _use_as_packaged(monkeypatch, tmp_path / "accurate.npz")
    expected = _pipeline_story(tiny_accurate)
    default = _pipeline_story(load_selector())
    # so the bullets show which model ran
    assert [h.sentences for h in expected.highlights] != [h.sentences for h in default.highlights]
    result = runner.invoke(app, ["highlights", "--model", "accurate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert _bullets(result.stdout) == [f"• {h.text}" for h in expected.highlights]
    as_json = runner.invoke(app, ["highlights", "--model", "accurate", "--json", str(EXAMPLE)])
    assert as_json.exit_code == 0, as_json.output
    highlights = json.loads(as_json.stdout)["highlights"]
    assert [h["text"] for h in highlights] == [h.text for h in expected.highlights]
    assert [h["sentences"] for h in highlights] == [list(h.sentences) for h in expected.highlights]


@pytest.mark.usefixtures("fresh_selectors")
@pytest.mark.parametrize("command", ["highlights", "batch", "train"])
def test_an_unknown_model_is_a_user_error_naming_the_choices(command: str, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    args = {
        "highlights": ["highlights", str(EXAMPLE)],
        "batch": ["batch", str(FIXTURES / "cli_corpus.jsonl"), "--out", str(out)],
        "train": ["train", "--data", str(FIXTURES / "cnndm_sample.jsonl"), "--out", str(out)],
    }[command]
    result = runner.invoke(app, [*args, "--model", "nonsense"])
    assert result.exit_code == 2
    assert result.stdout == "" and "Traceback" not in result.stderr
    line = result.stderr.splitlines()[-1]  # click's usage error, after the usage line
    assert line.startswith("Error: Invalid value for '--model': 'nonsense' is not one of")
    assert "'default'" in line and "'accurate'" in line
    assert not out.exists()


@pytest.fixture
def without_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_selectors: None
) -> None:
    """onnxruntime cannot be imported; a stand-in accurate model file is "packaged"."""
    stand_in = tmp_path / "accurate.npz"
    meta = {"format": 1, "kind": "accurate", "params": {}}
    np.savez_compressed(stand_in, meta=np.array(json.dumps(meta)))
    _use_as_packaged(monkeypatch, stand_in)
    monkeypatch.setitem(sys.modules, "onnxruntime", None)


@pytest.mark.usefixtures("without_the_extra")
@pytest.mark.parametrize("command", ["highlights", "batch", "train", "evaluate"])
def test_the_accurate_model_without_its_extra_says_how_to_install_it(
    command: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    data = str(FIXTURES / "cnndm_sample.jsonl")
    args = {
        "highlights": ["highlights", "--model", "accurate", str(EXAMPLE)],
        "batch": ["batch", data, "--out", str(out), "--model", "accurate"],
        "train": ["train", "--data", data, "--out", str(out), "--model", "accurate"],
        "evaluate": ["evaluate", data, "--systems", "lead3,nutgraf-accurate", "--limit", "2"],
    }[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert INSTALL in _one_error_line(result)
    assert not out.exists()


UPDATE_V2 = FIXTURES / "update_v2.txt"


def test_update_marks_the_new_toll_and_lists_changed_figures() -> None:
    result = runner.invoke(app, ["update", str(UPDATE_V2), str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    bullets = _bullets(result.stdout)
    assert 3 <= len(bullets) <= 4
    # the toll bullet, however much compression cuts from its middle
    (new,) = [b for b in bullets if b.startswith("• NEW: ")]
    assert new.startswith("• NEW: At least 80 people were killed")
    assert new.endswith(", the Local Coordination Committees of Syria, an opposition group says.")
    toll, observatory = result.stdout.split("\nChanged figures:\n")[1].splitlines()
    assert toll.startswith("  at least 70 → at least 80 people killed (")
    assert observatory.startswith("  more than 14,400 → more than 15,000 people killed (")


def test_update_json_reads_the_older_version_from_stdin() -> None:
    args = ["update", "-", str(UPDATE_V2), "--json"]
    result = runner.invoke(app, args, input=(FIXTURES / "update_v1.txt").read_bytes())
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert all(h["new"] and h["why"] for h in data["highlights"])
    assert [(c["old"]["value"], c["new"]["value"]) for c in data["changed"]] == [
        (60, 70),
        (15, 20),
        (12, 20),
    ]


@pytest.mark.parametrize(
    "args",
    [
        [str(FIXTURES / "cli_empty.txt"), str(EXAMPLE)],
        [str(UPDATE_V2), str(FIXTURES / "cli_missing.txt")],
        ["-", "-"],
    ],
    ids=["empty-old", "missing-new", "both-stdin"],
)
def test_update_bad_input_is_one_line_and_status_2(args: list[str]) -> None:
    result = runner.invoke(app, ["update", *args], input=b"")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert _one_error_line(result)


# -- figures and their sources -----------------------------------------------------------

FIGURE_FIELDS = {
    "text",
    "value",
    "qualifier",
    "counts",
    "source",
    "sentence",
    "sentence_index",
    "start",
    "end",
}
CLAIMS_SAMPLE = FIXTURES / "claims_sample.jsonl"


def test_figures_prints_one_line_per_figure_with_its_source() -> None:
    result = runner.invoke(app, ["figures", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == _bullets(result.stdout)
    toll = [line for line in lines if line.startswith("• at least 80: ")]
    assert len(toll) == 1 and "Local Coordination Committees of Syria)" in toll[0]
    assert any(line.startswith("• more than 15,000: ") and "observatory" in line for line in lines)


def test_figures_json_gives_every_field_pointing_into_the_text() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    result = runner.invoke(app, ["figures", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) >= 4
    for row in rows:
        assert set(row) == FIGURE_FIELDS
        assert text[row["start"] : row["end"]] == row["text"]
        assert row["text"] in row["sentence"]
    toll = next(row for row in rows if row["text"] == "at least 10,000")
    assert (toll["value"], toll["qualifier"]) == (10000, "at least")
    assert "United Nations" in toll["source"]


def test_figures_reads_stdin() -> None:
    text = "Rescuers pulled 12 people from the river, police said. Thirty homes flooded."
    result = runner.invoke(app, ["figures", "-", "--json"], input=text.encode())
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["text"], r["value"], r["source"], r["sentence_index"]) for r in rows] == [
        ("12", 12, "police", 0),
        ("Thirty", 30, None, 1),
    ]
    plain = runner.invoke(app, ["figures", "-"], input=text.encode())
    assert plain.exit_code == 0, plain.output
    assert plain.stdout.splitlines()[0].startswith("• 12: ")
    assert plain.stdout.splitlines()[0].endswith(" (police)")
    assert not plain.stdout.splitlines()[1].endswith(")")


def test_figures_on_a_missing_file_is_a_user_error() -> None:
    result = runner.invoke(app, ["figures", str(FIXTURES / "cli_missing.txt")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert _one_error_line(result).startswith("nutgraf: error: ")


def test_score_figures_json() -> None:
    result = runner.invoke(app, ["score-figures", str(CLAIMS_SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == claims_eval.score(CLAIMS_SAMPLE).to_dict()
    with_misses = runner.invoke(app, ["score-figures", str(CLAIMS_SAMPLE), "--json", "--misses"])
    assert with_misses.exit_code == 0, with_misses.output
    kinds = [m["kind"] for m in json.loads(with_misses.stdout)["misses"]]
    assert kinds == ["source", "missed", "spurious", "spurious"]


def test_score_figures_table_and_bad_data(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score-figures", str(CLAIMS_SAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "| 3 | 6 | 7 | 5 | 0.714 | 0.833 | 0.769 | 0.800 |"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    failed = runner.invoke(app, ["score-figures", str(bad)])
    assert failed.exit_code == 2
    assert f"{bad}:1" in _one_error_line(failed)


def test_highlights_json_bullets_carry_figures_and_sources() -> None:
    result = runner.invoke(app, ["highlights", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)
    for highlight in story["highlights"]:
        assert isinstance(highlight["figures"], list)
        assert isinstance(highlight["sources"], list)
        for figure in highlight["figures"]:
            assert set(figure) == FIGURE_FIELDS
            assert figure["sentence_index"] in highlight["sentences"]
        assert highlight["sources"] == list(
            dict.fromkeys(f["source"] for f in highlight["figures"] if f["source"])
        )
    assert any(h["figures"] for h in story["highlights"])


def test_batch_rows_carry_figures_unless_told_not_to(tmp_path: Path) -> None:
    corpus = str(FIXTURES / "cli_corpus.jsonl")
    out, bare = tmp_path / "out.jsonl", tmp_path / "bare.jsonl"
    result = runner.invoke(app, ["batch", corpus, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows
    for row in rows:
        assert len(row["figures"]) == len(row["highlights"])
        for figures in row["figures"]:
            assert all(set(figure) == FIGURE_FIELDS for figure in figures)
    assert any(figures for row in rows for figures in row["figures"])
    skipped = runner.invoke(app, ["batch", corpus, "--out", str(bare), "--no-figures"])
    assert skipped.exit_code == 0, skipped.output
    bare_rows = [json.loads(line) for line in bare.read_text(encoding="utf-8").splitlines()]
    assert len(bare_rows) == len(rows)
    assert all("figures" not in row for row in bare_rows)
    assert [r["highlights"] for r in bare_rows] == [r["highlights"] for r in rows]


def test_serve_runs_the_app_under_uvicorn_with_its_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from nutgraf.serve import app as service

    calls: list[tuple[tuple[object, ...], dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    for name in (service.ENV_DB, service.ENV_MAX_TEXT_BYTES, service.ENV_MAX_HTML_BYTES):
        # serve sets them for its workers; set first, so that monkeypatch restores them after
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    db = tmp_path / "served.db"
    args = ["serve", "--host", "0.0.0.0", "--port", "9123", "--db", str(db), "--workers", "2"]
    result = runner.invoke(app, [*args, "--max-text-bytes", "5000", "--max-html-bytes", "9000"])
    assert result.exit_code == 0, result.output
    ((positional, options),) = calls
    assert positional == ("nutgraf.serve.app:create_app_from_env",)
    assert options == {
        "factory": True,
        "host": "0.0.0.0",
        "port": 9123,
        "workers": 2,
    }
    assert db.is_file()  # the store is opened, and made, before the server starts
    from fastapi.testclient import TestClient

    with TestClient(service.create_app_from_env()) as worker:  # what each worker builds
        refused = worker.post("/v1/figures", json={"text": "Rain fell. " * 500})
    assert refused.status_code == 413 and "up to 5,000" in refused.json()["error"]
    assert f"stories in {db}; API docs at http://0.0.0.0:9123/docs" in result.stderr


def test_serve_on_a_file_that_is_not_a_store_is_a_user_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Not a database. " * 100)
    result = runner.invoke(app, ["serve", "--db", str(notes)])
    assert result.exit_code == 2
    assert _one_error_line(result) == (
        f"nutgraf: error: {notes}: cannot open the store: file is not a database"
    )


def test_serve_answers_over_http_and_stops_cleanly(tmp_path: Path) -> None:
    db, port = tmp_path / "live.db", free_port()
    command = [str(Path(sys.executable).with_name("nutgraf")), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert httpx2.get(f"{base}/healthz").json() == {"status": "ok"}
                break
            except httpx2.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        created = httpx2.post(f"{base}/v1/stories", json={"text": EXAMPLE.read_text()}, timeout=60)
        assert created.status_code == 201, created.text
        found = httpx2.get(f"{base}/v1/stories", params={"q": "Anadolu"}).json()
        assert [s["id"] for s in found["stories"]] == [created.json()["id"]]
        refused = httpx2.post(f"{base}/v1/highlights", json={"text": ""})
        assert refused.status_code == 400 and "empty" in refused.json()["error"]
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr
    assert "Uvicorn running on" in stderr and "Traceback" not in stderr
    with Store(db) as store:
        assert store.get(created.json()["id"]).story["title"] == created.json()["story"]["title"]


RUSSIAN_PAGE = FIXTURES / "page_ru_skyrim_speed.html"
LINKS_PAGE = "<html><body><main>{}</main></body></html>".format(
    "".join(f'<p><a href="/{n}">Story number {n} of the day</a></p>' for n in range(40))
)


def test_a_story_in_another_language_exits_2_naming_it() -> None:
    result = runner.invoke(app, ["highlights", str(RUSSIAN_PAGE)])
    assert result.exit_code == 2
    assert "this story is in Russian (ru); nutgraf reads English only" in result.stderr
    assert "--any-language" in result.stderr


def test_any_language_runs_anyway() -> None:
    result = runner.invoke(app, ["highlights", str(RUSSIAN_PAGE), "--json", "--any-language"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sentences"]


def test_a_page_without_article_text_exits_2_saying_so() -> None:
    result = runner.invoke(app, ["highlights", "-", "--input-format", "html"], input=LINKS_PAGE)
    assert result.exit_code == 2
    assert result.stderr.startswith("nutgraf: error: no article text found in this page: ")


def test_batch_sets_other_languages_and_pages_without_articles_aside(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes(RUSSIAN_PAGE.read_bytes())
    (folder / "b.html").write_text(LINKS_PAGE)
    (folder / "c.html").write_bytes((FIXTURES / "page_ap_uk_tories_twitter.html").read_bytes())
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(folder), "--out", str(out), "--no-figures"])
    assert result.exit_code == 0, result.output
    rejects = [json.loads(line) for line in out.with_name("out.jsonl.rejects.jsonl").open()]
    assert [r["record"] for r in rejects] == [1, 2]
    assert "a.html: this story is in Russian (ru)" in rejects[0]["error"]
    assert rejects[1]["error"].startswith("no article text found in this page: ")
    assert [json.loads(line)["id"] for line in out.open()] == ["c"]
    again = runner.invoke(
        app, ["batch", str(folder), "--out", str(tmp_path / "all.jsonl"), "--any-language",
              "--no-figures"]
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert [json.loads(line)["id"] for line in (tmp_path / "all.jsonl").open()] == ["a", "c"]


# -- compression -------------------------------------------------------------------------

# A story whose chosen sentences none of the editing's fixed cuts touch (no opening "Meanwhile",
# no "according to"), so that without compression every bullet is its sentence, word for word.
WHOLE = (FIXTURES / "cnndm_sample.jsonl").read_text(encoding="utf-8").splitlines()[0]


def _covered(spans: list[list[int]]) -> set[int]:
    """The characters of the story that a bullet's spans take its words from."""
    return {i for start, end in spans for i in range(start, end)}


def test_highlights_no_compress_gives_whole_sentences(tmp_path: Path) -> None:
    story = tmp_path / "gomis.jsonl"
    story.write_text(WHOLE + "\n", encoding="utf-8")
    result = runner.invoke(app, ["highlights", str(story), "--no-compress"])
    assert result.exit_code == 0, result.output
    as_json = runner.invoke(app, ["highlights", str(story), "--no-compress", "--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    sentences = data["sentences"]
    assert _bullets(result.stdout) == [f"• {h['text']}" for h in data["highlights"]]
    assert len(data["highlights"]) >= 2
    for highlight in data["highlights"]:
        (index,) = highlight["sentences"]
        sentence = sentences[index]
        assert highlight["text"] == sentence["text"]
        assert highlight["spans"] == [[sentence["start"], sentence["end"]]]


def test_highlights_cut_bullets_by_default_and_no_compress_keeps_the_rest(tmp_path: Path) -> None:
    """By default each bullet is cut from the words its --no-compress bullet has: fewer, never
    others, of the same sentence. Needs the packaged compression model."""
    cut = runner.invoke(app, ["highlights", str(EXAMPLE), "--json"])
    assert cut.exit_code == 0, cut.output
    whole = runner.invoke(app, ["highlights", str(EXAMPLE), "--json", "--no-compress"])
    assert whole.exit_code == 0, whole.output
    explicit = runner.invoke(app, ["highlights", str(EXAMPLE), "--json", "--compress"])
    assert explicit.stdout == cut.stdout
    cut_bullets = json.loads(cut.stdout)["highlights"]
    whole_bullets = json.loads(whole.stdout)["highlights"]
    expected = pipeline.process(ingest.read_file(EXAMPLE), compress=False)
    assert [h["text"] for h in whole_bullets] == [h.text for h in expected.highlights]
    assert [h["sentences"] for h in cut_bullets] == [h["sentences"] for h in whole_bullets]
    for short, long in zip(cut_bullets, whole_bullets, strict=True):
        assert _covered(short["spans"]) <= _covered(long["spans"])
    assert any(
        len(_covered(short["spans"])) < len(_covered(long["spans"]))
        for short, long in zip(cut_bullets, whole_bullets, strict=True)
    ), "the default cut nothing from the example's bullets"


@pytest.mark.parametrize("flag", [[], ["--compress"], ["--no-compress"]], ids=str)
@pytest.mark.parametrize("command", ["highlights", "update", "batch"])
def test_the_compress_switch_reaches_the_edit_stage(
    command: str, flag: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What each command tells the edit stage; the stage runs uncut, so no model is needed."""
    seen: list[bool] = []
    real = edit_stage.edit

    def edit(stories: Any, chooser: Any, *, compress: bool = True) -> None:
        seen.append(compress)
        real(stories, chooser, compress=False)

    monkeypatch.setattr(pipeline, "edit", edit)
    args = {
        "highlights": ["highlights", str(EXAMPLE)],
        "update": ["update", str(UPDATE_V2), str(EXAMPLE)],
        "batch": [
            "batch", str(FIXTURES / "cli_corpus.jsonl"), "--out", str(tmp_path / "out.jsonl"),
            "--no-figures",
        ],
    }[command]  # fmt: skip
    result = runner.invoke(app, [*args, *flag])
    assert result.exit_code == 0, result.output
    assert seen and set(seen) == {flag != ["--no-compress"]}


@pytest.mark.parametrize("command", ["highlights", "update", "batch"])
def test_help_says_bullets_are_cut_unless_told_otherwise(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert (
        "--compress / --no-compress Cut each bullet to the editors' length (the default), or"
        " keep whole sentences."
    ) in " ".join(result.stdout.split())


COMMANDS = [
    "highlights",
    "figures",
    "update",
    "batch",
    "evaluate",
    "score-figures",
    "score-sources",
    "train",
    "train-sources",
    "serve",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_reads_as_a_command_lines_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: nutgraf {command} [OPTIONS]")
    placeholders = re.findall(r"<[a-z]+>|\{[A-Za-z_]+\}", result.stdout)  # <bool>, {file}
    assert not placeholders
    text = " ".join(result.stdout.split())
    if "--model [" in text:
        assert "--model [default|accurate]" in text
        assert 'pip install "nutgraf[accurate]"' in text


def test_every_command_is_listed_and_documented() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.stdout.split("Commands:")[1].split()
    assert all(command in listed for command in COMMANDS)
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert all(re.search(rf"nutgraf {command}(?![\w-])", docs) for command in COMMANDS)


def test_the_choices_and_defaults_help_shows_are_the_librarys() -> None:
    from nutgraf import cli
    from nutgraf.evaluate import claims as claims_eval
    from nutgraf.run import batch
    from nutgraf.serve import app as service
    from nutgraf.serve import store

    assert cli.INPUT_FORMATS == ingest.FORMATS
    assert tuple(claims_eval.FORMS) == cli.SCORED_FORMS
    assert tuple(models.MODELS) == cli.MODEL_NAMES
    assert cli.PARTITION_SIZE == batch.PARTITION_SIZE
    assert cli.DB_PATH == store.DEFAULT_PATH
    assert cli.MAX_TEXT_BYTES == service.DEFAULT_MAX_TEXT_BYTES
    assert cli.MAX_HTML_BYTES == service.DEFAULT_MAX_HTML_BYTES


# Run in a fresh interpreter: what --help costs is what it imports.
_HELP_IMPORTS = """
import sys
from nutgraf.cli import app
try:
    app(sys.argv[1:], prog_name="nutgraf")
except SystemExit:
    pass
heavy = ("numpy", "spacy", "lightgbm", "sklearn", "fastapi", "dask", "nutgraf.pipeline")
print(" ".join(name for name in heavy if name in sys.modules))
"""


@pytest.mark.parametrize("args", [["--help"], ["highlights", "--help"], ["batch", "--help"]])
def test_help_imports_no_stage_of_the_pipeline(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _HELP_IMPORTS, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.splitlines()[-1] == "", result.stdout


def test_a_text_with_no_sentence_punctuation_gets_bullets_of_bounded_length() -> None:
    from nutgraf.read.sentences import MAX_WORDS

    words = json.loads(FIXTURES.joinpath("cnndm_sample.jsonl").read_text().splitlines()[0])
    text = re.sub(r"[.?!]", "", words["article"]) * 3  # thousands of words, no sentence end
    result = runner.invoke(app, ["highlights", "-", "--input-format", "plain"], input=text)
    assert result.exit_code == 0, result.output
    bullets = _bullets(result.stdout)
    assert bullets and all(len(b.split()) <= MAX_WORDS + 1 for b in bullets)  # + the "•"

"""End to end through the ``nutgraf`` command, as a user would type it."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from nutgraf import ingest, select, sentences
from nutgraf.accurate import AccurateSelector
from nutgraf.cli import app
from nutgraf.select import default_model_path, load_selector

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
        assert highlight["spans"] == [
            [sentences[i]["start"], sentences[i]["end"]] for i in highlight["sentences"]
        ]
        for start, end in highlight["spans"]:
            assert text[start:end] in highlight["text"]
    assert len(story["reference"]) == 4  # the page's own "Story highlights"


def test_highlights_reads_stdin_like_a_file() -> None:
    from_file = runner.invoke(app, ["highlights", str(EXAMPLE)])
    from_stdin = runner.invoke(app, ["highlights", "-"], input=EXAMPLE.read_bytes())
    assert from_stdin.exit_code == 0, from_stdin.output
    assert from_stdin.stdout == from_file.stdout


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


def test_batch_reports_bad_lines_and_writes_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(FIXTURES / "cli_corpus.jsonl"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "line 3:" in result.stderr and "line 6:" in result.stderr
    assert "7 done, 2 rejected" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 7
    rejects = tmp_path / "out.jsonl.rejects.jsonl"
    assert [json.loads(line)["line"] for line in rejects.read_text().splitlines()] == [3, 6]


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
    real = select.default_model_path

    def stand_in(model: str = "default") -> Path:
        return path if model == "accurate" else real(model)

    monkeypatch.setattr(select, "default_model_path", stand_in)


def _one_error_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nutgraf: error: "), lines
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.skipif(
    not default_model_path("accurate").is_file(), reason="the accurate model is not packaged yet"
)
@pytest.mark.usefixtures("encoder_cache", "fresh_selectors")
def test_highlights_with_the_packaged_accurate_model_prints_bullets() -> None:
    result = runner.invoke(app, ["highlights", "--model", "accurate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    bullets = _bullets(result.stdout)
    assert 1 <= len(bullets) <= 4
    assert bullets == result.stdout.splitlines()
    texts = [s.text for s in sentences.split(ingest.read_file(EXAMPLE)).sentences]
    assert all(bullet.removeprefix("• ") in texts for bullet in bullets)


@pytest.mark.usefixtures("fresh_selectors")
def test_highlights_model_accurate_runs_the_accurate_selector(
    tiny_accurate: AccurateSelector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny_accurate.save(tmp_path / "accurate.npz")
    _use_as_packaged(monkeypatch, tmp_path / "accurate.npz")
    story = sentences.split(ingest.read_file(EXAMPLE))
    (expected,) = tiny_accurate.predict([story])
    (default,) = load_selector().predict([sentences.split(ingest.read_file(EXAMPLE))])
    assert expected != default  # so the bullets show which model ran
    result = runner.invoke(app, ["highlights", "--model", "accurate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert _bullets(result.stdout) == [f"• {story.sentences[i].text}" for i in expected]
    as_json = runner.invoke(app, ["highlights", "--model", "accurate", "--json", str(EXAMPLE)])
    assert as_json.exit_code == 0, as_json.output
    chosen = [h["sentences"] for h in json.loads(as_json.stdout)["highlights"]]
    assert chosen == [[i] for i in expected]


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
    assert result.stdout == ""
    line = _one_error_line(result)
    assert "nonsense" in line and "default" in line and "accurate" in line
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

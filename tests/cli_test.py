"""End to end through the ``nutgraf`` command, as a user would type it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutgraf.cli import app

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

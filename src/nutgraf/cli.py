"""The ``nutgraf`` command: thin click wrappers over the library, one per task.

Each command parses its options and calls one library function (:func:`nutgraf.highlights`,
:func:`nutgraf.figures`, :func:`nutgraf.update`, :func:`nutgraf.run.batch.run_batch`,
:func:`nutgraf.evaluate.highlights.evaluate_corpus`, :func:`nutgraf.evaluate.claims.score`,
:func:`nutgraf.select.train.train`, :func:`nutgraf.claims.train.train`,
:func:`nutgraf.evaluate.sources.score`, :func:`nutgraf.serve.app.serve`), so the command line,
tests and other callers share one code path. Bad input of any kind (a missing, empty, binary or
non-UTF-8 file, an unknown format) surfaces as a :class:`~nutgraf.errors.NutgrafError`; the
command prints its message as one line, ``nutgraf: error: <message>``, and exits with status 2,
the status click gives usage errors, without a traceback: the message already says what to do.

Start-up is a person's first wait, so this module imports click and nothing of nutgraf's
stages: each command imports what it runs, ``nutgraf --help`` answers in a tenth of a second,
and ``nutgraf highlights`` loads the model and spaCy but not the service, Dask or ROUGE. The
choices and defaults that help shows are therefore spelled out here; ``cli_test`` checks each
against the module that owns it. click rather than typer: typer's help renders ``[accurate]``
as markup (it vanished) and writes ``<bool>``, ``<str>`` and ``{file}`` placeholders, where
click's reads as a well-kept command line's: ``--model [default|accurate]``, ``FILE``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from nutgraf.run.output import OUTPUT_FORMATS

if TYPE_CHECKING:
    from nutgraf.story import Story

INPUT_FORMATS = ("plain", "page", "story", "html", "jsonl")
""":data:`nutgraf.read.ingest.FORMATS`."""
SCORED_FORMS = ("cased", "lowercased", "lowercased-tokenized")
""":data:`nutgraf.evaluate.claims.FORMS` (the CLI does not import evaluate to build its options)."""
MODEL_NAMES = ("default", "accurate")
""":data:`nutgraf.select.models.MODELS`' names."""
PARTITION_SIZE = 500
""":data:`nutgraf.run.batch.PARTITION_SIZE`."""
DB_PATH = "nutgraf.db"
""":data:`nutgraf.serve.store.DEFAULT_PATH`."""
MAX_TEXT_BYTES = 1_000_000
""":data:`nutgraf.serve.app.DEFAULT_MAX_TEXT_BYTES`."""
MAX_HTML_BYTES = 5_000_000
""":data:`nutgraf.serve.app.DEFAULT_MAX_HTML_BYTES`."""

USER_ERROR = 2
"""Exit status for bad input, the same as click's own usage errors."""

INTERRUPTED = 130
"""Exit status after Ctrl-C, as a shell gives a command killed by SIGINT."""

F = TypeVar("F", bound=Callable[..., Any])


@click.group(
    "nutgraf", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(package_name="nutgraf")
def app() -> None:
    """Editor-style highlights for news stories: extractive, traceable, fast on a CPU."""


# Options that several commands share, each spelled once.


def _json_option(help: str) -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=help)


_input_format_option = click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    help="How to read the input; guessed from its name and content when left out.",
)
_model_option = click.option(
    "--model",
    type=click.Choice(MODEL_NAMES),
    default="default",
    show_default=True,
    help='Packaged model; accurate needs pip install "nutgraf[accurate]".',
)
_compress_option = click.option(
    "--compress/--no-compress",
    default=True,
    help="Cut each bullet to the editors' length (the default), or keep whole sentences.",
)
_any_language_option = click.option(
    "--any-language",
    is_flag=True,
    help="Read stories in other languages too; nutgraf reads English, and refuses a story that"
    " is surely in another language unless told so.",
)


def _count_option(name: str, help: str, default: int | None = None) -> Callable[[F], F]:
    """Make an option that takes a whole number of at least 1, shown as ``N``."""
    return click.option(
        name,
        type=click.IntRange(min=1),
        default=default,
        show_default=default is not None,
        metavar="N",
        help=help,
    )


_limit_option = _count_option("--limit", "Stop after record N (a line, row or file).")
_workers_option = _count_option(
    "--workers",
    "Worker processes on this machine; starting them costs a few seconds, so they pay off on"
    " thousands of stories.",
    default=1,
)
_dask_option = click.option(
    "--dask",
    metavar="ADDRESS",
    help="Run on Dask: local:N starts a cluster of N processes here; tcp://HOST:PORT uses a"
    " running scheduler.",
)


_PATH = click.Path(path_type=Path)
"""A path click does not check: the library does, so a missing file is said as all bad input is."""

_model_out_option = click.option(
    "--out",
    type=_PATH,
    metavar="PATH",
    help="Where to write the model.  [default: the packaged model]",
)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn bad input into ``nutgraf: error: <message>`` and exit status 2.

    ``OSError`` is included because an unwritable output path is the user's to fix too.
    """
    from nutgraf.errors import NutgrafError

    try:
        yield
    except NutgrafError as error:
        _fail(str(error))
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        _fail(f"{where}{error.strerror or error}")


def _no_highlights(file: str, story: Story, input_format: str | None) -> None:
    """Raise the error that says why a story gave no bullets, rather than print nothing."""
    from nutgraf.errors import NoHighlightsError
    from nutgraf.read import ingest

    looks = ingest.detect_format(story.text)
    hint = (
        f"; it looks like HTML, read as {input_format}: give --input-format html or leave it out"
        if input_format not in (None, "html") and looks == "html"
        else "; a bullet needs a whole sentence of several words in English"
    )
    read = len(story.sentences)
    raise NoHighlightsError(
        f"{'stdin' if file == '-' else file}: no sentence of the story can stand as a highlight "
        f"({read} sentence{'' if read == 1 else 's'} read){hint}"
    )


def _echo_json(data: object) -> None:
    """Print ``--json`` output: indented, with text as it is rather than escaped to ASCII."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(message: str) -> None:
    click.echo(f"nutgraf: error: {message}", err=True)
    raise click.exceptions.Exit(USER_ERROR)


def _read_story(file: str | None, input_format: str | None, any_language: bool) -> Story:
    """Read a story from a path, or from stdin for ``-`` or no path at all.

    With no path and nothing piped in, the command says what it needs rather than wait on the
    terminal for a story.
    """
    from nutgraf.read import ingest

    if file is None:
        if sys.stdin is None or sys.stdin.isatty():
            command = click.get_current_context().command_path
            _fail(f"give a story: a FILE, - for stdin, or pipe one in ({command} < story.txt)")
        file = "-"
    if file == "-":
        with click.open_file("-", "rb") as stdin:
            data = stdin.read()
        return ingest.read(data, input_format, where="<stdin>", any_language=any_language)
    return ingest.read_file(Path(file), input_format, any_language=any_language)


@app.command("highlights", short_help="A story's highlights, one bullet a line.")
@click.argument("file", metavar="[FILE]", required=False)
@_input_format_option
@_json_option("Print highlights with their sentences, spans and figures.")
@_model_option
@_compress_option
@_any_language_option
def highlights_command(
    file: str | None,
    input_format: str | None,
    as_json: bool,
    model: str,
    compress: bool,
    any_language: bool,
) -> None:
    """Print a story's highlights, one bullet a line.

    FILE is the story (plain text, a saved page, HTML or a .story file), or - for stdin;
    without it, a story piped in is read.
    """
    from nutgraf import pipeline, render

    with _user_errors():
        story = _read_story(file, input_format, any_language)
        # The bullets' figures are in the JSON only; finding them parses with spaCy, which
        # would double the wait for bullets that are the same without them.
        pipeline.process(
            story, model=model, figures="bullets" if as_json else None, compress=compress
        )
        if not story.highlights and not as_json:  # --json says so itself: "highlights": []
            _no_highlights(file or "-", story, input_format)
    if as_json:
        _echo_json(render.story_json(story))
    else:
        for highlight in story.highlights:
            click.echo(f"• {highlight.text}")


@app.command("figures", short_help="Every figure a story reports, and whom it credits.")
@click.argument("file", metavar="[FILE]", required=False)
@_input_format_option
@_json_option("Print every field, with offsets and sentences.")
@_any_language_option
def figures_command(
    file: str | None, input_format: str | None, as_json: bool, any_language: bool
) -> None:
    """List every figure a story reports, what it counts and whom the story credits.

    FILE is the story, or - for stdin; without it, a story piped in is read.
    """
    from nutgraf import pipeline, render

    with _user_errors():
        story = _read_story(file, input_format, any_language)
        pipeline.process(story, highlights=False, figures="all", progress=True)
    if as_json:
        _echo_json(render.figures_json(story))
        return
    for figure in story.figures:
        credit = f" ({figure.source})" if figure.source else ""
        click.echo(f"• {figure.text}: {figure.counts}{credit}")


@app.command("update", short_help="What a newer version of a story adds.")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@_input_format_option
@_json_option(
    "Print the newer version as highlights --json does, with what is new and the changes."
)
@_model_option
@_compress_option
@_any_language_option
def update_command(
    old: str,
    new: str,
    input_format: str | None,
    as_json: bool,
    model: str,
    compress: bool,
    any_language: bool,
) -> None:
    """Print the newer version's highlights, NEW: on new facts, then the figures that changed.

    OLD and NEW are two versions of a story; either may be - for stdin.
    """
    from nutgraf import render, versions
    from nutgraf.errors import NutgrafError

    with _user_errors():
        if old == new == "-":
            raise NutgrafError("only one of OLD and NEW can be read from stdin (-)")
        stories = [_read_story(file, input_format, any_language) for file in (old, new)]
        result = versions.update(*stories, model=model, compress=compress)
    if as_json:
        _echo_json(render.update_json(result))
    else:
        click.echo(result.to_text())


@app.command("batch", short_help="Summarize a corpus; resumable, bad records set aside.")
@click.argument("source", type=_PATH, metavar="SOURCE")
@click.option(
    "--out",
    required=True,
    metavar="OUT",
    # not a Path, which would drop the trailing / that makes OUT a folder
    help="OUT.jsonl or OUT.parquet for one file; a folder (OUT/) for a partitioned dataset.",
)
@click.option(
    "--rejects",
    type=_PATH,
    metavar="PATH",
    help="Where to write records that yield no story.  [default: OUT's name with"
    " .rejects.jsonl added: out.jsonl.rejects.jsonl]",
)
@_input_format_option
@click.option(
    "--output-format",
    type=click.Choice(OUTPUT_FORMATS),
    help="Told from OUT's suffix when left out.",
)
@_limit_option
@_workers_option
@_dask_option
@_count_option(
    "--partition-size",
    "Records per task and per part file; a kill loses one.",
    default=PARTITION_SIZE,
)
@_model_option
@_compress_option
@click.option(
    "--figures/--no-figures",
    default=True,
    help="Give each bullet its figures and sources (the default), or skip the parse they need"
    " and run several times faster.",
)
@click.option(
    "--restart",
    is_flag=True,
    help="Discard an unfinished run of other input or options, and start over.",
)
@_any_language_option
def batch_command(
    source: Path,
    out: str,
    rejects: Path | None,
    input_format: str | None,
    output_format: str | None,
    limit: int | None,
    workers: int,
    dask: str | None,
    partition_size: int,
    model: str,
    compress: bool,
    figures: bool,
    restart: bool,
    any_language: bool,
) -> None:
    """Summarize a corpus; rerun after an interruption to finish it. Bad records are set aside.

    SOURCE is JSONL or JSONL.gz, Parquet, or a folder of story files.
    """
    from tqdm import tqdm

    from nutgraf.run import batch

    def report(reject: batch.Reject) -> None:
        tqdm.write(f"nutgraf: skipped: {reject.error}", file=sys.stderr)

    try:
        with _user_errors():
            summary = batch.run_batch(
                source,
                out,
                rejects_path=rejects,
                input_format=input_format,
                output_format=output_format,
                workers=workers,
                dask=dask,
                limit=limit,
                partition_size=partition_size,
                model=model,
                compress=compress,
                figures=figures,
                restart=restart,
                any_language=any_language,
                on_reject=report,
            )
    except KeyboardInterrupt:
        click.echo(
            "nutgraf: interrupted; the finished partitions are recorded in"
            f" {batch.work_path(out)}: rerun the same command to finish",
            err=True,
        )
        raise click.exceptions.Exit(INTERRUPTED) from None
    where = f" (see {summary.rejects_path})" if summary.rejected else ""
    earlier = f", {summary.skipped} skipped (done by an earlier run)" if summary.skipped else ""
    click.echo(
        f"nutgraf: {summary.done} done{earlier}, {summary.rejected} rejected{where}"
        f" in {summary.seconds:.1f} s, {summary.stories_per_second:.0f} stories/s;"
        f" output in {summary.out_path}",
        err=True,
    )


@app.command("evaluate", short_help="ROUGE of nutgraf and its peers against references.")
@click.argument("data", type=_PATH, metavar="DATA")
@click.option(
    "--systems",
    metavar="NAMES",
    help="Comma-separated systems to compare; add nutgraf-accurate for the accurate model."
    "  [default: nutgraf and every peer]",
)
@_limit_option
@_workers_option
@_dask_option
@_json_option("Print the report as JSON.")
def evaluate_command(
    data: Path,
    systems: str | None,
    limit: int | None,
    workers: int,
    dask: str | None,
    as_json: bool,
) -> None:
    """Score systems side by side with ROUGE against the stories' own highlights.

    DATA is stories with references: JSONL or JSONL.gz, Parquet, or a folder of .story files.
    """
    from nutgraf.evaluate import highlights as evaluate
    from nutgraf.evaluate import peers

    names = (
        [name.strip() for name in systems.split(",") if name.strip()]
        if systems is not None
        else list(peers.SYSTEM_NAMES)
    )
    with _user_errors():
        report = evaluate.evaluate_corpus(
            data, names, workers=workers, dask=dask, limit=limit, progress=True
        )
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(report.to_markdown())


@app.command("score-figures", short_help="Score figures and sources against annotated stories.")
@click.argument("data", type=_PATH, metavar="DATA")
@_json_option("Print the scores as JSON.")
@click.option("--misses", is_flag=True, help="With --json, list every error for analysis.")
@click.option(
    "--form",
    type=click.Choice(SCORED_FORMS),
    default="cased",
    show_default=True,
    help="Score the stories in this written form (the annotations are compared lowercased).",
)
def score_figures_command(data: Path, as_json: bool, misses: bool, form: str) -> None:
    """Score figure extraction and attribution against annotations (claims GUIDELINES.md).

    DATA is annotated stories, as the claims dev set.
    """
    from nutgraf.evaluate import claims as claims_eval

    with _user_errors():
        report = claims_eval.score(data, form=form, progress=True)
    if as_json:
        _echo_json(report.to_dict(misses=misses))
    else:
        click.echo(report.to_markdown())


@app.command("score-sources", short_help="Score figure sources against PolNeAR's.")
@click.argument("data", type=_PATH, metavar="DATA")
@click.option(
    "--folds",
    type=click.IntRange(min=2),
    metavar="K",
    help="Cross-validate instead: fit on all folds of articles but one, score that one.",
)
@click.option(
    "--model",
    "model_path",
    type=_PATH,
    metavar="PATH",
    help="Source model to score.  [default: the packaged model]",
)
@_json_option("Print the scores as JSON.")
def score_sources_command(
    data: Path, folds: int | None, model_path: Path | None, as_json: bool
) -> None:
    """Score figure sources against an attribution corpus's annotated sources (PolNeAR).

    DATA is JSONL as PolNeAR's dev or train split.
    """
    from nutgraf.claims import sources
    from nutgraf.claims import train as sources_train
    from nutgraf.evaluate import sources as sources_eval

    with _user_errors():
        articles = sources_train.parse(data)
        report = (
            sources_eval.cross_validate(articles, folds)
            if folds is not None
            else sources_eval.score(articles, sources.load(model_path), progress=True)
        )
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(report.to_markdown())


@app.command("train", short_help="Refit a highlight model.")
@click.option(
    "--data",
    type=_PATH,
    required=True,
    metavar="DATA",
    help='Training stories with their highlights: JSONL or JSONL.gz, one {"id", "article",'
    ' "highlights"} object a line, as the CNN/DailyMail training split.',
)
@_model_out_option
@_count_option("--limit", "Train on the first N usable stories.")
@_model_option
@click.option(
    "--both-forms/--one-form",
    default=True,
    help="Learn each story both cased and lowercased-tokenized, so that both forms get the"
    " same highlights (the default), or only in the form given.",
)
def train_command(
    data: Path, out: Path | None, limit: int | None, model: str, both_forms: bool
) -> None:
    """Refit a highlight model; the other commands load it from the package by default."""
    from nutgraf.select import train

    with _user_errors():
        train.train(data, out, limit=limit, model=model, both_forms=both_forms)


@app.command("train-sources", short_help="Refit the source model.")
@click.option(
    "--data",
    type=_PATH,
    required=True,
    metavar="DATA",
    help="Attribution corpus: JSONL as PolNeAR's train split (its README).",
)
@_model_out_option
def train_sources_command(data: Path, out: Path | None) -> None:
    """Refit the source model, which decides whom a story credits with each figure."""
    from nutgraf.claims import train as sources_train

    with _user_errors():
        sources_train.train(data, out)


@app.command("train-compression", short_help="Refit the compression model.")
@click.option(
    "--data",
    type=_PATH,
    required=True,
    metavar="DATA",
    help="Training stories with their highlights, as for train.",
)
@_model_out_option
@_count_option("--limit", "Train on the first N usable stories.")
def train_compression_command(data: Path, out: Path | None, limit: int | None) -> None:
    """Refit the compression model, which decides which parts of each bullet's sentence go."""
    from nutgraf.edit import train as compression_train

    with _user_errors():
        compression_train.train(data, out, limit=limit)


@app.command("serve", short_help="The HTTP API, the store and the editors' page.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Address to listen on.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    metavar="PORT",
    help="Port to listen on.",
)
@click.option(
    "--db",
    type=_PATH,
    default=DB_PATH,
    show_default=True,
    metavar="PATH",
    help="SQLite file of stored stories; created when missing.",
)
@_count_option(
    "--max-text-bytes",
    "Largest story text accepted (for HTML, the article text extracted), in UTF-8 bytes.",
    default=MAX_TEXT_BYTES,
)
@_count_option(
    "--max-html-bytes",
    "Largest web page accepted, in UTF-8 bytes; pages carry far more markup than text.",
    default=MAX_HTML_BYTES,
)
@_count_option(
    "--workers",
    "Server processes, sharing the store; one serves a core's worth of requests.",
    default=1,
)
def serve_command(
    host: str, port: int, db: Path, max_text_bytes: int, max_html_bytes: int, workers: int
) -> None:
    """Serve the HTTP API (docs at /docs) and keep stored stories in one SQLite file."""
    from nutgraf.serve import app as service

    with _user_errors():
        service.serve(
            host=host,
            port=port,
            db=db,
            max_text_bytes=max_text_bytes,
            max_html_bytes=max_html_bytes,
            workers=workers,
        )

"""The ``nutgraf`` command: thin typer wrappers over the library, one per task.

Each command parses its options and calls one library function (:func:`nutgraf.highlights`,
:func:`nutgraf.figures`, :func:`nutgraf.update`, :func:`nutgraf.run.batch.run_batch`,
:func:`nutgraf.evaluate.highlights.evaluate_corpus`, :func:`nutgraf.evaluate.claims.score`,
:func:`nutgraf.select.train.train`, :func:`nutgraf.claims.train.train`,
:func:`nutgraf.evaluate.sources.score`, :func:`nutgraf.serve.app.create_app` under uvicorn), so the
command line, tests and other callers
share one code path. Bad input of any kind (a missing, empty, binary or non-UTF-8 file, an
unknown format) surfaces as a :class:`~nutgraf.errors.NutgrafError`; the command prints its
message as one line, ``nutgraf: error: <message>``, and exits with status 2, the status typer
gives usage errors, without a traceback: the message already says what to do.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from nutgraf import pipeline, render, versions
from nutgraf.claims import sources
from nutgraf.claims import train as sources_train
from nutgraf.errors import NutgrafError
from nutgraf.evaluate import claims as claims_eval
from nutgraf.evaluate import highlights as evaluate
from nutgraf.evaluate import peers
from nutgraf.evaluate import sources as sources_eval
from nutgraf.read import ingest
from nutgraf.run import batch
from nutgraf.select import train
from nutgraf.select.models import MODELS
from nutgraf.serve import store
from nutgraf.story import Story

app = typer.Typer(
    help="Editor-style highlights for news stories: extractive, traceable, fast on a CPU.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

USER_ERROR = 2
"""Exit status for bad input, the same as typer's own usage errors."""

INTERRUPTED = 130
"""Exit status after Ctrl-C, as a shell gives a command killed by SIGINT."""

ModelOption = Annotated[
    str,
    typer.Option(
        "--model",
        help=f'Packaged model: {" or ".join(MODELS)} (needs pip install "nutgraf[accurate]").',
    ),
]

LimitOption = Annotated[
    int | None, typer.Option(min=1, help="Stop after record N (a line, row or file).")
]

WorkersOption = Annotated[
    int,
    typer.Option(
        min=1,
        help="Worker processes on this machine; starting them costs a few seconds, so they pay"
        " off on thousands of stories.",
    ),
]

DaskOption = Annotated[
    str | None,
    typer.Option(
        help="Run on Dask: local:N starts a cluster of N processes here; tcp://HOST:PORT uses a"
        " running scheduler."
    ),
]

InputFormatOption = Annotated[
    str | None,
    typer.Option(help=f"One of {', '.join(ingest.FORMATS)}; guessed when left out."),
]

AnyLanguageOption = Annotated[
    bool,
    typer.Option(
        "--any-language",
        help="Read stories in other languages too; nutgraf reads English, and refuses a story"
        " that is surely in another language unless told so.",
    ),
]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn bad input into ``nutgraf: error: <message>`` and exit status 2.

    ``OSError`` is included because an unwritable output path is the user's to fix too.
    """
    try:
        yield
    except NutgrafError as error:
        _fail(str(error))
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        _fail(f"{where}{error.strerror or error}")


def _echo_json(data: object) -> None:
    """Print ``--json`` output: indented, with text as it is rather than escaped to ASCII."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(message: str) -> None:
    typer.echo(f"nutgraf: error: {message}", err=True)
    raise typer.Exit(USER_ERROR)


@app.command("highlights")
def highlights_command(
    file: Annotated[str, typer.Argument(help="Story to summarize, or - for stdin.")],
    input_format: InputFormatOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print highlights with their sentences and spans.")
    ] = False,
    model: ModelOption = "default",
    any_language: AnyLanguageOption = False,
) -> None:
    """Print a story's highlights, one bullet a line."""
    with _user_errors():
        story = _read_story(file, input_format, any_language)
        pipeline.process(story, model=model)
    if as_json:
        _echo_json(render.story_json(story))
    else:
        for highlight in story.highlights:
            typer.echo(f"• {highlight.text}")


@app.command("figures")
def figures_command(
    file: Annotated[str, typer.Argument(help="Story to read, or - for stdin.")],
    input_format: InputFormatOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print every field, with offsets and sentences.")
    ] = False,
    any_language: AnyLanguageOption = False,
) -> None:
    """List every figure a story reports, what it counts and whom the story credits."""
    with _user_errors():
        story = _read_story(file, input_format, any_language)
        pipeline.process(story, highlights=False, figures="all")
    if as_json:
        _echo_json(render.figures_json(story))
        return
    for figure in story.figures:
        credit = f" ({figure.source})" if figure.source else ""
        typer.echo(f"• {figure.text}: {figure.counts}{credit}")


@app.command("score-figures")
def score_figures_command(
    data: Annotated[Path, typer.Argument(help="Annotated stories, as the claims dev set.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    misses: Annotated[
        bool, typer.Option("--misses", help="With --json, list every error for analysis.")
    ] = False,
) -> None:
    """Score figure extraction and attribution against annotations (claims GUIDELINES.md)."""
    with _user_errors():
        report = claims_eval.score(data, progress=True)
    if as_json:
        _echo_json(report.to_dict(misses=misses))
    else:
        typer.echo(report.to_markdown())


@app.command("score-sources")
def score_sources_command(
    data: Annotated[
        Path, typer.Argument(help="Attribution corpus: JSONL as PolNeAR's dev or train split.")
    ],
    folds: Annotated[
        int | None,
        typer.Option(
            min=2,
            help="Cross-validate instead: fit on all folds of articles but one, score that one.",
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(help="Source model to score.", show_default="the packaged model"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score figure sources against an attribution corpus's annotated sources (PolNeAR)."""
    with _user_errors():
        articles = sources_train.parse(data)
        report = (
            sources_eval.cross_validate(articles, folds)
            if folds is not None
            else sources_eval.score(articles, sources.load(model), progress=True)
        )
    if as_json:
        _echo_json(report.to_dict())
    else:
        typer.echo(report.to_markdown())


@app.command("train-sources")
def train_sources_command(
    data: Annotated[
        Path,
        typer.Option(help="Attribution corpus: JSONL as PolNeAR's train split (its README)."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write the model.", show_default="the packaged model"),
    ] = None,
) -> None:
    """Refit the source model, which decides whom a story credits with each figure."""
    with _user_errors():
        sources_train.train(data, out)


def _read_story(file: str, input_format: str | None, any_language: bool) -> Story:
    """Read a story from a path, or from stdin for ``-``."""
    if file == "-":
        data = typer.get_binary_stream("stdin").read()
        return ingest.read(data, input_format, where="<stdin>", any_language=any_language)
    return ingest.read_file(Path(file), input_format, any_language=any_language)


@app.command("batch")
def batch_command(
    source: Annotated[
        Path,
        typer.Argument(help="Corpus: JSONL or JSONL.gz, Parquet, or a folder of story files."),
    ],
    out: Annotated[
        str,  # not Path, which would drop the trailing / that makes OUT a folder
        typer.Option(
            help="OUT.jsonl or OUT.parquet for one file; a folder (OUT/) for a partitioned dataset."
        ),
    ],
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Where to write records that yield no story.", show_default="OUT.rejects.jsonl"
        ),
    ] = None,
    input_format: InputFormatOption = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            help=f"{' or '.join(batch.OUTPUT_FORMATS)}; told from OUT's suffix when left out."
        ),
    ] = None,
    limit: LimitOption = None,
    workers: WorkersOption = 1,
    dask: DaskOption = None,
    partition_size: Annotated[
        int,
        typer.Option(min=1, help="Records per task and per part file; a kill loses one."),
    ] = batch.PARTITION_SIZE,
    model: ModelOption = "default",
    figures: Annotated[
        bool,
        typer.Option(
            help="Give each bullet its figures and sources; --no-figures skips the parse they"
            " need and runs several times faster."
        ),
    ] = True,
    restart: Annotated[
        bool,
        typer.Option(help="Discard an unfinished run of other input or options, and start over."),
    ] = False,
    any_language: AnyLanguageOption = False,
) -> None:
    """Summarize a corpus; rerun after an interruption to finish it. Bad records are set aside."""

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
                figures=figures,
                restart=restart,
                any_language=any_language,
                on_reject=report,
            )
    except KeyboardInterrupt:
        typer.echo(
            "nutgraf: interrupted; the finished partitions are recorded in"
            f" {batch.work_path(out)}: rerun the same command to finish",
            err=True,
        )
        raise typer.Exit(INTERRUPTED) from None
    where = f" (see {summary.rejects_path})" if summary.rejected else ""
    earlier = f", {summary.skipped} skipped (done by an earlier run)" if summary.skipped else ""
    typer.echo(
        f"nutgraf: {summary.done} done{earlier}, {summary.rejected} rejected{where}"
        f" in {summary.seconds:.1f} s, {summary.stories_per_second:.0f} stories/s;"
        f" output in {summary.out_path}",
        err=True,
    )


@app.command("evaluate")
def evaluate_command(
    data: Annotated[
        Path,
        typer.Argument(
            help="Stories with references: JSONL or JSONL.gz, Parquet, or a folder of .story files."
        ),
    ],
    systems: Annotated[
        str,
        typer.Option(
            help="Comma-separated systems to compare; add nutgraf-accurate for the accurate model."
        ),
    ] = ",".join(peers.SYSTEM_NAMES),
    limit: LimitOption = None,
    workers: WorkersOption = 1,
    dask: DaskOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Score systems side by side with ROUGE against the stories' own highlights."""
    names = [name.strip() for name in systems.split(",") if name.strip()]
    with _user_errors():
        report = evaluate.evaluate_corpus(
            data, names, workers=workers, dask=dask, limit=limit, progress=True
        )
    if as_json:
        _echo_json(report.to_dict())
    else:
        typer.echo(report.to_markdown())


@app.command("train")
def train_command(
    data: Annotated[
        Path,
        typer.Option(
            help='Training stories with their highlights: JSONL or JSONL.gz, one {"id",'
            ' "article", "highlights"} object a line, as the CNN/DailyMail training split.'
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write the model.", show_default="the packaged model"),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Train on the first N usable stories.")
    ] = None,
    model: ModelOption = "default",
    both_forms: Annotated[
        bool,
        typer.Option(
            "--both-forms/--one-form",
            help="Learn each story cased and lowercased-tokenized, so both forms get the same"
            " highlights; --one-form learns each only as given.",
        ),
    ] = True,
) -> None:
    """Refit a highlight model; the other commands load it from the package by default."""
    with _user_errors():
        train.train(data, out, limit=limit, model=model, both_forms=both_forms)


@app.command("update")
def update_command(
    old: Annotated[str, typer.Argument(help="The earlier version of the story, or - for stdin.")],
    new: Annotated[str, typer.Argument(help="The newer version, or - for stdin.")],
    input_format: InputFormatOption = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print bullets with what is new in each, and the changes."),
    ] = False,
    model: ModelOption = "default",
    any_language: AnyLanguageOption = False,
) -> None:
    """Print the newer version's highlights, NEW: on new facts, then the figures that changed."""
    with _user_errors():
        if old == new == "-":
            raise NutgrafError("only one of OLD and NEW can be read from stdin (-)")
        stories = [_read_story(file, input_format, any_language) for file in (old, new)]
        result = versions.update(*stories, model=model)
    if as_json:
        _echo_json(render.update_json(result))
    else:
        typer.echo(result.to_text())


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[
        Path, typer.Option(help="SQLite file of stored stories; created when missing.")
    ] = Path(store.DEFAULT_PATH),
    max_text_bytes: Annotated[
        int | None,
        typer.Option(
            min=1, help="Largest story text accepted, in UTF-8 bytes.", show_default="1 MB"
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (docs at /docs) and keep stored stories in one SQLite file."""
    # Imported here: FastAPI adds a third of a second that the other commands need not pay.
    import uvicorn

    from nutgraf.serve import app as service

    if max_text_bytes is None:
        max_text_bytes = service.DEFAULT_MAX_TEXT_BYTES
    with _user_errors():
        api = service.create_app(db, max_text_bytes=max_text_bytes)
    typer.echo(f"nutgraf: stories in {db}; API docs at http://{host}:{port}/docs", err=True)
    uvicorn.run(api, host=host, port=port)

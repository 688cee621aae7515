r"""A corpus of stories: numbered records from JSONL(.gz), Parquet, or a folder of story files.

A :class:`Record` is a story as it arrives, before it is read: a JSONL line's bytes, a Parquet
row's fields, a story file's bytes. Reading records is cheap and happens where the corpus is;
turning one into a :class:`~nutgraf.story.Story` (:func:`parse`) happens where the story is
summarized, in a worker process or on a Dask worker, so the process that reads the corpus stays
light and a worker needs no access to the corpus's files.

Records are numbered from 1 in input order: a JSONL file's line (a blank line is counted but
yields no record), a Parquet file's row, a folder's file in the sorted order of its path. The
number is a story's address in every output, and what a resumed run skips by; :func:`partitions`
groups records by it into the units of work a corpus job hands its workers.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "b.txt").write_text("Rain fell. The match was off.")
>>> _ = (folder / "a.story").write_text("It snowed.\n\n@highlight\n\nSnow")
>>> corpus = Corpus(folder)
>>> corpus.kind, corpus.count()
('folder', 2)
>>> [(r.number, parse(r).id) for r in corpus.records()]
[(1, 'a'), (2, 'b')]
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path, PurePosixPath
from typing import Literal

from nutgraf.errors import DecodeError, InputFormatError, MissingInputError, NutgrafError
from nutgraf.read import ingest
from nutgraf.story import Story

Kind = Literal["jsonl", "parquet", "folder"]
KINDS: tuple[Kind, ...] = ("jsonl", "parquet", "folder")
FOLDER_SUFFIXES = (".story", ".txt", ".html", ".htm")
"""The story files a folder corpus is made of (each may also be gzip-compressed, ``.gz``)."""

_PARQUET_MAGIC = b"PAR1"
_PARQUET_SUFFIXES = (".parquet", ".pq")
_PARQUET_FIELDS = ("article", "id", "highlights", "publisher", "format")
_PARQUET_BATCH = 1024


@dataclass(frozen=True, slots=True)
class Record:
    """One story of a corpus as it was read, not yet parsed.

    ``data`` is a JSONL line's bytes, a Parquet row's fields, or a story file's bytes, as
    ``kind`` says; ``where`` names it in messages ("corpus.jsonl, line 7"); ``name`` is a folder
    file's path relative to the folder.
    """

    kind: Kind
    number: int
    where: str
    data: bytes | dict[str, object]
    name: str = ""


def parse(
    record: Record, input_format: str | None = None, *, any_language: bool = False
) -> Story | NutgrafError:
    """Read the story of ``record``, or return (not raise) the error that says what is wrong.

    ``input_format`` applies to the files of a folder (JSONL lines and Parquet rows have one
    form); ``any_language`` reads stories in other languages too (see
    :func:`nutgraf.read.ingest.read`). A folder file's story without an id of its own gets its
    path less the suffix, so that every output row names the story it came from.
    """
    if record.kind == "jsonl":
        assert isinstance(record.data, bytes)
        return ingest.parse_line(record.data, record.where, any_language=any_language)
    try:
        if record.kind == "parquet":
            assert isinstance(record.data, dict)
            return ingest.from_record(record.data, record.where, any_language=any_language)
        assert isinstance(record.data, bytes)
        story = ingest.read_bytes(
            record.data, record.name, input_format, where=record.where, any_language=any_language
        )
    except NutgrafError as error:
        return error
    if story.id is None:
        story.id = _story_id(record.name)
    return story


def _story_id(name: str) -> str:
    path = PurePosixPath(name.removesuffix(".gz"))
    return str(path.with_suffix(""))


class Corpus:
    """The stories at ``path``: a JSONL(.gz) file, a Parquet file, or a folder of story files.

    The kind is told from the path: a directory is a folder corpus; a ``.parquet``/``.pq`` name
    or Parquet's magic bytes make a Parquet file; anything else is read as JSONL, gzip told by
    its magic bytes. Nothing is held in memory but the folder's list of files.

    Raises:
        MissingInputError: ``path`` does not exist.
        InputFormatError: a Parquet file without an ``article`` column, or a folder with no
            story file in it.

    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise MissingInputError(f"{self.path}: no such file or folder; check the path")
        self.kind: Kind = _kind(self.path)
        self._files: list[str] = []
        if self.kind == "folder":
            self._files = _story_files(self.path)
        elif self.kind == "parquet":
            self._columns = _parquet_columns(self.path)

    def count(self) -> int:
        """Count the records: a pass over a JSONL file's lines, free for the other kinds."""
        if self.kind == "folder":
            return len(self._files)
        if self.kind == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(self.path).metadata.num_rows)
        return sum(1 for _ in ingest.jsonl_lines(self.path))

    def fingerprint(self) -> dict[str, object]:
        """Identify this input for a resumed run: by its path, size and change time.

        A folder's are its file count, a digest of the files' names (a file renamed, added or
        removed renumbers the ones after it) and the newest change among its files.
        """
        if self.kind == "folder":
            stamps = []
            for name in self._files:
                with _story_file(self.path / name):
                    stamps.append((self.path / name).stat().st_mtime_ns)
            return {
                "path": str(self.path.resolve()),
                "files": len(self._files),
                "names": hashlib.sha256("\n".join(self._files).encode()).hexdigest(),
                "mtime_ns": max(stamps, default=0),
            }
        stat = self.path.stat()
        return {
            "path": str(self.path.resolve()),
            "bytes": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
        }

    def records(
        self, wanted: Callable[[int], bool] | None = None, *, upto: int | None = None
    ) -> Iterator[Record]:
        """Yield the records in order, up to number ``upto``; skip those ``wanted`` refuses.

        Refused records of a folder are never opened, nor refused Parquet batches converted,
        which is what makes skipping the finished part of a resumed run cheap; past ``upto``
        no more is read than the JSONL line or the rest of the Parquet batch that shows the end.

        Raises:
            DecodeError: while iterating, when a JSONL(.gz) or Parquet file turns out damaged,
                or a folder's story file cannot be read.

        """
        keep = wanted or (lambda _number: True)
        last = upto if upto is not None else float("inf")
        if self.kind == "folder":
            for number, name in enumerate(self._files, 1):
                if number > last:
                    return
                if keep(number):
                    file = self.path / name
                    with _story_file(file):
                        data = file.read_bytes()
                    yield Record("folder", number, str(file), data, name)
        elif self.kind == "parquet":
            yield from self._parquet_records(keep, last)
        else:
            for number, raw in ingest.jsonl_lines(self.path):
                if number > last:
                    return
                if keep(number):
                    yield Record("jsonl", number, f"{self.path}, line {number}", raw)

    def _parquet_records(self, keep: Callable[[int], bool], last: float) -> Iterator[Record]:
        import pyarrow.parquet as pq

        number = 0
        batches = pq.ParquetFile(self.path).iter_batches(
            batch_size=_PARQUET_BATCH, columns=self._columns
        )
        while number < last:
            try:  # reading, not yielding: a damaged page shows only when its batch is read
                batch = next(batches, None)
                if batch is None:
                    return
                numbers = range(number + 1, number + batch.num_rows + 1)
                rows = batch.to_pylist() if any(keep(n) for n in numbers) else None
            except Exception as error:  # pyarrow raises OSError, ArrowInvalid... for damage
                why = " ".join(str(error).split())  # pyarrow's messages run over lines
                raise DecodeError(
                    f"{self.path}: reading stopped after row {number} ({why}); the file is"
                    " damaged, re-create or re-download it"
                ) from None
            if rows is not None:
                for row_number, row in zip(numbers, rows, strict=True):
                    if row_number > last:
                        return
                    if keep(row_number):
                        where = f"{self.path}, row {row_number}"
                        yield Record("parquet", row_number, where, row)
            number = numbers.stop - 1


def partitions(records: Iterable[Record], size: int) -> Iterator[tuple[int, list[Record]]]:
    """Group consecutive records into partitions of ``size`` record numbers, keyed by index.

    Record ``number`` falls in partition ``(number - 1) // size``: a partition is keyed by the
    numbers it covers, not by the records that came before it, so a resumed run that skips
    finished partitions keys the rest as the first run did. A partition may hold fewer than
    ``size`` records (blank lines, records left out).

    >>> records = [Record("jsonl", n, f"line {n}", b"") for n in (1, 2, 3, 5)]
    >>> [(key, [r.number for r in part]) for key, part in partitions(records, 2)]
    [(0, [1, 2]), (1, [3]), (2, [5])]
    """
    for index, group in groupby(records, key=lambda record: (record.number - 1) // size):
        yield index, list(group)


@contextmanager
def _story_file(file: Path) -> Iterator[None]:
    """Turn a folder's story file that cannot be read (gone, unreadable) into a DecodeError."""
    try:
        yield
    except OSError as error:
        raise DecodeError(f"{file}: cannot read this story file ({error.strerror})") from None


def _kind(path: Path) -> Kind:
    if path.is_dir():
        return "folder"
    if path.suffix.lower() in _PARQUET_SUFFIXES:
        return "parquet"
    with path.open("rb") as probe:
        return "parquet" if probe.read(4) == _PARQUET_MAGIC else "jsonl"


def _story_files(folder: Path) -> list[str]:
    """List the folder's story files as sorted POSIX paths relative to it, hidden ones left out."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file in files:
            if not file.startswith(".") and file.lower().removesuffix(".gz").endswith(
                FOLDER_SUFFIXES
            ):
                found.append(Path(root, file).relative_to(folder).as_posix())
    if not found:
        raise InputFormatError(
            f"{folder}: no story file in this folder; a folder corpus holds "
            f"{', '.join(FOLDER_SUFFIXES)} files"
        )
    return sorted(found)


def _parquet_columns(path: Path) -> list[str]:
    """Return the story fields the file has, to read; it must have ``article``."""
    import pyarrow.parquet as pq

    try:
        names = pq.ParquetFile(path).schema_arrow.names
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError... for a damaged file
        raise InputFormatError(f"{path}: not a readable Parquet file ({error})") from None
    if "article" not in names:
        raise InputFormatError(
            f'{path}: the Parquet file has no "article" column (it has {", ".join(names)}); '
            "each row needs the story text in a string column called article"
        )
    return [name for name in _PARQUET_FIELDS if name in names]

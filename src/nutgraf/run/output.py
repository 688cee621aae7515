"""Output files of corpus runs: JSONL and Parquet, each written whole or not at all.

A batch run (:mod:`nutgraf.run.batch`) writes every part, rejects file and marker through
:func:`write_atomic` or :func:`write_parquet`: a temporary file, synced, then renamed, so a
run killed at any moment leaves only whole files. Parquet rows have one fixed schema
(:func:`schema`), so every part and every run agree and the parts read as one table.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

OutputFormat = Literal["jsonl", "parquet"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("jsonl", "parquet")
Row = dict[str, Any]


def jsonl(rows: Iterable[Row]) -> bytes:
    """Rows as JSON Lines, UTF-8, text as it is rather than escaped to ASCII."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file, synced, renamed."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def join_jsonl(parts: Sequence[Path], out: Path) -> None:
    """Join JSONL parts into ``out`` in order, written whole or not at all."""
    temporary = out.with_name(f".{out.name}.tmp")
    with temporary.open("wb") as joined:
        for part in parts:
            with part.open("rb") as piece:
                shutil.copyfileobj(piece, joined)
        joined.flush()
        os.fsync(joined.fileno())  # synced as the parts were: the parts go once it is in place
    os.replace(temporary, out)


def schema(figures: bool) -> Any:
    """Return the Parquet schema of output rows, fixed so that every part and run agree."""
    import pyarrow as pa

    fields = [
        pa.field("id", pa.string()),
        pa.field("record", pa.int64(), nullable=False),
        pa.field("highlights", pa.list_(pa.string())),
        pa.field("sentences", pa.list_(pa.list_(pa.int64()))),
    ]
    if figures:
        figure = pa.struct(
            [
                pa.field("text", pa.string()),
                pa.field("value", pa.float64()),
                pa.field("qualifier", pa.string()),
                pa.field("counts", pa.string()),
                pa.field("source", pa.string()),
                pa.field("sentence", pa.string()),
                pa.field("sentence_index", pa.int64()),
                pa.field("start", pa.int64()),
                pa.field("end", pa.int64()),
            ]
        )
        fields.append(pa.field("figures", pa.list_(pa.list_(figure))))
    return pa.schema(fields)


def write_parquet(path: Path, rows: list[Row], figures: bool) -> None:
    """Write rows to a Parquet file of :func:`schema`, whole or not at all."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=schema(figures))
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary)
    with temporary.open("rb+") as file:
        os.fsync(file.fileno())
    os.replace(temporary, path)


def join_parquet(parts: Sequence[Path], out: Path, figures: bool) -> None:
    """Copy the parts' rows into one file, a part at a time (one row group each)."""
    import pyarrow.parquet as pq

    temporary = out.with_name(f".{out.name}.tmp")
    with pq.ParquetWriter(temporary, schema(figures)) as writer:
        for part in parts:
            writer.write_table(pq.read_table(part))
    with temporary.open("rb+") as file:
        os.fsync(file.fileno())
    os.replace(temporary, out)

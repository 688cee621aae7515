from pathlib import Path

from nutgraf import pipeline, render
from nutgraf.read import ingest

EXAMPLE = Path(__file__).parents[2] / "examples" / "000_7c7ec3b5e1da7bbe.txt"


def test_record_carries_the_text_its_offsets_index_and_every_figure() -> None:
    story = pipeline.process(ingest.read_file(EXAMPLE), figures="all")
    record = render.record_json(story)
    assert record == {**render.story_json(story), "figures": render.figures_json(story)}
    assert record["format"] == "page"
    text = record["text"]
    for sentence in record["sentences"]:
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
    assert [(f["text"], f["source"]) for f in record["figures"]] == [
        (f.text, f.source) for f in story.figures
    ]
    assert len(record["figures"]) > sum(len(h["figures"]) for h in record["highlights"])


def test_html_record_indexes_the_extracted_text_not_the_markup() -> None:
    html = (
        "<html><body><article><h1>Storm</h1><p>Rain fell on Monday across the county.</p>"
        "<p>At least 40 homes were flooded, officials said.</p>"
        "<p>Roads were closed and schools shut for the rest of the week.</p>"
        "</article></body></html>"
    )
    record = render.record_json(pipeline.highlights(html, input_format="html"))
    assert "<p>" not in record["text"]
    for highlight in record["highlights"]:
        for start, end in highlight["spans"]:
            assert record["text"][start:end] in highlight["text"]

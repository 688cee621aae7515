"""A core install (``pip install nutgraf``, no extras) has every package its main paths import.

The dev environment installs the extras too, and they can bring in a package that a core path
needs without declaring it: lxml 5.2 moved ``lxml.html.clean``, which trafilatura's jusText
imports, into the package ``lxml_html_clean``; jusText 3.0.0 does not declare it, and pip before
23.3 does not match the ``lxml[html_clean]`` of later ones to lxml's ``html-clean`` extra, so a
core install made with such a pip could not read HTML, while the dev environment had the package
through sumy (the ``peers`` extra). These tests read the installed metadata of nutgraf, and run
the main paths in a child interpreter that can import only what a core install brings in.
``.ci/run`` (tools/check_core_install.sh) goes further: it installs the built wheel core-only,
with the venv's own pip, in a fresh environment and runs the commands there.
"""

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "000_7c7ec3b5e1da7bbe.txt"
PAGE = FIXTURES / "page_ap_uk_tories_twitter.html"


def core_distributions(name: str = "nutgraf") -> set[str]:
    """Canonical names of ``name`` and everything its core install brings in, as installed."""
    wanted: dict[str, set[str]] = {}
    pending: list[tuple[str, frozenset[str]]] = [(name, frozenset())]
    while pending:
        project, extras = pending.pop()
        key = str(canonicalize_name(project))
        if key in wanted and extras <= wanted[key]:
            continue
        wanted[key] = wanted.get(key, set()) | extras
        try:
            requirements = importlib.metadata.requires(project) or []
        except importlib.metadata.PackageNotFoundError:
            continue  # a requirement whose marker excludes this platform is not installed
        for text in requirements:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": e}) for e in ("", *extras)):
                pending.append((requirement.name, frozenset(requirement.extras)))
    return set(wanted)


def _not_core_modules() -> list[str]:
    """Top-level modules installed here that only packages outside the core install provide."""
    core = core_distributions()
    return sorted(
        module
        for module, providers in importlib.metadata.packages_distributions().items()
        if module not in sys.stdlib_module_names
        and module != "nutgraf"
        and not any(canonicalize_name(provider) in core for provider in providers)
    )


# The child: refuses every module that a core install would not have, then runs the commands.
_CORE_ONLY = """
import importlib.abc, json, sys

blocked = frozenset(json.loads(sys.argv[1]))

class CoreOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} in a core install", name=name)
        return None

sys.meta_path.insert(0, CoreOnly())
from nutgraf.cli import app

for args in json.loads(sys.argv[2]):
    try:
        app(args, prog_name="nutgraf")
    except SystemExit as exit:
        if exit.code:
            sys.exit(f"nutgraf {' '.join(args)}: exit status {exit.code}")
"""


def _run_core_only(commands: list[list[str]]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CORE_ONLY, json.dumps(_not_core_modules()), json.dumps(commands)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )


def test_nutgraf_declares_what_reading_html_imports() -> None:
    # nutgraf.read.ingest imports trafilatura; trafilatura's jusText imports lxml.html.clean,
    # which lxml >= 5.2 moved to lxml_html_clean. jusText 3.0.0 did not declare it; later ones
    # ask for lxml[html_clean], which pip before 23.3 (Python 3.11's venv has 23.2) does not
    # match to lxml's "html-clean" extra. So nutgraf names the package itself.
    direct = {
        str(canonicalize_name(requirement.name))
        for requirement in map(Requirement, importlib.metadata.requires("nutgraf") or [])
        if requirement.marker is None
    }
    assert {"trafilatura", "lxml-html-clean"} <= direct
    assert "lxml-html-clean" in core_distributions()


def test_the_main_paths_run_with_only_the_core_install(tmp_path: Path) -> None:
    assert "pytest" in _not_core_modules()  # the child refuses what only the dev extra brings
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "example", "article": EXAMPLE.read_text(encoding="utf-8")})
        + "\n"
        + json.dumps({"id": "rain", "article": "Rain fell on Monday. 80 homes were flooded."})
        + "\n",
        encoding="utf-8",
    )
    commands = [
        ["highlights", str(EXAMPLE)],
        ["highlights", str(PAGE)],
        ["figures", str(PAGE)],
        ["batch", str(corpus), "--out", str(tmp_path / "out.jsonl")],
    ]
    result = _run_core_only(commands)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    bullets = [line for line in result.stdout.splitlines() if line.startswith("• ")]
    assert len(bullets) >= 4  # the example's three or four, and the page's
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [record["id"] for record in out] == ["example", "rain"]


def test_the_child_really_refuses_what_a_core_install_lacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With lxml_html_clean refused as well, reading a page fails: the check above can fail.
    refused = [*_not_core_modules(), "lxml_html_clean"]
    monkeypatch.setattr(sys.modules[__name__], "_not_core_modules", lambda: refused)
    result = _run_core_only([["highlights", str(PAGE)]])
    assert result.returncode != 0
    assert "lxml_html_clean" in result.stderr
    # and a broken installation is said in one line, with what to do, not a traceback
    assert "nutgraf: error: " in result.stderr and "pip install" in result.stderr
    assert "Traceback" not in result.stderr

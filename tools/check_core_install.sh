#!/usr/bin/env bash
# Install nutgraf as a user gets it -- sdist, then the wheel built from it, installed with no
# extras and not editable -- into a fresh environment outside the dev one, check what the
# installed package holds, and run the main commands with it. The dev environment has every
# extra, so a package that only an extra brings in can hide a missing core dependency there.
# Run from anywhere (it works in the repository root); it removes what it made when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-core
work=$(mktemp -d)
cleanup() { rm -rf "$work" "$venv"; }
trap cleanup EXIT
started=$SECONDS

# python -m build makes the sdist, then the wheel from the sdist, as pip does from PyPI.
.venv/bin/python -m build --quiet --outdir "$work/dist" . >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
rm -rf "$venv"
python3 -m venv "$venv"
# The venv's own pip, not upgraded: a user's pip may be as old. (pip before 23.3 does not match
# jusText's "lxml[html_clean]" to lxml's "html-clean" extra, so only nutgraf's own requirement
# brings in lxml_html_clean there.)
"$venv/bin/pip" install "$work"/dist/nutgraf-*.whl >"$work/install.log" 2>&1 \
    || { cat "$work/install.log" >&2; exit 1; }
echo "core install: $(basename "$work"/dist/nutgraf-*.whl), with $("$venv/bin/pip" --version | cut -d' ' -f1-2)"
failed=0

# The installed package: package data in, tests (which need tests/fixtures, not shipped) out.
# -I: the repository root, the working directory, must not be what gets imported.
"$venv/bin/python" -I - "$venv" <<'PY' || failed=1
import importlib.metadata
import sys
from pathlib import Path

import nutgraf

package = Path(nutgraf.__file__).parent
venv = Path(sys.argv[1]).resolve()
problems = []
if venv not in package.resolve().parents:
    problems.append(f"nutgraf was imported from {package}, not from {venv}")
shipped = [
    p.relative_to(package).as_posix()
    for p in package.rglob("*")
    if p.is_file() and "__pycache__" not in p.parts
]
tests = [p for p in shipped if p.endswith("_test.py") or p.rsplit("/", 1)[-1] == "conftest.py"]
if tests:
    problems.append(f"test modules shipped: {', '.join(sorted(tests))}")
for wanted in ["models/highlights.npz", "models/accurate.npz", "models/sources.npz",
               "models/compression.npz", "py.typed",
               "serve/web/index.html", "serve/web/app.js", "serve/web/style.css"]:
    if wanted not in shipped:
        problems.append(f"package data missing: {wanted}")
extras = [r for r in importlib.metadata.distributions() if r.metadata["Name"] in ("torch", "sumy")]
if extras:
    problems.append(f"an extra was installed: {[d.metadata['Name'] for d in extras]}")
if problems:
    sys.exit("core install: " + "; ".join(problems))
print(f"core install: {len(shipped)} files in {package}, no test modules")
PY

# The main paths, as a user types them; a non-zero status or a traceback fails the step.
run() {
    local log="$work/command.log"
    if ! "$venv/bin/nutgraf" "$@" >"$log" 2>&1 || grep -q "Traceback" "$log"; then
        echo "core install: nutgraf $* failed:" >&2
        cat "$log" >&2
        failed=1
        return
    fi
    echo "core install: nutgraf $* ok ($(grep -c . "$log") lines)"
}
run highlights examples/000_7c7ec3b5e1da7bbe.txt
run highlights tests/fixtures/page_ap_uk_tories_twitter.html
run figures examples/000_7c7ec3b5e1da7bbe.txt
run figures tests/fixtures/page_ap_uk_tories_twitter.html
run batch tests/fixtures/cnndm_sample.jsonl --limit 3 --out "$work/out.jsonl"
lines=$(grep -c . "$work/out.jsonl" || true)
[ "$lines" = 3 ] || { echo "core install: batch wrote ${lines:-no} stories, not 3" >&2; failed=1; }
echo "core install: checked in $((SECONDS - started)) s"
exit "$failed"

"""Compare the CLI's output in this checkout with another git revision's, byte for byte.

    .venv/bin/python scripts/compare_cli.py [REV]      # REV defaults to HEAD

For every preset body and every body in the snippet fixtures (as found at REV), runs
``body``, ``snippet --lang L`` for each language, ``link`` and ``migrate`` with each operation
both trees know, in the revision's code and in this tree's code, and lists every command whose
standard output or exit status differs (standard error may differ: it carries warnings).
Exits 1 when anything differs. Used to prove a refactor changed no output.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs inside one tree's Python: read the cases on stdin, print {case key: [status, stdout]}.
_DRIVER = r"""
import contextlib, io, json, sys
from playground.cli import main
try:
    from playground.model.operations import all_operations
except ImportError:  # a revision from before the model package
    from playground.operations import all_operations
cases = json.load(sys.stdin)
ops = set(all_operations())
out = {}
for key, argv in cases.items():
    op = argv[argv.index("--op") + 1] if "--op" in argv else None
    if op is not None and op not in ops:
        continue
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = main(argv)
        except SystemExit as exc:
            status = exc.code
    out[key] = [status, stdout.getvalue()]
json.dump(out, sys.stdout)
"""


def _bodies(tree: Path, scratch: Path) -> dict[str, tuple[str, Path]]:
    """Give {name: (operation id, body file)} for the presets and fixtures in ``tree``."""
    found: dict[str, tuple[str, Path]] = {}
    for preset in sorted((tree / "playground" / "presets").glob("*/*.json")):
        name = f"preset:{preset.parent.name}/{preset.stem}"
        path = scratch / f"{len(found)}.json"
        path.write_text(json.dumps(json.loads(preset.read_text())["body"]))
        found[name] = (preset.parent.name, path)
    fixtures = {
        "snippet_bodies.json": "sessions",
        "snippet_bodies_ga.json": "client-secrets",
        "snippet_bodies_translation.json": "translation-client-secrets",
    }
    for fixture, op in fixtures.items():
        source = tree / "tests" / "fixtures" / fixture
        if not source.exists():
            continue
        for key, body in json.loads(source.read_text()).items():
            path = scratch / f"{len(found)}.json"
            path.write_text(json.dumps(body))
            found[f"fixture:{fixture}/{key}"] = (op, path)
    return found


def _cases(bodies: dict[str, tuple[str, Path]], languages: list[str]) -> dict[str, list[str]]:
    cases: dict[str, list[str]] = {}
    for name, (op, path) in bodies.items():
        file = str(path)
        cases[f"{name} body"] = ["body", "--op", op, file]
        cases[f"{name} link"] = ["link", "--op", op, file]
        for lang in languages:
            cases[f"{name} snippet {lang}"] = ["snippet", "--op", op, "--lang", lang, file]
        if op == "sessions":
            cases[f"{name} migrate"] = ["migrate", file]
    return cases


def _run(tree: Path, cases: dict[str, list[str]]) -> dict[str, list[object]]:
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def main(argv: list[str]) -> int:
    """Compare and print the differences; give the exit status."""
    rev = argv[0] if argv else "HEAD"
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "-q", "--detach", str(other), rev], cwd=ROOT, check=True
        )
        try:
            scratch = Path(tmp) / "bodies"
            scratch.mkdir()
            languages = [
                "curl",
                "python_requests",
                "python_openai",
                "javascript_fetch",
                "typescript_openai",
                "typescript_utdk",
            ]
            cases = _cases(_bodies(other, scratch), languages)
            before, after = _run(other, cases), _run(ROOT, cases)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=True
            )
    differ = sorted(key for key in before if before[key] != after.get(key))
    for key in differ:
        print(f"differs: {key}")
    print(f"{len(before)} commands compared with {rev}, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

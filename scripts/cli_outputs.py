"""Save what the CLI prints for every preset and snippet fixture body, to compare two versions.

Run it before and after a refactor that must not change behaviour, then ``diff -r`` the two
directories::

    PYTHONPATH=$PWD .venv/bin/python scripts/cli_outputs.py /tmp/before
    ... change the code ...
    PYTHONPATH=$PWD .venv/bin/python scripts/cli_outputs.py /tmp/after
    diff -r /tmp/before /tmp/after

Each run of ``python -m playground COMMAND`` is a fresh process, as a person would run it; its
standard output, standard error and exit status go to ``NAME.COMMAND[.OP][.LANG].{out,err,rc}``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bodies() -> dict[str, object]:
    """Give every body to try, by a file-safe name: the presets' and the snippet fixtures'."""
    found: dict[str, object] = {}
    for preset in sorted((ROOT / "playground" / "presets").glob("*/*.json")):
        found[f"preset-{preset.parent.name}-{preset.stem}"] = json.loads(preset.read_text())["body"]
    for fixture in sorted((ROOT / "tests" / "fixtures").glob("snippet_bodies*.json")):
        for name, body in json.loads(fixture.read_text()).items():
            found[f"{fixture.stem}-{name}"] = body
    return found


def _run(args: list[str], out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "playground", *args], capture_output=True, cwd=ROOT, check=False
    )
    # Appended, not with_suffix: the stem holds dots of its own (``NAME.snippet.OP.LANG``).
    Path(f"{out}.out").write_bytes(done.stdout)
    Path(f"{out}.err").write_bytes(done.stderr)
    Path(f"{out}.rc").write_text(f"{done.returncode}\n")


def _languages(op: str) -> list[str]:
    listed = subprocess.run(
        [sys.executable, "-m", "playground", "snippet", "--list", "--op", op],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return [line.split("\t")[0] for line in listed.stdout.splitlines()]


def main(target: str) -> int:
    """Write every output under ``target``; give the exit status."""
    from playground.operations import all_operations

    where = Path(target)
    where.mkdir(parents=True, exist_ok=True)
    ops = sorted(all_operations())
    languages = {op: _languages(op) for op in ops}
    # The same place on every run: a message may name the file.
    scratch = Path(tempfile.gettempdir()) / "cli-outputs-bodies"
    scratch.mkdir(exist_ok=True)
    for name, body in bodies().items():
        source = scratch / f"{name}.json"
        source.write_text(json.dumps(body, ensure_ascii=False))
        _run(["migrate", str(source)], where / f"{name}.migrate")
        for op in ops:
            _run(["body", str(source), "--op", op], where / f"{name}.body.{op}")
            _run(["link", str(source), "--op", op], where / f"{name}.link.{op}")
            for lang in languages[op]:
                _run(
                    ["snippet", str(source), "--op", op, "--lang", lang],
                    where / f"{name}.snippet.{op}.{lang}",
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "cli-outputs"))

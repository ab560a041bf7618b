"""Snippet golden files: one per operation x preset x language, under ``tests/golden/``.

    .venv/bin/python scripts/golden.py          # rewrite them all (then read the diff in review)

``tests/snippets/test_snippets_golden.py`` renders every case and compares it with its file, so a
change to a template, a literal writer or a preset shows up as a readable diff of real snippets.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def cases() -> Iterator[tuple[Path, str]]:
    """Give (golden file, snippet text) for every operation, preset and language."""
    from playground.model.operations import all_operations
    from playground.presets import presets_for
    from playground.snippets import render_snippet, tabs_for

    for op in all_operations().values():
        for preset in presets_for(op.id).values():
            for lang in tabs_for(op):
                suffix = lang.template.removesuffix(".jinja").rsplit(".", 1)[-1]
                path = GOLDEN / op.id / preset.name / f"{lang.id}.{suffix}"
                yield path, render_snippet(op, lang.id, preset.body)


def main() -> int:
    """Rewrite every golden file from the current code; give the exit status."""
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    count = 0
    for path, text in cases():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        count += 1
    print(f"wrote {count} golden files under {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())

"""Every preset's snippet in every language matches its golden file (``tests/golden/``).

Rewrite them with ``.venv/bin/python scripts/golden.py`` and read the diff in review.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import load_script

ROOT = Path(__file__).resolve().parents[2]


GOLDEN = load_script("scripts/golden.py")
CASES = dict(GOLDEN.cases())


@pytest.mark.parametrize("path", sorted(CASES), ids=lambda p: str(p.relative_to(GOLDEN.GOLDEN)))
def test_snippet_matches_its_golden_file(path: Path) -> None:
    assert path.exists(), "no golden file: run .venv/bin/python scripts/golden.py"
    assert CASES[path] == path.read_text(encoding="utf-8"), (
        "the snippet changed: run .venv/bin/python scripts/golden.py and review the diff"
    )


def test_no_golden_file_is_left_without_its_case() -> None:
    stale = sorted(p for p in GOLDEN.GOLDEN.rglob("*") if p.is_file() and p not in CASES)
    assert not stale, f"golden files of no preset or language: {stale}"


def test_every_operation_with_presets_has_golden_files() -> None:
    ops = {path.relative_to(GOLDEN.GOLDEN).parts[0] for path in CASES}
    assert {"sessions", "client-secrets", "translation-client-secrets"} <= ops

"""The browser tests without Playwright: they skip on a developer's machine, fail in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_browser_tests_without_playwright(
    tmp_path: Path, ci: bool
) -> subprocess.CompletedProcess[str]:
    blocker = tmp_path / "playwright"
    blocker.mkdir()
    (blocker / "__init__.py").write_text(
        'raise ModuleNotFoundError("No module named playwright", name="playwright")\n'
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests",  # every module, so one importing Playwright itself would fail collection
            "-m",
            "browser",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_browser_modules_import_and_skip_without_playwright(tmp_path: Path) -> None:
    run = _run_browser_tests_without_playwright(tmp_path, ci=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "skipped" in run.stdout and "error" not in run.stdout.lower()


def test_in_ci_a_missing_playwright_fails_the_browser_tests(tmp_path: Path) -> None:
    run = _run_browser_tests_without_playwright(tmp_path, ci=True)
    assert run.returncode != 0
    assert "No module named playwright" in run.stdout

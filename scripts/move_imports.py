"""Rewrite imports of modules moved between packages (run once per move; kept for merges).

Usage: python scripts/move_imports.py OLD_PACKAGE NEW_PACKAGE MODULE... : rewrites
``OLD_PACKAGE.MODULE`` (dotted, and as a path with slashes) to ``NEW_PACKAGE.MODULE`` and
``from OLD_PACKAGE import MODULE`` to ``from NEW_PACKAGE import MODULE`` in every Python,
Markdown, TOML and shell file of the repository, so a branch made before the move can be
brought up to date by running it again.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def rewrite(text: str, old: str, new: str, modules: list[str]) -> str:
    """Give ``text`` with the moved modules' imports and paths pointing at their new package."""
    names = "|".join(map(re.escape, modules))
    dotted = re.compile(rf"\b{re.escape(old)}\.({names})\b")
    text = dotted.sub(rf"{new}.\1", text)
    slashed = re.compile(rf"\b{re.escape(old.replace('.', '/'))}/({names})\.py\b")
    text = slashed.sub(rf"{new.replace('.', '/')}/\1.py", text)
    only = re.compile(rf"^(\s*)from {re.escape(old)} import ({names})$", re.MULTILINE)
    return only.sub(rf"\1from {new} import \2", text)


def main(argv: list[str]) -> None:
    """Rewrite every tracked file that mentions a moved module."""
    old, new, *modules = argv
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, check=True)
    for name in tracked.stdout.splitlines():
        path = Path(name)
        if path.suffix not in {".py", ".md", ".toml", ".sh"} or not path.is_file():
            continue
        if path.name == "move_imports.py":
            continue
        text = path.read_text(encoding="utf-8")
        changed = rewrite(text, old, new, modules)
        if changed != text:
            path.write_text(changed, encoding="utf-8")
            print(path)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Fixtures of the snippet tests."""

from __future__ import annotations

import json
from typing import Any

import pytest


def _comment_body(script: str) -> Any:
    """Give the JSON the browser call snippet's comment shows as the client secret's body."""
    lines = script.split("\n")
    end = next(i for i, line in enumerate(lines) if line.startswith("const BASE_URL = "))
    start = end
    while lines[start - 1].startswith("//   "):  # the indented comment lines just above it
        start -= 1
    return json.loads("\n".join(line.removeprefix("//   ") for line in lines[start:end]))


@pytest.fixture(scope="session")
def comment_body() -> Any:
    """Give a function reading the body out of a browser call snippet's comment."""
    return _comment_body

"""The app factory, and the wheel: templates and static files travel with the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from playground import create_app

ROOT = Path(__file__).resolve().parent.parent


def test_factory_defaults_and_overrides() -> None:
    assert not create_app().testing
    app = create_app({"TESTING": True, "DEFAULT_OPERATION": "sessions"})
    assert app.testing and app.config["DEFAULT_OPERATION"] == "sessions"


def test_config_from_environment(monkeypatch) -> None:
    monkeypatch.setenv("PLAYGROUND_DEFAULT_OPERATION", "sessions")
    monkeypatch.setenv("PLAYGROUND_MAX_CONTENT_LENGTH", "1000")
    assert create_app().config["MAX_CONTENT_LENGTH"] == 1000


def test_static_and_vendor_files_are_served(client) -> None:
    htmx = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert htmx.status_code == 200 and b"htmx" in htmx.data[:200]
    css = client.get("/static/app.css")
    assert css.status_code == 200 and b"prefers-color-scheme: dark" in css.data
    htmx.close()
    css.close()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("*.whl"))


def test_wheel_contains_templates_static_and_operations(wheel) -> None:
    """Every template, static file (the call's lazily loaded scripts too), operation document,
    preset, snippet template and the type marker is in the wheel."""
    names = set(zipfile.ZipFile(wheel).namelist())
    required = [
        f"playground/{path.relative_to(ROOT).as_posix()}"
        for folder in ("templates", "static")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
    ]
    required += [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "playground").rglob("*")
        if path.suffix in {".json", ".jinja", ".typed"} and "__pycache__" not in path.parts
    ]
    assert "playground/static/call.js" in required and "playground/py.typed" in required
    missing = sorted(set(required) - names)
    assert not missing, missing
    assert not any(n.startswith("tests/") for n in names)


def test_wheel_serves_the_page_from_its_own_files(wheel, tmp_path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    script = (
        "import playground, sys; app = playground.create_app();"
        "assert app.template_folder.startswith(sys.argv[1]), app.template_folder;"
        "r = app.test_client().get('/'); assert r.status_code == 200;"
        "assert b'turn_detection' in r.data; print('ok')"
    )
    # The extracted wheel comes first on the path; the checkout is not on it.
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_operator_chooses_the_operation_the_page_opens_with(monkeypatch) -> None:
    monkeypatch.setenv("PLAYGROUND_DEFAULT_OPERATION", "client-secrets")
    html = create_app({"TESTING": True}).test_client().get("/").get_data(as_text=True)
    assert 'name="op" value="client-secrets"' in html and "/realtime/client_secrets" in html

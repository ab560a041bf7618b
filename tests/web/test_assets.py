"""Static files under content-hashed URLs with a year's cache, ETags, and gzip where it is safe."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

from playground.web.assets import IMMUTABLE

ROOT = Path(__file__).resolve().parents[2]
GZIP = {"Accept-Encoding": "gzip, deflate"}


def _asset_urls(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def test_every_asset_the_page_links_carries_the_digest_of_its_bytes(client) -> None:
    urls = _asset_urls(client)
    assert len(urls) >= 7  # htmx, the stylesheet, the page's own scripts
    modules = [url for url in urls if url.startswith("/static/m/")]
    assert modules and all(url.endswith(".js") for url in modules)
    for url in (url for url in urls if url not in modules):
        path, _, query = url.partition("?v=")
        data = (ROOT / path.lstrip("/")).read_bytes()
        assert query == hashlib.sha256(data).hexdigest()[:16], url
    # Our modules import each other by relative URL: one version, of all their bytes, in the path.
    every = sorted((ROOT / "static").glob("*.js"))
    digests = [f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()[:16]}" for p in every]
    version = hashlib.sha256("\n".join(digests).encode()).hexdigest()[:16]
    assert {url.split("/")[3] for url in modules} == {version}


def test_a_module_is_cached_for_a_year_under_the_current_version_only(client) -> None:
    url = next(u for u in _asset_urls(client) if u.startswith("/static/m/"))
    current = client.get(url)
    assert current.headers["Cache-Control"] == IMMUTABLE and current.mimetype == "text/javascript"
    name = url.rsplit("/", 1)[1]
    old = client.get(f"/static/m/0000000000000000/{name}")
    assert old.headers["Cache-Control"] == "no-cache" and old.data == current.data
    assert b"\nexport " in current.data  # an ES module
    assert not [line for line in current.data.split(b"\n") if line.lstrip().startswith(b"//")]
    assert client.get("/static/m/0000000000000000/vendor/htmx-2.0.11.min.js").status_code == 404
    for response in (current, old):
        response.close()


def test_a_current_url_is_cached_for_a_year_and_any_other_is_revalidated(client) -> None:
    url = next(u for u in _asset_urls(client) if "htmx" in u)
    current = client.get(url)
    assert current.headers["Cache-Control"] == IMMUTABLE
    old = client.get(url.split("?")[0] + "?v=0000000000000000")
    bare = client.get(url.split("?")[0])
    assert old.headers["Cache-Control"] == bare.headers["Cache-Control"] == "no-cache"
    assert old.data == bare.data == current.data
    for response in (current, old, bare):
        response.close()


def test_etag_revalidation_answers_304_without_a_body(client) -> None:
    first = client.get("/static/app.css")
    etag = first.headers["ETag"]
    again = client.get("/static/app.css", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    changed = client.get("/static/app.css", headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.data == first.data


def test_static_files_are_gzipped_for_a_client_that_accepts_it(client) -> None:
    plain = client.get("/static/vendor/htmx-2.0.11.min.js")
    packed = client.get("/static/vendor/htmx-2.0.11.min.js", headers=GZIP)
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip"
    assert (
        "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    )
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert packed.headers["ETag"] != plain.headers["ETag"]  # two representations, two tags
    refused = client.get(
        "/static/vendor/htmx-2.0.11.min.js", headers={"Accept-Encoding": "gzip;q=0"}
    )
    assert refused.headers.get("Content-Encoding") is None and refused.data == plain.data


def test_pages_and_partials_are_gzipped_when_accepted(client) -> None:
    page = client.get("/", headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"turn_detection" in gzip.decompress(page.data)
    snippet = client.post("/snippet", data={"op": "sessions", "temperature": "0.9"}, headers=GZIP)
    assert snippet.headers["Content-Encoding"] == "gzip"
    assert b"0.9" in gzip.decompress(snippet.data)


def test_no_store_answers_are_never_compressed(client, upstream) -> None:
    """The send answer holds an ephemeral key beside text the visitor chose (BREACH)."""
    app, server = upstream
    response = client.post(
        "/send",
        data={"op": "sessions", "instructions": "x" * 2000},
        headers={
            **GZIP,
            "X-Playground-Gateway": f"{server.url}/v1",
            "X-Playground-Key": "sk-test-123",
        },
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert len(response.data) > 512 and response.headers.get("Content-Encoding") is None
    mock = client.post(
        "/mock/v1/realtime/sessions",
        json={"instructions": "y" * 2000},
        headers={**GZIP, "Authorization": "Bearer sk-test"},
    )
    assert mock.status_code == 200 and mock.headers.get("Content-Encoding") is None


def test_compression_can_be_left_to_a_reverse_proxy(make_app) -> None:
    client = make_app(COMPRESS=False).test_client()
    assert client.get("/", headers=GZIP).headers.get("Content-Encoding") is None
    css = client.get("/static/app.css", headers=GZIP)
    assert css.headers.get("Content-Encoding") is None and b"prefers-color-scheme" in css.data


def test_missing_and_escaping_static_paths_are_404(client) -> None:
    assert client.get("/static/nope.js").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get("/static/%2e%2e/pyproject.toml").status_code == 404


def test_stylesheets_are_served_without_comments_or_indentation(client) -> None:
    url = next(u for u in _asset_urls(client) if u.startswith("/static/app.css"))
    served = client.get(url).data
    source = (ROOT / "static" / "app.css").read_bytes()
    assert b"/*" in source and b"\n  " in source  # the file keeps them for the reader
    assert b"/*" not in served and b"\n " not in served
    assert b".snippet {" in served  # the snippet pane's styles are in it (no snippet.css)


def test_pages_lose_their_indentation_but_not_inside_pre(client) -> None:
    body = '{"session": {"type": "realtime", "instructions": "a\\n    b"}}'
    page = client.post("/import", data={"op": "client-secrets", "pasted": body}, headers=GZIP)
    html = gzip.decompress(page.data).decode()
    outside = re.sub(r"<(pre|textarea)\b.*?</\1>", "", html, flags=re.S)
    assert "\n " not in outside
    pre = "".join(re.findall(r"<pre\b.*?</pre>", html, flags=re.S))
    assert "\n  " in pre  # the request body's JSON and the snippets keep their indentation
    assert "a\n    b" in "".join(re.findall(r"<textarea\b.*?</textarea>", html, flags=re.S))

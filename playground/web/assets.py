"""Serving for production: content-hashed static URLs cached for a year, and gzip.

Templates link static files with ``asset_url('app.css')``, which gives
``/static/app.css?v=<digest>``: the digest is of the file's bytes, so a changed file gets a new
URL and a browser may keep each URL forever (``immutable``). A request without the current
digest is answered ``no-cache`` (revalidated by ETag), so an old page never gets stale code.

Our scripts are ES modules that import each other by relative URL, which drops a query: they are
served under a versioned path instead, ``/static/m/<version>/call.js``, the version being the
digest of every module's bytes, so ``import "./playground.js"`` carries it too.

Responses are gzipped when the client accepts it: static files once per version (kept in
memory, by Zopfli, whose gzip any client reads and is a few per cent smaller than zlib's), pages
and partials as they are made (their indentation dropped first, outside ``<pre>`` and
``<textarea>``). Never compressed: anything ``no-store`` (the
send answer, the mock's, CSRF refusals, downloads). The send answer carries an ephemeral key
beside text the visitor chose, which is what a compression side channel (BREACH) needs.
Switch it off with ``COMPRESS = False`` when a reverse proxy compresses.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, url_for
from werkzeug.security import safe_join
from zopfli.gzip import compress as zopfli_gzip

#: A year, the longest lifetime caches honour; safe because the URL changes with the bytes.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Media types worth compressing (images and fonts are compressed already).
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "text/plain",
        "image/svg+xml",
    }
)
#: Below this many bytes gzip's own header costs more than it saves.
MIN_COMPRESS_BYTES = 512
#: Static files larger than this are sent from disk as they are, not held in memory.
MAX_HELD_BYTES = 1 << 20
#: A CSS comment, which may span lines.
_CSS_COMMENT = re.compile(rb"/\*.*?\*/", re.S)
#: An element whose white space is text (the whole element, tag name in group 2).
_VERBATIM = re.compile(rb"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)
#: A line break and the white space after it.
_INDENTATION = re.compile(rb"\n\s+")


@dataclass(frozen=True)
class Asset:
    """One static file as served: its bytes, their gzip form, and the digest in its URL."""

    data: bytes
    gzipped: bytes | None
    digest: str
    mimetype: str
    modified: datetime


_ASSETS: dict[str, tuple[tuple[int, int], Asset]] = {}


def _mimetype(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return "text/javascript" if guessed == "application/javascript" else guessed


def load_asset(path: str) -> Asset | None:
    """Give the static file at ``path`` (re-read when it changes on disk), or None if too big."""
    stat = os.stat(path)
    key = (stat.st_mtime_ns, stat.st_size)
    held = _ASSETS.get(path)
    if held is not None and held[0] == key:
        return held[1]
    if stat.st_size > MAX_HELD_BYTES:
        return None
    data = Path(path).read_bytes()
    mimetype = _mimetype(path)
    digest = hashlib.sha256(data).hexdigest()[:16]
    if "vendor" not in Path(path).parts:
        if _is_module(os.path.basename(path)):
            data = _served_module(data)
        elif mimetype == "text/css":
            data = _served_style(data)
    gzipped = None
    if mimetype in COMPRESSIBLE and len(data) >= MIN_COMPRESS_BYTES:
        gzipped = zopfli_gzip(data)
    asset = Asset(
        data=data,
        gzipped=gzipped,
        digest=digest,
        mimetype=mimetype,
        modified=datetime.fromtimestamp(int(stat.st_mtime), UTC),
    )
    _ASSETS[path] = (key, asset)
    return asset


def _served_module(data: bytes) -> bytes:
    """Give a module's source as served: without its whole-line ``//`` comments (they say why for
    the reader, and are a third of the bytes the first load sends), indentation and blank lines.
    Our modules hold no template literal and no string continued over lines, so such a line is
    never inside a string, and no line's leading white space is part of one."""
    lines = (line.strip() for line in data.split(b"\n"))
    return b"\n".join(line for line in lines if line and not line.startswith(b"//"))


def _served_style(data: bytes) -> bytes:
    """Give one of our stylesheets as served: without its ``/* */`` comments, indentation and
    blank lines (no string or URL of ours holds ``/*``)."""
    lines = (line.strip() for line in _CSS_COMMENT.sub(b"", data).split(b"\n"))
    return b"\n".join(line for line in lines if line)


def _without_indentation(html: bytes) -> bytes:
    """Give a page or partial without the white space that starts its lines (the templates'
    indentation), but for what ``<pre>`` and ``<textarea>`` hold, where it is text: a browser
    draws a line break and the spaces after it as the one space the break alone draws."""
    parts = _VERBATIM.split(html)
    return b"".join(
        part if index % 3 == 1 else _INDENTATION.sub(b"\n", part)
        for index, part in enumerate(parts)
        if index % 3 != 2
    )


def _static_path(filename: str) -> str:
    path = safe_join(current_app.static_folder or "", filename)
    if path is None or not os.path.isfile(path):
        abort(404)
    return path


def _is_module(filename: str) -> bool:
    """Give whether ``filename`` is one of our ES modules (a script of ours, not a vendor's)."""
    return filename.endswith(".js") and "/" not in filename


def module_version() -> str:
    """Give the digest of all our modules' bytes: the versioned path they are served under."""
    folder = Path(current_app.static_folder or "")
    digests = []
    for path in sorted(folder.glob("*.js")):
        asset = load_asset(str(path))
        digests.append(f"{path.name}:{asset.digest if asset else path.stat().st_mtime_ns}")
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()[:16]


def asset_url(filename: str) -> str:
    """Give the URL of a static file with its content digest (the template global); for one of
    our modules, under the modules' versioned path."""
    if _is_module(filename):
        _static_path(filename)
        return url_for("static_module", version=module_version(), filename=filename)
    asset = load_asset(_static_path(filename))
    if asset is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=asset.digest)


def accepts_gzip() -> bool:
    """Give whether this request's client takes a gzip-encoded answer."""
    return request.accept_encodings["gzip"] > 0


def serve_static(filename: str) -> Response:
    """Serve a static file: gzip when accepted, ETag, and a year's cache on a current URL."""
    return _serve(filename, lambda asset: request.args.get("v") == asset.digest)


def serve_module(version: str, filename: str) -> Response:
    """Serve one of our modules under a versioned path: a year's cache on the current one."""
    if not _is_module(filename):
        abort(404)
    return _serve(filename, lambda asset: version == module_version())


def _serve(filename: str, is_current: Callable[[Asset], bool]) -> Response:
    path = _static_path(filename)
    asset = load_asset(path)
    if asset is None:
        return current_app.send_static_file(filename)
    packed = asset.gzipped is not None and current_app.config["COMPRESS"] and accepts_gzip()
    response = Response(asset.gzipped if packed else asset.data, mimetype=asset.mimetype)
    response.set_etag(asset.digest + ("-gz" if packed else ""))
    response.last_modified = asset.modified
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if packed:
        response.content_encoding = "gzip"
    response.headers["Cache-Control"] = IMMUTABLE if is_current(asset) else "no-cache"
    response.make_conditional(request)  # answers 304 in place when the client has it
    return response


def compress(response: Response) -> Response:
    """Gzip a finished page or partial for a client that accepts it (never a no-store one)."""
    if (
        not current_app.config["COMPRESS"]
        or response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or response.content_encoding
        or response.mimetype not in COMPRESSIBLE
        or "no-store" in (response.headers.get("Cache-Control") or "")
    ):
        return response
    response.vary.add("Accept-Encoding")
    data = response.get_data()
    if response.mimetype == "text/html":
        data = _without_indentation(data)
        response.set_data(data)
    if len(data) < MIN_COMPRESS_BYTES or not accepts_gzip():
        return response
    response.set_data(gzip.compress(data, compresslevel=9))
    response.content_encoding = "gzip"
    return response


def serve_modules(app: Flask) -> None:
    """Serve our ES modules under their versioned path (``asset_url``'s link to a module):
    registered with ``asset_url``, so any app whose templates link to a module serves it."""
    app.add_url_rule(
        f"{app.static_url_path}/m/<version>/<path:filename>", "static_module", serve_module
    )


def init_app(app: Flask) -> None:
    """Serve ``app``'s static files this way and gzip what it sends (``asset_url``, the
    templates' link to a static file, and the modules' path are registered with the other
    template globals)."""
    app.config.setdefault("COMPRESS", True)
    app.view_functions["static"] = serve_static
    app.after_request(compress)

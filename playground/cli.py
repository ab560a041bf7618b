"""The ``realtime-playground`` command: serve the page, check a body."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from typing import Any, TextIO

from playground.codecs.beta_to_ga import migrate
from playground.model import strict_json
from playground.model.deprecations import body_warnings
from playground.model.invisible import json_escaped
from playground.model.operations import Operation, OperationsError, get_operation, load_operations
from playground.model.validation import validate_body
from playground.web.hosts import is_loopback, is_wildcard, serve_hosts
from playground.web.production import default_workers

#: Where ``--operations-dir`` comes from when not given (as the server's setting).
OPERATIONS_DIR_ENV = "PLAYGROUND_OPERATIONS_DIR"


def _read_json(source: str, stdin: TextIO) -> object:
    if source == "-":
        return strict_json.loads(stdin.read())
    with open(source, encoding="utf-8") as handle:
        return strict_json.loads(handle.read())


def _serve_config(args: argparse.Namespace) -> dict[str, Any]:
    """Give the settings ``serve`` makes from its options, where the environment sets none."""
    config: dict[str, Any] = {}
    # The SSRF guard is on unless a development server listens on loopback only: --prod is
    # for a team, often behind a reverse proxy on the same host's loopback. One rule
    # (is_loopback) decides this and the trusted host names.
    if "PLAYGROUND_SSRF_GUARD" not in os.environ:
        config["SSRF_GUARD"] = args.prod or not is_loopback(args.host)
    if "PLAYGROUND_TRUSTED_HOSTS" not in os.environ:
        config["TRUSTED_HOSTS"] = serve_hosts(args.host, args.port)
        if is_wildcard(args.host):
            print(
                f"Answering for: {', '.join(config['TRUSTED_HOSTS'])} "
                "(set PLAYGROUND_TRUSTED_HOSTS for any other name)",
                file=sys.stderr,
            )
    if args.prod:
        # Half of each worker's threads may wait on upstreams; the rest stay free for pages.
        # The total is counted over all the workers (playground.transport.in_flight).
        half = max(1, args.threads // 2)
        if "PLAYGROUND_SEND_MAX_IN_FLIGHT_PER_PROCESS" not in os.environ:
            config["SEND_MAX_IN_FLIGHT_PER_PROCESS"] = half
        if "PLAYGROUND_SEND_MAX_IN_FLIGHT" not in os.environ:
            config["SEND_MAX_IN_FLIGHT"] = half * (args.workers or default_workers())
    return config


def _cmd_serve(args: argparse.Namespace) -> int:
    from playground.web.app import create_app

    config = _serve_config(args)
    if args.operations_dir:
        config["OPERATIONS_DIR"] = args.operations_dir
    app = create_app(config)
    if not args.prod:
        app.run(host=args.host, port=args.port, debug=args.debug)
        return 0
    from playground.web.production import ProductionUnavailable, run

    if args.debug:
        print("error: --debug is for the development server, not --prod", file=sys.stderr)
        return 2
    try:
        run(app, args.host, args.port, workers=args.workers, threads=args.threads)
    except ProductionUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _valid_body(op: Operation, source: str) -> dict[str, Any] | None:
    """Give the body read from ``source`` if it is valid for ``op``; else print why, give None."""
    try:
        body = _read_json(source, sys.stdin)
    except (OSError, ValueError) as exc:
        print(f"error: cannot read a JSON body from {source}: {exc}", file=sys.stderr)
        return None
    errors = validate_body(op.request_schema, op.root, body)
    for path, message in errors.items():
        print(f"{path or 'body'}: {message}", file=sys.stderr)
    return None if errors else body  # type: ignore[return-value]


def _cmd_body(args: argparse.Namespace) -> int:
    op = get_operation(args.op, args.operations)
    body = _valid_body(op, args.file)
    if body is None:
        return 1
    # Deprecated values are sent as they are: said on stderr, and the body is still valid.
    for path, message in body_warnings(op.root, body, args.today or date.today()).items():
        print(f"warning: {path}: {message}", file=sys.stderr)
    print(json_escaped(json.dumps(body, indent=2, ensure_ascii=False)))
    return 0


def _cmd_migrate(args: argparse.Namespace) -> int:
    body = _valid_body(get_operation("sessions", args.operations), args.file)
    if body is None:
        return 1
    result = migrate(body)
    print(json_escaped(json.dumps(result.body, indent=2, ensure_ascii=False)))
    for note in result.notes:
        print(f"{note.kind}: {note.path}: {note.message}", file=sys.stderr)
    return 0


def _cmd_snippet(args: argparse.Namespace) -> int:
    from playground.snippets import LANGUAGES, languages_for, render_snippet

    op = get_operation(args.op, args.operations)
    if args.list:
        for lang in languages_for(op):
            print(f"{lang.id}\t{lang.label}")
        return 0
    if not args.lang:
        print("error: choose a language with --lang (see --list)", file=sys.stderr)
        return 2
    if args.lang not in {lang.id for lang in languages_for(op)}:
        known = ", ".join(lang.id for lang in languages_for(op))
        why = "unknown language" if args.lang not in LANGUAGES else f"no snippet for {op.id}"
        print(f"error: {why} {args.lang!r}; choose one of: {known}", file=sys.stderr)
        return 2
    body = _valid_body(op, args.file)
    if body is None:
        return 1
    sys.stdout.write(render_snippet(op, args.lang, body, base_url=args.base_url))
    return 0


def _dir_parser() -> argparse.ArgumentParser:
    """Give the parser of the options every command shares (read before the operations)."""
    shared = argparse.ArgumentParser(add_help=False, allow_abbrev=False)  # not --op
    shared.add_argument(
        "--operations-dir",
        default=os.environ.get(OPERATIONS_DIR_ENV) or None,
        help=f"a folder of more *.openapi.json operations (default: ${OPERATIONS_DIR_ENV})",
    )
    return shared


def build_parser(ops: dict[str, Operation] | None = None) -> argparse.ArgumentParser:
    """Give the argument parser with every subcommand; ``--op`` chooses among ``ops``."""
    names = sorted(ops if ops is not None else load_operations())
    parser = argparse.ArgumentParser(prog="realtime-playground", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    shared = [_dir_parser()]
    serve = sub.add_parser(
        "serve", parents=shared, allow_abbrev=False, help="run the playground web app"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--debug", action="store_true")
    serve.add_argument(
        "--prod", action="store_true", help="serve with gunicorn (the prod extra), for a team"
    )
    serve.add_argument(
        "--workers", type=int, help="with --prod: worker processes (default: 2 x CPUs + 1)"
    )
    serve.add_argument(
        "--threads", type=int, default=4, help="with --prod: threads per worker (default: 4)"
    )
    serve.set_defaults(func=_cmd_serve)
    body = sub.add_parser(
        "body",
        parents=shared,
        allow_abbrev=False,
        help="validate a request body and print it normalized",
    )
    body.add_argument("file", help="a JSON file, or - for standard input")
    body.add_argument("--op", default="sessions", choices=names)
    body.add_argument(
        "--today",
        type=date.fromisoformat,
        help="judge deprecated values on this day, YYYY-MM-DD (default: today)",
    )
    body.set_defaults(func=_cmd_body)
    migrate_ = sub.add_parser(
        "migrate",
        parents=shared,
        allow_abbrev=False,
        help="convert a beta /realtime/sessions body to a GA /realtime/client_secrets body",
    )
    migrate_.add_argument("file", help="a JSON file, or - for standard input")
    migrate_.set_defaults(func=_cmd_migrate)
    snippet = sub.add_parser(
        "snippet",
        parents=shared,
        allow_abbrev=False,
        help="print a code snippet that sends a request body",
    )
    snippet.add_argument("file", nargs="?", default="-", help="a JSON file, or - (the default)")
    snippet.add_argument("--lang", help="the snippet language (see --list)")
    snippet.add_argument("--list", action="store_true", help="name the languages and stop")
    snippet.add_argument("--op", default="sessions", choices=names)
    snippet.add_argument("--base-url", help="a gateway's base URL (default: the public API)")
    snippet.set_defaults(func=_cmd_snippet)
    _add_link_command(sub, names)
    return parser


def _add_link_command(sub: argparse._SubParsersAction, names: list[str]) -> None:  # type: ignore[type-arg]
    link = sub.add_parser(
        "link",
        parents=[_dir_parser()],
        allow_abbrev=False,
        help="print the share link of a request body",
    )
    link.add_argument("file", help="a JSON file, or - for standard input")
    link.add_argument(
        "--base-url",
        default="http://127.0.0.1:8000",
        help="where the playground is served (default: %(default)s)",
    )
    link.add_argument(
        "--op",
        choices=names,
        help="the operation the body is for (default: the app's default operation)",
    )
    link.set_defaults(func=_cmd_link)


def _cmd_link(args: argparse.Namespace) -> int:
    from playground.codecs.share_token import ShareError, share_url
    from playground.web.app import create_app

    op = get_operation(args.op or create_app().config["DEFAULT_OPERATION"], args.operations)
    try:
        body = _read_json(args.file, sys.stdin)
    except (OSError, ValueError) as exc:
        print(f"error: cannot read a JSON body from {args.file}: {exc}", file=sys.stderr)
        return 1
    if not isinstance(body, dict):
        print("error: the body must be a JSON object", file=sys.stderr)
        return 1
    try:
        url = share_url(args.base_url, body, args.op)
    except ShareError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    # The link opens whatever the body is, problems included; say so, but still print it.
    for path, message in validate_body(op.request_schema, op.root, body).items():
        print(f"warning: {path or 'body'}: {message}", file=sys.stderr)
    print(url)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; give the exit status."""
    # The operations decide the choices of --op, so the folder is read before the rest.
    known, _ = _dir_parser().parse_known_args(argv)
    try:
        ops = load_operations(known.operations_dir)
    except OperationsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args = build_parser(ops).parse_args(argv)
    args.operations = ops
    return int(args.func(args))

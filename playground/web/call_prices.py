"""The price table the live call's cost estimate uses: a dated JSON file, per model.

The package ships ``call_prices.json`` (the published prices on its ``date``); an operator
replaces it with ``CALL_PRICES_FILE`` (a path to a file of the same shape), read when the app
starts. A file that is not such a table stops the server with a message naming it. The page
fetches the table from ``GET /call/prices`` (the call panel's ``data-prices-url``) when a call
begins, so the first load does not carry it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify

#: The table the package ships.
DEFAULT_PRICES = Path(__file__).with_name("call_prices.json")
#: What every model's row gives: USD per ``per_tokens`` tokens of each kind.
PRICE_KEYS = (
    "text_input",
    "text_cached_input",
    "text_output",
    "audio_input",
    "audio_cached_input",
    "audio_output",
)
EXTENSION_KEY = "playground.call_prices"


class PriceTableError(ValueError):
    """The price table file cannot be used; the message names it and says why."""


def _problem(table: Any) -> str:
    """Give what is wrong with ``table`` as a price table, or "" when nothing is."""
    if not isinstance(table, dict):
        return "it is not a JSON object"
    if not isinstance(table.get("date"), str) or not table["date"]:
        return 'it has no "date" (the day its prices were taken, e.g. "2025-10-06")'
    per = table.get("per_tokens", 1_000_000)
    if not isinstance(per, int) or isinstance(per, bool) or per <= 0:
        return '"per_tokens" must be a positive whole number'
    models = table.get("models")
    if not isinstance(models, dict) or not models:
        return 'it has no "models" object (model name -> prices)'
    for name, row in models.items():
        if not isinstance(row, dict):
            return f'"models.{name}" is not an object'
        for key in PRICE_KEYS:
            value = row.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                return f'"models.{name}.{key}" must be a number of at least 0'
    return ""


def load_prices(path: str | Path | None = None) -> dict[str, Any]:
    """Give the price table in ``path`` (the package's when None), checked.

    :raises PriceTableError: the file cannot be read, is not JSON, or not a price table.
    """
    where = Path(path) if path else DEFAULT_PRICES
    try:
        table = json.loads(where.read_text(encoding="utf-8"))
    except OSError as error:
        raise PriceTableError(f"CALL_PRICES_FILE {where}: cannot be read ({error})") from None
    except ValueError as error:
        raise PriceTableError(f"CALL_PRICES_FILE {where}: not JSON ({error})") from None
    problem = _problem(table)
    if problem:
        raise PriceTableError(f"CALL_PRICES_FILE {where}: {problem}")
    return {
        "date": table["date"],
        "source": str(table.get("source", "")),
        "currency": str(table.get("currency", "USD")),
        "per_tokens": table.get("per_tokens", 1_000_000),
        "models": {name: {k: row[k] for k in PRICE_KEYS} for name, row in table["models"].items()},
    }


def call_prices() -> dict[str, Any]:
    """Give the app's price table (for the call panel's ``data-prices``)."""
    prices: dict[str, Any] = current_app.extensions[EXTENSION_KEY]
    return prices


def serve_prices() -> Response:
    """Give the app's price table as JSON (the same for every visitor: cacheable a while)."""
    response = jsonify(call_prices())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def init_app(app: Flask) -> None:
    """Read the app's price table (``CALL_PRICES_FILE`` or the package's) and serve it at
    ``GET /call/prices``."""
    app.extensions[EXTENSION_KEY] = load_prices(app.config.get("CALL_PRICES_FILE"))
    app.add_url_rule("/call/prices", "call_prices", serve_prices, methods=["GET"])

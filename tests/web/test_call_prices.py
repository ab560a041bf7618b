"""The live call's price table: the package's, an operator's replacement, and a bad file."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from playground.web.call_prices import PRICE_KEYS, PriceTableError, load_prices


def _page_prices(app: Any) -> dict[str, Any]:
    """Give the price table the GA page's call panel names (fetched when a call begins)."""
    client = app.test_client()
    page = client.get("/?op=client-secrets").get_data(as_text=True)
    found = re.search(r'data-prices-url="([^"]*)"', page)
    assert found, "the call panel names no price table"
    table: dict[str, Any] = client.get(html.unescape(found.group(1))).get_json()
    return table


def test_the_package_table_is_dated_and_prices_the_realtime_models(make_app: Any) -> None:
    table = _page_prices(make_app())
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", table["date"])
    assert {"gpt-realtime", "gpt-realtime-mini"} <= set(table["models"])
    assert table["models"]["gpt-realtime"]["audio_output"] > 0


def test_an_operator_replaces_the_table(make_app: Any, tmp_path: Path) -> None:
    own = tmp_path / "prices.json"
    row = dict.fromkeys(PRICE_KEYS, 1.5)
    own.write_text(json.dumps({"date": "2030-01-02", "models": {"house-model": row}}))
    table = _page_prices(make_app(CALL_PRICES_FILE=str(own)))
    assert table["date"] == "2030-01-02" and list(table["models"]) == ["house-model"]
    assert table["per_tokens"] == 1_000_000 and table["currency"] == "USD"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "not JSON"),
        ('{"models": {}}', 'no "date"'),
        ('{"date": "2030-01-02", "models": {}}', 'no "models"'),
        ('{"date": "2030-01-02", "models": {"m": {"text_input": -1}}}', '"models.m.text_input"'),
    ],
)
def test_a_bad_table_stops_the_app_with_its_name(
    make_app: Any, tmp_path: Path, content: str, said: str
) -> None:
    bad = tmp_path / "bad-prices.json"
    bad.write_text(content)
    with pytest.raises(PriceTableError, match="bad-prices.json") as caught:
        make_app(CALL_PRICES_FILE=str(bad))
    assert said in str(caught.value)


def test_a_missing_file_is_said() -> None:
    with pytest.raises(PriceTableError, match="cannot be read"):
        load_prices("/nonexistent/prices.json")

"""The call's cost estimate (static/call-usage.js) picks a model's row from the price table by
its name, or by its base model's for a dated snapshot, and guesses nothing else: a newer model
that merely starts like a listed one ("gpt-realtime-2" after "gpt-realtime") is not priced as it."""

from __future__ import annotations

from typing import Any

import pytest

from playground.web.call_prices import load_prices

pytestmark = pytest.mark.browser

#: static/call-usage.js as the page's call modules import it.
USAGE = (
    "import(new URL('call-usage.js', document.querySelector("
    "'script[type=module][src*=\"/call-loader.js\"]').src).href)"
)
#: One text output token for each model, priced by the module with the package's table.
PRICED = f"""([models, table]) => {USAGE}.then(usage => models.map(model => {{
  const totals = {{inText: 0, cachedText: 0, inAudio: 0, cachedAudio: 0, outText: 1000000, outAudio: 0}};
  const found = usage.cost(totals, model, table);
  return found && found.amount;
}}))"""


@pytest.mark.parametrize(
    ("model", "row"),
    [
        ("gpt-realtime", "gpt-realtime"),
        ("gpt-realtime-2025-08-28", "gpt-realtime"),
        ("gpt-realtime-2", "gpt-realtime-2"),
        ("gpt-realtime-2.1-mini", "gpt-realtime-2.1-mini"),
        ("gpt-realtime-mini-2025-12-15", "gpt-realtime-mini"),
        ("gpt-realtime-3", None),
        ("gpt-realtime-2-preview", None),
        ("gpt-audio-mini", None),
    ],
)
def test_a_model_is_priced_by_its_own_row_or_its_snapshot_base(
    page: Any, model: str, row: str | None
) -> None:
    table = load_prices()
    page.goto("/")
    [amount] = page.evaluate(PRICED, [[model], table])
    if row is None:
        assert amount is None
    else:
        assert amount == pytest.approx(table["models"][row]["text_output"])


def test_every_realtime_model_of_the_ga_form_but_the_audio_ones_has_a_price(page: Any) -> None:
    """The package's table prices each realtime model the GA form offers (gpt-audio models'
    pages list no audio prices: those calls show tokens only)."""
    from playground.model.operations import get_operation

    node = get_operation("client-secrets").root.at("session:realtime.model")
    assert node is not None
    offered = [m for m in node.schema["anyOf"][0]["enum"] if not m.startswith("gpt-audio")]
    page.goto("/")
    amounts = page.evaluate(PRICED, [offered, load_prices()])
    unpriced = [model for model, amount in zip(offered, amounts, strict=True) if not amount]
    assert unpriced == []

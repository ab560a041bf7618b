// The live call's usage and cost (imported by static/call-controls.js): the tokens of every
// response.done summed (input, output, audio, text, cached) in the panel's call-usage, and a
// cost estimate from the price table the server gives at the panel's data-prices-url
// (playground/web/call_prices.json, or the operator's CALL_PRICES_FILE), shown with its date.
// ES module: no inline script, no eval.
import { el } from "./call-inspector.js";
import { part } from "./call-view.js";

const ROWS = [
  ["total", "Total tokens"], ["input", "Input"], ["output", "Output"], ["audio", "Audio (in + out)"],
  ["text", "Text (in + out)"], ["cached", "Cached input"],
];

// A call's totals, all zero.
export function empty() {
  return { responses: 0, total: 0, input: 0, output: 0, audio: 0, text: 0, cached: 0,
    inText: 0, inAudio: 0, cachedText: 0, cachedAudio: 0, outText: 0, outAudio: 0 };
}

function num(value) { return typeof value === "number" && isFinite(value) ? value : 0; }

// ``totals`` with one response.done's ``usage`` added (a response without usage adds nothing).
export function add(totals, usage) {
  if (!usage || typeof usage !== "object") return totals;
  const inDetails = usage.input_token_details || {};
  const cachedDetails = inDetails.cached_tokens_details || {};
  const outDetails = usage.output_token_details || {};
  const t = Object.assign({}, totals);
  t.responses += 1;
  t.total += num(usage.total_tokens);
  t.input += num(usage.input_tokens);
  t.output += num(usage.output_tokens);
  t.inText += num(inDetails.text_tokens);
  t.inAudio += num(inDetails.audio_tokens);
  t.cached += num(inDetails.cached_tokens);
  t.cachedText += num(cachedDetails.text_tokens);
  t.cachedAudio += num(cachedDetails.audio_tokens);
  t.outText += num(outDetails.text_tokens);
  t.outAudio += num(outDetails.audio_tokens);
  t.audio = t.inAudio + t.outAudio;
  t.text = t.inText + t.outText;
  return t;
}

// The price table (GET the panel's data-prices-url, asked for once, when the first call begins:
// the page's first load does not carry it), or null until it came or when none reads.
let prices = null;
let asked = null;
let shown = null;
export function loadPrices() {
  const url = document.getElementById("call").dataset.pricesUrl;
  if (asked || !url) return;
  asked = fetch(url, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (table) { prices = table; if (shown) show(shown.totals, shown.model); })
    .catch(function () { asked = null; });
}
function table() { return prices; }
// The row of ``model`` in ``prices``: its own, or its base model's when it is a dated
// snapshot ("gpt-realtime-2025-08-28" is priced as "gpt-realtime"). Nothing else is guessed:
// "gpt-realtime-2" is not "gpt-realtime", and a model the table lacks gets no price.
const SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;
function rowFor(prices, model) {
  const models = (prices && prices.models) || {};
  if (Object.prototype.hasOwnProperty.call(models, model)) return models[model];
  const base = model.replace(SNAPSHOT, "");
  return base !== model && Object.prototype.hasOwnProperty.call(models, base) ? models[base] : null;
}

// The estimated cost of ``totals`` for ``model`` ({amount, currency, date}), or null when the
// table has no price for it.
export function cost(totals, model, prices) {
  const row = rowFor(prices, model || "");
  if (!row) return null;
  const per = prices.per_tokens || 1000000;
  const amount = (
    Math.max(0, totals.inText - totals.cachedText) * row.text_input + totals.cachedText * row.text_cached_input +
    Math.max(0, totals.inAudio - totals.cachedAudio) * row.audio_input + totals.cachedAudio * row.audio_cached_input +
    totals.outText * row.text_output + totals.outAudio * row.audio_output
  ) / per;
  return { amount: amount, currency: prices.currency || "USD", date: prices.date };
}

// Show ``totals`` (of the call with ``model``) in the panel.
export function show(totals, model) {
  const section = part("call-usage");
  if (!section) return;
  shown = { totals: totals, model: model };
  section.hidden = false;
  section.dataset.totalTokens = String(totals.total);
  const list = part("call-usage-counts");
  list.replaceChildren();
  ROWS.forEach(function (row) {
    const pair = el("div", {});
    pair.append(el("dt", {}, row[1]), el("dd", { "data-usage": row[0] }, String(totals[row[0]])));
    list.append(pair);
  });
  const prices = table();
  const estimate = cost(totals, model, prices);
  const said = part("call-cost");
  if (estimate) {
    said.textContent = "Estimated cost for " + model + ": " + estimate.amount.toFixed(4) + " " + estimate.currency +
      " (" + totals.responses + " responses; prices of " + estimate.date + ").";
    said.dataset.cost = estimate.amount.toFixed(6);
  } else {
    said.textContent = "No price for " + (model || "this model") + " in the price table" +
      (prices && prices.date ? " of " + prices.date : "") + ": tokens only.";
    delete said.dataset.cost;
  }
}

// The live call's session logic (imported by static/call.js, on the first Start call): the
// effective configuration (what the form asked against what the server reports), the difference
// between two sessions, the session.update a change sends, what may not change mid-session, and
// which form field a JSON path names (as the server marks it). ES module: no inline script, no eval.
// Keys the server adds about the session itself: shown as information, never compared.
const SERVER_OWN = ["id", "object", "expires_at", "client_secret"];

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
// JSON with object keys sorted: two values are the same when their texts are.
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  const out = {};
  Object.keys(value).sort().forEach(function (key) { out[key] = canonical(value[key]); });
  return out;
}
export function same(a, b) { return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b)); }
// Whether ``server`` holds all of ``asked`` (an object: each of its keys; the server may fill
// in more, as it fills defaults).
export function covers(asked, server) {
  if (!isObject(asked)) return same(asked, server);
  return isObject(server) && Object.keys(asked).every(function (key) {
    return covers(asked[key], server[key]);
  });
}
function shown(value) { return value === undefined ? "unset" : JSON.stringify(value); }
function join(path, key) { return path ? path + "." + key : String(key); }

// Rows comparing the session the form asked for with the one the server reports, one per
// leaf: match, changed (asked X, server has Y), default (unset, the server used Y), missing
// (asked, not reported) or info (the server's own keys).
export function effective(asked, server) {
  const rows = [];
  function leaf(path, a, s) {
    let kind = "match";
    if (a === undefined) kind = "default";
    else if (s === undefined) kind = "missing";
    else if (!same(a, s)) kind = "changed";
    rows.push({ path: path, kind: kind, asked: a, server: s });
  }
  function walk(a, s, path) {
    const keys = Object.keys(s || {});
    Object.keys(a || {}).forEach(function (key) { if (keys.indexOf(key) < 0) keys.push(key); });
    keys.forEach(function (key) {
      const p = join(path, key);
      const av = a ? a[key] : undefined;
      const sv = s ? s[key] : undefined;
      if (!path && SERVER_OWN.indexOf(key) >= 0) {
        rows.push({ path: p, kind: "info", asked: undefined, server: sv });
      } else if (isObject(sv) && (isObject(av) || av === undefined)) {
        walk(av, sv, p);
      } else if (isObject(av) && sv === undefined) {
        walk(av, undefined, p);
      } else if (Array.isArray(av) && Array.isArray(sv) && av.length === sv.length &&
                 av.some(isObject)) {
        av.forEach(function (item, i) {
          if (isObject(item) && isObject(sv[i])) walk(item, sv[i], join(p, i));
          else leaf(join(p, i), item, sv[i]);
        });
      } else {
        leaf(p, av, sv);
      }
    });
  }
  walk(isObject(asked) ? asked : {}, isObject(server) ? server : {}, "");
  return rows;
}

// One row in words, as the effective view shows it.
export function describe(row) {
  switch (row.kind) {
    case "default": return row.path + ": unset, server used " + shown(row.server);
    case "changed": return row.path + ": asked " + shown(row.asked) + ", server has " + shown(row.server);
    case "missing": return row.path + ": asked " + shown(row.asked) + ", the server did not report it";
    case "info": return row.path + ": " + shown(row.server) + " (the server's own)";
    default: return row.path + ": " + shown(row.server);
  }
}

// The leaves that differ between two sessions: {path, value} (value undefined: now unset).
// Lists are compared whole: session.update replaces a list.
export function changes(before, after) {
  const found = [];
  function walk(b, a, path) {
    const keys = Object.keys(a || {});
    Object.keys(b || {}).forEach(function (key) { if (keys.indexOf(key) < 0) keys.push(key); });
    keys.forEach(function (key) {
      const p = join(path, key);
      const bv = b ? b[key] : undefined;
      const av = a ? a[key] : undefined;
      if (isObject(av) && isObject(bv)) walk(bv, av, p);
      else if (isObject(av) && bv === undefined) walk(undefined, av, p);
      else if (!same(av, bv)) found.push({ path: p, value: av });
    });
  }
  walk(isObject(before) ? before : {}, isObject(after) ? after : {}, "");
  return found;
}

// The value at a dotted ``path`` of ``value`` (undefined when a step is missing).
export function valueAt(value, path) {
  return path.split(".").reduce(function (node, key) {
    return isObject(node) ? node[key] : undefined;
  }, value);
}

// The session path of the smallest value a session.update sends for a change at ``path``: the
// field's data-update-path (the server decides it from the schema node: a union, an object with
// required keys or a list goes whole), else the path itself.
export function updatePath(form, path) {
  const wrapper = fieldFor(form, "session." + path);
  const given = wrapper && wrapper.dataset.updatePath;
  const unit = given && given.indexOf("session.") === 0 ? given.slice(8) : "";
  return unit && (path === unit || path.indexOf(unit + ".") === 0) ? unit : path;
}

// The session object of a session.update carrying just ``picked`` changes (and the session's
// type, which the API asks for with every update).
export function patch(picked, type) {
  const out = type ? { type: type } : {};
  picked.forEach(function (change) {
    const parts = change.path.split(".");
    let node = out;
    parts.slice(0, -1).forEach(function (part) {
      if (!isObject(node[part])) node[part] = {};
      node = node[part];
    });
    node[parts[parts.length - 1]] = change.value;
  });
  return out;
}

// Why a change cannot go in a session.update now ("" when it can). ``call``: what happened in
// the call so far ({answeredWithAudio}).
export function refusal(change, call) {
  if (change.path === "type") {
    return "The session type cannot change during a call: hang up and start a new one.";
  }
  if (change.value === undefined) {
    return "Unset is not sent mid-call (the server keeps its value): choose a value to change it.";
  }
  if (/^audio\.output\.voice(\.|$)/.test(change.path) && call && call.answeredWithAudio) {
    return "The voice cannot change once the model has answered with audio: start a new call for another voice.";
  }
  return "";
}

// Whether every branch pane ``wrapper`` sits in is the one its mode switch has chosen.
function chosen(wrapper) {
  for (let pane = wrapper.closest(".pane"); pane; pane = pane.parentElement.closest(".pane")) {
    const group = pane.closest("fieldset");
    const mode = group && group.querySelector(":scope > .modes input:checked");
    if (!mode || mode.value !== pane.dataset.mode) return false;
  }
  return true;
}

// The wrapper element of the form field a body path names (each wrapper says its body path in
// data-json-path, templates/partials/_field.html), or of its nearest ancestor the form has,
// preferring the branch chosen; null when none.
export function fieldFor(form, bodyPath) {
  let path = bodyPath;
  while (path) {
    const found = Array.prototype.slice.call(
      form.querySelectorAll("[data-json-path=\"" + CSS.escape(path) + "\"]"));
    if (found.length) {
      return found.sort(function (a, b) { return Number(chosen(b)) - Number(chosen(a)); })[0];
    }
    path = path.lastIndexOf(".") > 0 ? path.slice(0, path.lastIndexOf(".")) : "";
  }
  return null;
}

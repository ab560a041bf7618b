// A small zip writer and reader for call bundles (static/call-bundle.js writes one,
// static/call-bundle-open.js reads one). The writer stores (no compression: the audio does not
// shrink, and storing is fast) with each entry's CRC-32; the reader takes stored and deflated
// entries (DecompressionStream "deflate-raw"), so a bundle re-zipped by a tool still opens, and
// checks every CRC-32. No ZIP64, no encryption: a bundle stays far under 4 GB.
// ES module: no inline script, no eval.

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

// The CRC-32 (as zip uses it) of ``bytes``.
export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// What a file that is not a zip (or a zip this reader cannot take) is refused with.
export class ZipError extends Error {}

const UTF8 = 0x0800; // general purpose flag: the names are UTF-8

// The date and time of ``when`` as MS-DOS packs them: [time, date].
function dosTime(when) {
  const time = (when.getHours() << 11) | (when.getMinutes() << 5) | (when.getSeconds() >> 1);
  const date = ((Math.max(1980, when.getFullYear()) - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate();
  return [time, date];
}

// A zip (a Blob) of ``files``: [{name, data}] with data a Uint8Array or a string (UTF-8).
export function zip(files, when) {
  const [time, date] = dosTime(when || new Date());
  const encoder = new TextEncoder();
  const parts = [];
  const central = [];
  let offset = 0;
  files.forEach(function (file) {
    const name = encoder.encode(file.name);
    const data = typeof file.data === "string" ? encoder.encode(file.data) : file.data;
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30 + name.length));
    // signature, version 2.0, flags, method 0 (stored), time, date, crc, sizes, name length
    [[0, 0x04034b50, 4], [4, 20, 2], [6, UTF8, 2], [8, 0, 2], [10, time, 2], [12, date, 2],
      [14, crc, 4], [18, data.length, 4], [22, data.length, 4], [26, name.length, 2]]
      .forEach(function (f) { put(local, f); });
    new Uint8Array(local.buffer).set(name, 30);
    const entry = new DataView(new ArrayBuffer(46 + name.length));
    [[0, 0x02014b50, 4], [4, 20, 2], [6, 20, 2], [8, UTF8, 2], [10, 0, 2], [12, time, 2], [14, date, 2],
      [16, crc, 4], [20, data.length, 4], [24, data.length, 4], [28, name.length, 2], [42, offset, 4]]
      .forEach(function (f) { put(entry, f); });
    new Uint8Array(entry.buffer).set(name, 46);
    parts.push(local, data);
    central.push(entry);
    offset += local.byteLength + data.length;
  });
  const size = central.reduce(function (sum, entry) { return sum + entry.byteLength; }, 0);
  const end = new DataView(new ArrayBuffer(22));
  [[0, 0x06054b50, 4], [8, files.length, 2], [10, files.length, 2], [12, size, 4], [16, offset, 4]]
    .forEach(function (f) { put(end, f); });
  return new Blob(parts.concat(central, [end]), { type: "application/zip" });
}
function put(view, field) {
  if (field[2] === 4) view.setUint32(field[0], field[1], true);
  else view.setUint16(field[0], field[1], true);
}

function megabytes(bytes) {
  return bytes < 1048576 ? Math.ceil(bytes / 1024) + " KB" : Math.round(bytes / 1048576) + " MB";
}

async function inflate(bytes, size) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const out = new Uint8Array(size);
  let at = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > size) { reader.cancel(); throw new ZipError("longer than its header says"); }
    out.set(value, at);
    at += value.length;
  }
  if (at !== size) throw new ZipError("shorter than its header says");
  return out;
}

// The files of the zip ``bytes`` (a Uint8Array), as a Map of name to Uint8Array; every entry
// at most ``limit`` bytes once read. Throws ZipError with what is wrong.
export async function unzip(bytes, limit) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) throw new ZipError("it is not a zip file");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const files = new Map();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw new ZipError("its directory is damaged");
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (name.endsWith("/")) continue; // a folder
    if (flags & 1) throw new ZipError(name + " is encrypted");
    if (limit && size > limit) throw new ZipError(name + " is larger than " + megabytes(limit));
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new ZipError(name + " is damaged");
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + packed > bytes.length) throw new ZipError(name + " is cut short");
    const raw = bytes.subarray(start, start + packed);
    let data;
    if (method === 0) data = raw;
    else if (method === 8) {
      try { data = await inflate(raw, size); } catch (e) { throw new ZipError(name + " is damaged (" + (e.message || e) + ")"); }
    } else throw new ZipError(name + " is compressed in a way this page does not read (method " + method + ")");
    if (data.length !== size) throw new ZipError(name + " is damaged (its size)");
    if (crc32(data) !== crc) throw new ZipError(name + " is damaged (its CRC-32 does not match)");
    files.set(name, data);
  }
  return files;
}

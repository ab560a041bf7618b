"""static/call-zip.js run in node (the module the page runs, copied as .mjs: ``node_script``): what it writes
Python's zipfile reads with every CRC checked; it reads its own zips, stored and deflated
entries that Python wrote, and refuses a damaged CRC, a file that is not a zip and an entry
over its limit, each with a ZipError."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest

#: Reads [command, base64 input] from stdin; writes a JSON answer.
RUNNER = """
import * as Z from './call-zip.mjs';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const [command, input, limit] = JSON.parse(Buffer.concat(chunks).toString());
const bytes = new Uint8Array(Buffer.from(input, 'base64'));
let answer;
if (command === 'zip') {
  const files = JSON.parse(Buffer.from(bytes).toString()).map(
    ([name, text, binary]) => ({ name, data: binary ? new Uint8Array(Buffer.from(text, 'base64')) : text }));
  const blob = Z.zip(files, new Date(2026, 11, 3, 23, 40, 12));
  answer = { zip: Buffer.from(await blob.arrayBuffer()).toString('base64'), type: blob.type };
} else if (command === 'crc') {
  answer = { crc: Z.crc32(bytes) };
} else {
  try {
    const files = await Z.unzip(bytes, limit);
    answer = { files: Object.fromEntries([...files].map(([k, v]) => [k, Buffer.from(v).toString('base64')])) };
  } catch (e) {
    answer = { error: e instanceof Z.ZipError ? 'ZipError' : String(e), message: e.message };
  }
}
process.stdout.write(JSON.stringify(answer));
"""


@pytest.fixture
def node(node_script):  # type: ignore[no-untyped-def]
    """Give a function that runs a command of :data:`RUNNER` on the module in node."""

    def run(command: str, data: bytes, limit: int = 0) -> dict[str, object]:
        given = json.dumps([command, _b64(data), limit])
        return dict(json.loads(node_script(RUNNER, given)))

    return run


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: object) -> bytes:
    return base64.b64decode(str(text))


AUDIO = bytes(range(256)) * 40 + b"\x00\xff" * 3


def test_the_crc_is_zips_own(node) -> None:
    import zlib

    for data in (b"", b"a", b"The quick brown fox", AUDIO):
        assert node("crc", data)["crc"] == zlib.crc32(data)


def test_what_it_writes_python_reads_with_every_crc_checked(node) -> None:
    files = [["events.jsonl", '{"é": 1}\n', False], ["input.wav", _b64(AUDIO), True]]
    answer = node("zip", json.dumps(files).encode())
    assert answer["type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(_unb64(answer["zip"])))
    assert archive.testzip() is None  # every CRC-32 matches
    assert archive.namelist() == ["events.jsonl", "input.wav"]
    assert archive.read("events.jsonl").decode() == '{"é": 1}\n'
    assert archive.read("input.wav") == AUDIO
    info = archive.getinfo("input.wav")
    assert info.compress_type == zipfile.ZIP_STORED
    assert info.date_time == (2026, 12, 3, 23, 40, 12)


def test_it_reads_its_own_zip_back(node) -> None:
    files = [["a.json", "{}", False], ["b.wav", _b64(AUDIO), True]]
    written = _unb64(node("zip", json.dumps(files).encode())["zip"])
    read = node("unzip", written)["files"]
    assert isinstance(read, dict)
    assert _unb64(read["a.json"]) == b"{}" and _unb64(read["b.wav"]) == AUDIO


def _python_zip(method: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        archive.writestr("folder/", b"")
        archive.writestr("events.jsonl", b'{"x": 1}\n' * 500)
        archive.writestr("output.wav", AUDIO)
    return out.getvalue()


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_it_reads_what_a_tool_wrote_stored_or_deflated(node, method: int) -> None:
    read = node("unzip", _python_zip(method))["files"]
    assert isinstance(read, dict)
    assert sorted(read) == ["events.jsonl", "output.wav"]
    assert _unb64(read["events.jsonl"]) == b'{"x": 1}\n' * 500
    assert _unb64(read["output.wav"]) == AUDIO


def test_a_damaged_entry_is_refused_by_its_crc(node) -> None:
    data = bytearray(_python_zip(zipfile.ZIP_STORED))
    at = data.index(b"\x00\x01\x02\x03\x04\x05")
    data[at + 3] ^= 0xFF
    answer = node("unzip", bytes(data))
    assert answer["error"] == "ZipError"
    assert answer["message"] == "output.wav is damaged (its CRC-32 does not match)"


def test_a_damaged_deflate_stream_is_refused(node) -> None:
    data = bytearray(_python_zip(zipfile.ZIP_DEFLATED))
    start = data.index(b"output.wav") + len("output.wav")
    data[start + 5 : start + 40] = bytes(35)
    answer = node("unzip", bytes(data))
    assert answer["error"] == "ZipError" and "output.wav is damaged" in str(answer["message"])


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04" + bytes(100)])
def test_what_is_not_a_zip_is_refused(node, data: bytes) -> None:
    assert node("unzip", data) == {"error": "ZipError", "message": "it is not a zip file"}


def test_an_entry_over_the_limit_is_refused(node) -> None:
    answer = node("unzip", _python_zip(zipfile.ZIP_DEFLATED), 1024 * 1024 // 2 // 1024)
    assert answer["error"] == "ZipError"
    assert str(answer["message"]).startswith("events.jsonl is larger than")

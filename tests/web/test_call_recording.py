"""static/call-recording.js run in node (``node_script``): a side's WAV is PCM16 mono at 24 kHz
with its pieces in order, as Python's wave reads it; a side stops at the cap (30 minutes), says
so once, and keeps nothing after."""

from __future__ import annotations

import array
import base64
import io
import json
import wave

WAV = """
import * as R from './call-recording.mjs';
const side = R.Side();
side.push(Int16Array.from([0, 1, -1, 32767]));
side.push(Int16Array.from([-32768, 1000]));
process.stdout.write(JSON.stringify({ rate: R.RATE, wav: Buffer.from(side.wav()).toString('base64') }));
"""

CAP = """
import * as R from './call-recording.mjs';
let told = 0;
const side = R.Side(() => { told += 1; });
const cap = R.CAP_MINUTES * 60 * R.RATE;
side.push(new Int16Array(cap - 10));
const before = side.capped();
side.push(new Int16Array(100));
side.push(new Int16Array(5));
process.stdout.write(JSON.stringify({ cap, before, told, capped: side.capped(), samples: side.samples() }));
"""


def test_a_side_is_written_as_pcm16_mono_wav_in_order(node_script) -> None:
    answer = json.loads(node_script(WAV, ""))
    with wave.open(io.BytesIO(base64.b64decode(answer["wav"]))) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, 24000)
        frames = array.array("h", sound.readframes(sound.getnframes()))
    assert frames.tolist() == [0, 1, -1, 32767, -32768, 1000]
    assert answer["rate"] == 24000


def test_a_side_stops_at_the_cap_and_says_so_once(node_script) -> None:
    answer = json.loads(node_script(CAP, ""))
    assert answer["cap"] == 30 * 60 * 24000
    assert answer["before"] is False
    assert answer == {**answer, "told": 1, "capped": True, "samples": answer["cap"]}

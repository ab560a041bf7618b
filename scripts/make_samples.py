"""The call's sample utterances, ``static/samples/*.wav``, spoken by Debian's espeak-ng.

    .venv/bin/python scripts/make_samples.py    # rewrite them (then listen, and commit)

Each file is exactly what ``espeak-ng -m -w FILE "<speak>TEXT</speak>"`` writes (mono, 16-bit,
22050 Hz); this script runs that command for every sample and checks the result is small enough
to ship. ``static/samples/README.md`` names the command, the espeak-ng version and the licence.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "static" / "samples"
#: The largest sample we ship, in bytes (the page fetches one when it is chosen).
MAX_BYTES = 150 * 1024

#: File name -> what espeak-ng says (SSML: a <break> is a pause the VAD can hear).
SAMPLES = {
    "two-questions.wav": 'What time is it? <break time="1s"/> And the weather?',
    "short-pause.wav": 'Let me think. <break time="400ms"/> Yes, that works.',
    "greeting.wav": "Hello, can you hear me?",
}


def command(espeak: str, path: Path, text: str) -> list[str]:
    """Give the espeak-ng command that writes ``text`` as the sample at ``path``."""
    return [espeak, "-m", "-w", str(path), f"<speak>{text}</speak>"]


def make(espeak: str) -> list[str]:
    """Write every sample; give a line per file (its length, size and format)."""
    lines = []
    for name, text in SAMPLES.items():
        path = FOLDER / name
        subprocess.run(command(espeak, path, text), check=True, timeout=60)
        with wave.open(str(path)) as made:
            channels, width, rate = made.getnchannels(), made.getsampwidth(), made.getframerate()
            seconds = made.getnframes() / rate
        size = path.stat().st_size
        if channels != 1 or width != 2 or size > MAX_BYTES:
            raise SystemExit(f"{name}: {channels} channels, {8 * width}-bit, {size} bytes")
        lines.append(f"{name}: {seconds:.2f} s, {size // 1024} KB, mono 16-bit {rate} Hz")
    return lines


def main() -> None:
    """Write the samples with the espeak-ng on PATH."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng is not installed: apt-get install -y espeak-ng")
    version = subprocess.run([espeak, "--version"], capture_output=True, text=True, check=True)
    print(version.stdout.strip(), file=sys.stderr)
    print("\n".join(make(espeak)))


if __name__ == "__main__":
    main()

"""Photos for the production tests, built in code."""

from __future__ import annotations

import io
import random

from PIL import Image


def noisy_png(at_least: int) -> io.BytesIO:
    """A PNG of random pixels (so it barely compresses) of at least `at_least` bytes."""
    side = int((at_least / 3) ** 0.5) + 16
    pixels = random.Random(12).randbytes(side * side * 3)
    output = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(output, format="PNG", compress_level=1)
    assert output.tell() >= at_least
    output.seek(0)
    output.name = "photo.png"
    return output

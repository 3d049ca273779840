"""Every upload path refuses the issue's decompression bombs quickly, with bounded memory.

Each call runs in a fresh interpreter (tests/files/measure.py) so that its peak resident memory,
including what Pillow and zlib allocate in C, is its own. The workforce import has its own
test beside it (tests/workforce)."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.files import bombs
from tests.files.measure import measure
from tests.incidents import files as leaky

ATTACHMENT = "equitable.incidents.attachments:clean"
ACTION_PLAN = "equitable.actions.spreadsheet:read_workbook"
PEAK_MB = 200
SECONDS = 10


def _docx_with_picture(picture: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(leaky.leaky_docx()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = picture if name == "word/media/image1.jpeg" else source.read(name)
            if name.endswith((".xml", ".rels")):
                content = content.replace(b"image1.jpeg", b"image1.png").replace(
                    b'Extension="jpeg" ContentType="image/jpeg"',
                    b'Extension="png" ContentType="image/png"',
                )
            archive.writestr(name.replace("image1.jpeg", "image1.png"), content)
    return output.getvalue()


def _pdf_with_image(width: int, height: int) -> bytes:
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    image = DecodedStreamObject()
    compressor = zlib.compressobj(1)
    row = bytes(width * 3)
    image.set_data(b"".join(compressor.compress(row) for _ in range(100)) + compressor.flush())
    for key, value in {
        "/Type": NameObject("/XObject"),
        "/Subtype": NameObject("/Image"),
        "/Width": NumberObject(width),
        "/Height": NumberObject(height),
        "/ColorSpace": NameObject("/DeviceRGB"),
        "/BitsPerComponent": NumberObject(8),
        "/Filter": NameObject("/FlateDecode"),
    }.items():
        image[NameObject(key)] = value
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)})}
    )
    contents = DecodedStreamObject()
    contents.set_data(b"q 100 0 0 100 0 0 cm /Im1 Do Q")
    page[NameObject("/Contents")] = writer._add_object(contents)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _pdf_with_drawing_bomb() -> bytes:
    """A page whose drawing instructions are 1 GiB of zeros, packed to about 1 MB."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    contents = DecodedStreamObject()
    contents.set_data(b"\x78\x9c" + bombs.deflated_zeros(1024) + b"\x00\x00\x00\x01")
    contents[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(contents)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _plan_with_a_far_cell() -> bytes:
    """A small, valid plan workbook with one cell at XFD1048576: expanded cell by cell it would
    be 17 billion values."""
    from openpyxl import Workbook

    from equitable.actions import spreadsheet

    book = Workbook()
    plan = book.active
    plan.title = spreadsheet.PLAN_SHEET
    plan.append([c.heading for c in spreadsheet.PLAN_COLUMNS])
    plan.cell(row=1_048_576, column=16_384, value="far away")
    register = book.create_sheet(spreadsheet.REGISTER_SHEET)
    register.append([c.heading for c in spreadsheet.REGISTER_COLUMNS])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


CASES = {
    "docx declaring 1 KB, inflating to 1 GiB": (
        ATTACHMENT,
        lambda: bombs.docx_bomb(declared=1024),
        "says it holds 1 KB but unpacks to more",
    ),
    "docx declaring and inflating to 1 GiB": (
        ATTACHMENT,
        lambda: bombs.docx_bomb(declared=1024**3),
        "unpacks to more than 100 MB",
    ),
    "40-megapixel PNG": (
        ATTACHMENT,
        bombs.png_bomb,
        "8,000 × 5,000 pixels; at most 20 megapixels",
    ),
    "40-megapixel PNG inside a docx": (
        ATTACHMENT,
        lambda: _docx_with_picture(bombs.png_bomb()),
        "8,000 × 5,000 pixels",
    ),
    "40-megapixel picture inside a PDF": (
        ATTACHMENT,
        lambda: _pdf_with_image(8000, 5000),
        "8,000 × 5,000 pixels",
    ),
    "PDF page inflating to 1 GiB": (
        ATTACHMENT,
        _pdf_with_drawing_bomb,
        "cannot be read",
    ),
    "action-plan workbook inflating to 1 GiB": (
        ACTION_PLAN,
        bombs.workbook_bomb,
        "unpacks to more than 20 MB",
    ),
    "action-plan workbook with a cell at XFD1048576": (
        ACTION_PLAN,
        _plan_with_a_far_cell,
        "More than 5000 rows",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_bomb_is_refused_quickly_with_bounded_memory(case, tmp_path):
    target, build, message = CASES[case]
    data = build()
    assert len(data) < 2 * 1024 * 1024
    outcome = measure(target, data, tmp_path)
    assert outcome["error"] in {"AttachmentRejected", "WorkbookRefused"}, outcome
    assert message in outcome["message"], outcome["message"]
    assert outcome["seconds"] < SECONDS, outcome
    assert outcome["peak_mb"] < PEAK_MB, outcome

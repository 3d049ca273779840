"""Attachments lose identifying metadata; what cannot be cleaned is refused."""

import io
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from equitable.incidents.attachments import AttachmentRejected, check_batch, clean, sniff
from tests.incidents import files


def test_exif_gps_and_comment_are_gone_from_a_jpeg_and_it_is_upright():
    original = files.jpeg_with_exif()
    assert files.AUTHOR.encode() in original and b"PhoneMaker" in original
    cleaned = clean(original, label="photo.jpg")
    assert cleaned.content_type == "image/jpeg" and cleaned.extension == "jpg"
    assert files.AUTHOR.encode() not in cleaned.content
    assert b"PhoneMaker" not in cleaned.content and b"Exif" not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.size == (30, 40)  # orientation 6 applied before EXIF was dropped
        assert not image.getexif()
        assert "comment" not in image.info


def test_png_text_chunks_are_gone_but_transparency_kept():
    cleaned = clean(files.png_with_text())
    assert files.AUTHOR.encode() not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.mode == "RGBA"


def test_pdf_author_and_creator_are_gone_and_pages_kept():
    original = files.pdf_with_author()
    assert files.AUTHOR.encode() in original
    cleaned = clean(original)
    assert files.AUTHOR.encode() not in cleaned.content
    assert b"Council Laptop" not in cleaned.content
    reader = PdfReader(io.BytesIO(cleaned.content))
    assert len(reader.pages) == 1
    assert not reader.metadata or "/Author" not in reader.metadata


def test_docx_author_company_custom_properties_and_tracked_change_author_are_gone():
    original = files.docx_with_author()
    cleaned = clean(original)
    assert cleaned.extension == "docx"
    archive = zipfile.ZipFile(io.BytesIO(cleaned.content))
    names = archive.namelist()
    assert "docProps/custom.xml" not in names
    everything = b"".join(archive.read(name) for name in names)
    assert files.AUTHOR.encode() not in everything
    assert b"Council of" not in everything and b"PhoneMaker" not in everything
    assert b"custom.xml" not in archive.read("_rels/.rels")
    assert b"custom.xml" not in archive.read("[Content_Types].xml")
    assert b"What happened on Tuesday" in archive.read("word/document.xml")
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_xlsx_made_by_openpyxl_loses_its_creator():
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    book.properties.creator = files.AUTHOR
    book.properties.lastModifiedBy = files.AUTHOR
    book.active["A1"] = "rota"
    output = io.BytesIO()
    book.save(output)
    cleaned = clean(output.getvalue())
    assert cleaned.extension == "xlsx"
    reopened = load_workbook(io.BytesIO(cleaned.content))
    assert reopened.active["A1"].value == "rota"
    assert reopened.properties.creator != files.AUTHOR  # openpyxl fills in its own name
    archive = zipfile.ZipFile(io.BytesIO(cleaned.content))
    assert all(files.AUTHOR.encode() not in archive.read(n) for n in archive.namelist())


def test_plain_text_is_accepted_as_utf8():
    cleaned = clean(b"Notes: 3 March, the canteen\n")
    assert cleaned.content_type.startswith("text/plain")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a" + b"\x00" * 20, "not a type we can clean"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "older Office file"),
        (b"MZ\x90\x00" + b"\x00" * 20, "not a type we can clean"),
        (b"\xff\xd8\xff\xe0 broken jpeg", "cannot be read"),
        (b"%PDF-1.7 nonsense", "cannot be read"),
        (b"PK\x03\x04 not really a zip", "cannot be read"),
        (b"", "is empty"),
    ],
)
def test_types_that_cannot_be_cleaned_are_refused_with_a_reason(data, message):
    with pytest.raises(AttachmentRejected, match=message):
        clean(data, label="evidence.exe")


def test_type_is_sniffed_from_content_not_the_name():
    assert sniff(files.pdf_with_author()) == "pdf"
    with pytest.raises(AttachmentRejected, match="not a type"):
        clean(b"\x00\x01binary pretending to be text", label="notes.txt")


def test_plain_zip_and_macro_documents_are_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("secret.txt", "x")
    with pytest.raises(AttachmentRejected, match="not a Word, Excel or PowerPoint"):
        clean(output.getvalue())
    with pytest.raises(AttachmentRejected, match="macros"):
        clean(files.docx_with_author({"word/vbaProject.bin": b"\x00"}))


def test_size_and_count_limits():
    with pytest.raises(AttachmentRejected, match="larger than 1 MB"):
        clean(b"a" * (1024 * 1024 + 1), max_bytes=1024 * 1024)
    assert check_batch([1] * 5) == []
    assert check_batch([1] * 6) == ["You can attach up to 5 files; you chose 6"]

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


# ---------------------------------------------------------------------------------------------
# Allow-list cleaning of the files of issue 12: every identifying value is searched for in every
# part (unzipped) or every object (decoded), in any case, as UTF-8 and UTF-16.


def _everything_in(cleaned: bytes) -> bytes:
    """The file as bytes, then every ZIP member or every decoded PDF stream and object."""
    found = [cleaned]
    if cleaned.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(cleaned))
        found.append(archive.comment)
        for info in archive.infolist():
            found += [info.filename.encode(), info.comment, info.extra, archive.read(info)]
    if cleaned.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(cleaned))
        for number in range(1, len(reader.xref_objStm) + 200):
            try:
                item = reader.get_object(number)
            except (KeyError, IndexError, ValueError):
                continue
            if item is None:
                continue
            found.append(repr(item).encode())
            if hasattr(item, "get_data"):
                found.append(item.get_data())
    return b"\n".join(found)


def _leaks_in(cleaned: bytes) -> list[str]:
    everything = _everything_in(cleaned).lower()
    return [
        leak
        for leak in files.LEAKS
        if leak.lower().encode() in everything or leak.lower().encode("utf-16-le") in everything
    ]


def _parts(cleaned: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(cleaned))
    return {name: archive.read(name) for name in archive.namelist()}


def _well_formed(parts: dict[str, bytes]) -> None:
    from xml.etree import ElementTree

    for name, content in parts.items():
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(content)  # raises on undeclared prefixes or bad markup


def test_the_issue_files_really_carry_the_leaks():
    """The search below finds what the files were built to leak (so an empty result means
    something): the author everywhere, and in the Word file every named kind of leak."""
    for leaky in (files.leaky_docx(), files.leaky_xlsx(), files.leaky_pptx(), files.leaky_pdf()):
        assert files.AUTHOR in _leaks_in(leaky)
    assert set(_leaks_in(files.leaky_docx())) >= {
        files.AUTHOR,
        files.EMAIL,
        files.RSID,
        files.PARA_ID,
        "jwhistle",
        "2026-03-04",
        "PhoneMaker",
    }
    assert "Users\\" in _leaks_in(files.leaky_xlsx())


def test_a_docx_keeps_its_text_and_picture_and_loses_every_leak():
    cleaned = clean(files.leaky_docx(), label="statement.docx")
    assert cleaned.extension == "docx"
    assert _leaks_in(cleaned.content) == []
    parts = _parts(cleaned.content)
    _well_formed(parts)
    assert not any(name.startswith("customXml") for name in parts)
    assert "word/people.xml" not in parts and "docProps/custom.xml" not in parts
    document = parts["word/document.xml"].decode()
    for text in ("What happened on Tuesday", "in the lift", "see note", "Box text", "kept text"):
        assert text in document
    for attribute in ("w:date", "w:initials", "rsid", "paraId", "textId", "descr=", "title="):
        assert attribute not in document
    assert 'w:author=""' in document and 'name=""' in document
    assert "mc:AlternateContent" not in document and "<w:pict>" in document  # the fallback
    comments = parts["word/comments.xml"].decode()
    assert "Check the rota" in comments and "w:date" not in comments
    settings = parts["word/settings.xml"].decode()
    assert "w:defaultTabStop" in settings and "compatSetting" in settings
    for gone in ("attachedTemplate", "docVars", "rsids", "docId"):
        assert gone not in settings
    assert "word/_rels/settings.xml.rels" not in parts
    with Image.open(io.BytesIO(parts["word/media/image1.jpeg"])) as picture:
        assert not picture.getexif() and "comment" not in picture.info
    assert b"xap/1.0" not in parts["word/media/image1.jpeg"]
    relationships = parts["word/_rels/document.xml.rels"].decode()
    assert "image1.jpeg" in relationships and "comments.xml" in relationships
    assert "customXml" not in relationships and "people" not in relationships
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(cleaned.content)).infolist()} == {
        (1980, 1, 1, 0, 0, 0)
    }


def test_an_xlsx_keeps_its_cells_and_comment_and_loses_the_author_path_and_views():
    from openpyxl import load_workbook

    cleaned = clean(files.leaky_xlsx(), label="rota.xlsx")
    assert cleaned.extension == "xlsx"
    assert _leaks_in(cleaned.content) == []
    parts = _parts(cleaned.content)
    _well_formed(parts)
    workbook = parts["xl/workbook.xml"].decode()
    assert "absPath" not in workbook and "customWorkbookView" not in workbook
    assert "xr:" not in workbook and "userName" not in workbook
    assert not any("printerSettings" in name or "persons" in name for name in parts)
    reopened = load_workbook(io.BytesIO(cleaned.content))
    sheet = reopened.active
    assert sheet["A1"].value == "rota" and sheet["B2"].value == 42
    assert sheet["A1"].comment.text.strip().endswith("Check with HR")
    assert files.AUTHOR not in str(sheet["A1"].comment.author)


def test_a_pptx_keeps_its_slide_and_loses_the_picture_name_and_comment_authors():
    cleaned = clean(files.leaky_pptx(), label="slides.pptx")
    assert cleaned.extension == "pptx"
    assert _leaks_in(cleaned.content) == []
    parts = _parts(cleaned.content)
    _well_formed(parts)
    assert "ppt/commentAuthors.xml" not in parts and "ppt/comments/comment1.xml" not in parts
    slide = parts["ppt/slides/slide1.xml"].decode()
    assert "Slide text" in slide and 'r:embed="rId3"' in slide and "extLst" not in slide
    assert "ppt/media/image1.png" in parts


def test_a_pdf_keeps_its_page_and_picture_and_loses_exif_xmp_annotations_and_dates():
    original = files.leaky_pdf()
    cleaned = clean(original, label="scan.pdf")
    assert cleaned.extension == "pdf"
    assert _leaks_in(cleaned.content) == []
    everything = _everything_in(cleaned.content)
    for gone in (b"/Metadata", b"/Annots", b"/PieceInfo", b"/LastModified", b"/ICCBased"):
        assert gone not in everything
    assert b"Exif" not in everything and b"xap/1.0" not in everything
    reader = PdfReader(io.BytesIO(cleaned.content))
    assert len(reader.pages) == 1 and not reader.metadata
    assert "/Root" in reader.trailer and "/Metadata" not in reader.trailer["/Root"]
    [picture] = reader.pages[0].images
    red, green, blue = picture.image.convert("RGB").getpixel((20, 15))
    assert red > 150 and green < 80 and blue < 80  # the photo's pixels are still drawn
    assert b"/Fm1 Do" in reader.pages[0].get_contents().get_data()


def test_xml_with_a_doctype_or_entities_is_refused_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<w:document xmlns:w="{files.W_NS}"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    original = files.leaky_docx()
    parts = _parts(original)
    parts["word/document.xml"] = bomb.encode()
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(AttachmentRejected, match="DOCTYPE"):
        clean(output.getvalue(), label="File 1")


def test_office_files_with_pictures_that_cannot_be_cleaned_are_refused():
    parts = _parts(files.leaky_docx())
    parts["word/media/image1.jpeg"] = b"GIF89a" + b"\x00" * 40
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(AttachmentRejected, match="File 2 cannot be accepted: a picture inside"):
        clean(output.getvalue(), label="File 2")

"""Attachments: recognise the file by its content, strip what could identify the reporter.

Why: photos carry the phone model and GPS position in EXIF; PDF and Office files carry the
author's name, their organisation and edit times. Those would undo an anonymous report, so every
attachment is rewritten without them before it is encrypted and stored. What cannot be cleaned
is refused with a message saying what to do instead (ASVS 5.0 14.2.8, 5.2.2, 5.2.3).

Accepted (recognised by magic bytes, never by the file name):
* JPEG, PNG, WebP images: decoded and re-encoded from the pixels alone (after turning the picture
  the right way up), so EXIF (camera, GPS, times), XMP, ICC profiles and comments are gone;
  only the first frame of an animated image is kept.
* PDF: pages copied into a new file; the document information (author, creator, producer, dates),
  the XMP metadata stream, page-level metadata and piece info, attachments, forms and outlines
  are not carried over. Encrypted PDFs are refused.
* Word, Excel and PowerPoint (docx/xlsx/pptx): core and app properties blanked (author, last
  modified by, company, manager, template, dates, edit time), custom properties and the
  thumbnail dropped, comment and tracked-change author names blanked, embedded JPEG/PNG/WebP
  pictures cleaned as above, zip times fixed. Macro-enabled files and files with embedded
  documents are refused.
* Plain text (UTF-8): kept as text; it has no hidden metadata.

Pure module: no Django.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import NameObject

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_IMAGE_PIXELS = 40_000_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000

ALLOWED_DESCRIPTION = (
    "photos (JPEG, PNG, WebP), PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx) "
    "or plain text files"
)


class AttachmentRejected(ValueError):
    """The file cannot be accepted; the message is shown to the reporter as it is."""


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str

    @property
    def size(self) -> int:
        return len(self.content)


def sniff(data: bytes) -> str | None:
    """The kind of file, from its first bytes: jpeg, png, webp, pdf, zip, text, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if _looks_like_text(data):
        return "text"
    return None


def _looks_like_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def check_batch(sizes: list[int], *, max_files: int = MAX_FILES) -> list[str]:
    problems = []
    if len(sizes) > max_files:
        problems.append(f"You can attach up to {max_files} files; you chose {len(sizes)}")
    return problems


def clean(data: bytes, *, max_bytes: int = MAX_FILE_BYTES, label: str = "The file") -> CleanFile:
    """Return the file without identifying metadata, or raise AttachmentRejected."""
    if len(data) == 0:
        raise AttachmentRejected(f"{label} is empty")
    if len(data) > max_bytes:
        raise AttachmentRejected(
            f"{label} is larger than {max_bytes // (1024 * 1024)} MB; attach a smaller file"
        )
    kind = sniff(data)
    if kind in {"jpeg", "png", "webp"}:
        return clean_image(data, kind, label=label)
    if kind == "pdf":
        return clean_pdf(data, label=label)
    if kind == "zip":
        return clean_office(data, label=label)
    if kind == "text":
        text = data.decode("utf-8-sig")
        return CleanFile(text.encode("utf-8"), "text/plain; charset=utf-8", "txt")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise AttachmentRejected(
            f"{label} is an older Office file (.doc, .xls or .ppt), which cannot be cleaned of "
            "author details. Save it as .docx, .xlsx, .pptx or PDF and attach that instead"
        )
    raise AttachmentRejected(
        f"{label} is not a type we can clean of hidden details. You can attach "
        f"{ALLOWED_DESCRIPTION}"
    )


# ---------------------------------------------------------------------------------------------
# Images

_IMAGE_FORMATS = {
    "jpeg": ("JPEG", "image/jpeg", "jpg"),
    "png": ("PNG", "image/png", "png"),
    "webp": ("WEBP", "image/webp", "webp"),
}


def clean_image(data: bytes, kind: str, *, label: str = "The file") -> CleanFile:
    pil_format, content_type, extension = _IMAGE_FORMATS[kind]
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise AttachmentRejected(f"{label} is too large a picture; attach a smaller one")
            image.seek(0)
            upright = ImageOps.exif_transpose(image)
            has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
            mode = "RGBA" if has_alpha and kind != "jpeg" else "RGB"
            if upright.mode == "L" and not has_alpha:
                mode = "L"
            pixels = upright.convert(mode)
            # A fresh image built from raw pixels carries no info: no EXIF, XMP, ICC or text.
            fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    except AttachmentRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as error:
        raise AttachmentRejected(f"{label} looks like a picture but cannot be read") from error
    output = io.BytesIO()
    options = {"quality": 90} if kind in {"jpeg", "webp"} else {}
    fresh.save(output, format=pil_format, **options)
    return CleanFile(output.getvalue(), content_type, extension)


# ---------------------------------------------------------------------------------------------
# PDF

_PAGE_KEYS_TO_DROP = ("/Metadata", "/PieceInfo", "/Annots", "/AA")


def clean_pdf(data: bytes, *, label: str = "The file") -> CleanFile:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise AttachmentRejected(
                f"{label} is a password-protected PDF, which cannot be cleaned. "
                "Remove the password and attach it again"
            )
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            for key in _PAGE_KEYS_TO_DROP:
                if key in added:
                    del added[NameObject(key)]
        writer.metadata = None  # no document information dictionary at all
        output = io.BytesIO()
        writer.write(output)
    except AttachmentRejected:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise AttachmentRejected(f"{label} looks like a PDF but cannot be read") from error
    return CleanFile(output.getvalue(), "application/pdf", "pdf")


# ---------------------------------------------------------------------------------------------
# Office Open XML

_OFFICE_KINDS = {
    "word/": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>'
)
EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    b'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"></Properties>'
)
_DROPPED_PARTS = re.compile(r"^docProps/(custom\.xml|thumbnail\.[A-Za-z]+)$")
_PERSON_ATTRIBUTES = re.compile(
    rb'\b((?:[A-Za-z0-9]+:)?(?:author|initials|userId|providerId|displayName))="[^"]*"'
)
_AUTHOR_ELEMENTS = re.compile(rb"<author>[^<]*</author>")
_PPT_AUTHOR_NAMES = re.compile(rb'\b(name|initials)="[^"]*"')
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _relationship_to(part: str) -> re.Pattern[bytes]:
    name = re.escape(part.encode())
    return re.compile(rb"<Relationship\b[^>]*Target=\"/?" + name + rb"\"[^>]*/>")


def _override_for(part: str) -> re.Pattern[bytes]:
    name = re.escape(part.encode())
    return re.compile(rb"<Override\b[^>]*PartName=\"/" + name + rb"\"[^>]*/>")


def clean_office(data: bytes, *, label: str = "The file") -> CleanFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise AttachmentRejected(f"{label} looks like an Office file but cannot be read") from error
    names = [entry.filename for entry in entries]
    kind = next((k for k in _OFFICE_KINDS if any(n.startswith(k) for n in names)), None)
    if "[Content_Types].xml" not in names or kind is None:
        raise AttachmentRejected(
            f"{label} is a zip file but not a Word, Excel or PowerPoint document. You can attach "
            f"{ALLOWED_DESCRIPTION}"
        )
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise AttachmentRejected(f"{label} unpacks to too much data to be checked")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise AttachmentRejected(
            f"{label} contains macros, which we do not accept. Save it without macros "
            "(.docx, .xlsx or .pptx) and attach that"
        )
    if any("/embeddings/" in n for n in names):
        raise AttachmentRejected(
            f"{label} contains other documents embedded in it, which cannot be cleaned. "
            "Save a copy without them, or as PDF, and attach that"
        )
    dropped = [n for n in names if _DROPPED_PARTS.match(n)]
    output = io.BytesIO()
    try:
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as cleaned:
            for entry in entries:
                if entry.filename in dropped or entry.is_dir():
                    continue
                content = archive.read(entry)
                content = _clean_part(entry.filename, content, dropped, label)
                info = zipfile.ZipInfo(entry.filename, date_time=_FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                cleaned.writestr(info, content)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise AttachmentRejected(f"{label} looks like an Office file but cannot be read") from error
    content_type, extension = _OFFICE_KINDS[kind]
    return CleanFile(output.getvalue(), content_type, extension)


def _clean_part(name: str, content: bytes, dropped: list[str], label: str) -> bytes:
    if name == "docProps/core.xml":
        return EMPTY_CORE
    if name == "docProps/app.xml":
        return EMPTY_APP
    if name == "[Content_Types].xml":
        for part in dropped:
            content = _override_for(part).sub(b"", content)
        return content
    if name == "_rels/.rels":
        for part in dropped:
            content = _relationship_to(part).sub(b"", content)
        return content
    lower = name.lower()
    if lower.endswith((".jpg", ".jpeg", ".png", ".webp")) and "/media/" in lower:
        kind = sniff(content)
        if kind in _IMAGE_FORMATS:
            return clean_image(content, kind, label=f"A picture inside {label.lower()}").content
        return content
    if lower.endswith(".xml"):
        content = _PERSON_ATTRIBUTES.sub(rb'\1=""', content)
        content = _AUTHOR_ELEMENTS.sub(b"<author></author>", content)
        if lower.endswith("commentauthors.xml"):
            content = _PPT_AUTHOR_NAMES.sub(rb'\1=""', content)
    return content

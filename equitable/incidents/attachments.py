"""Attachments: recognise the file by its content, keep only what is known to be content.

Why: photos carry the phone model and GPS position in EXIF; PDF and Office files carry the
author's name, their organisation, their user folder and edit times, in places a list of
"things to remove" always misses. Those would undo an anonymous report, so every attachment is
rebuilt from what is known to be content (an allow-list) before it is encrypted and stored. What
cannot be rebuilt is refused with a message saying what to do instead (ASVS 5.0 14.2.8, 5.2.2,
5.2.3). Every decompression is bounded first (`equitable.files.limits`).

Accepted (recognised by magic bytes, never by the file name):
* JPEG, PNG, WebP images: decoded and rebuilt from the pixels alone (after turning the picture
  the right way up), so EXIF (camera, GPS, times), XMP, ICC profiles and comments are gone;
  only the first frame of an animated image is kept. At most `MAX_IMAGE_PIXELS` are decoded:
  a larger JPEG is decoded at 1/2, 1/4 or 1/8 scale (up to `MAX_JPEG_PIXELS`), anything larger
  is refused before a pixel is decoded.
* PDF: every page rebuilt from its drawing instructions and the resources they use
  (`pdf_files.py`); pictures inside rebuilt from pixels; nothing else of the document is kept.
* Word, Excel and PowerPoint (docx/xlsx/pptx): the package rebuilt from the parts, elements and
  attributes known to be content (`office_files.py`); pictures inside rebuilt from pixels.
* Plain text (UTF-8): kept as text; it has no hidden metadata.

Pure module: no Django.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from equitable.files.limits import UnsafeFile, check_image_pixels
from equitable.incidents import office_files, pdf_files

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# Decoded pixels per picture: 20 MP is a 24 MP phone photo's 1/2-scale or most cameras' full
# size, and costs at most about 9 bytes a pixel while it is rebuilt (under 200 MB).
MAX_IMAGE_PIXELS = 20_000_000
# A JPEG may declare more: it is decoded at 1/2, 1/4 or 1/8 scale (under Pillow's own bomb limit).
MAX_JPEG_PIXELS = 80_000_000

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
    """Return the file rebuilt from its content only, or raise AttachmentRejected."""
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


def _jpeg_scale(width: int, height: int) -> int:
    """The smallest JPEG decoding scale (1, 2, 4 or 8) that keeps within MAX_IMAGE_PIXELS."""
    for scale in (1, 2, 4, 8):
        if -(-width // scale) * -(-height // scale) <= MAX_IMAGE_PIXELS:
            return scale
    return 0


def rebuild_picture(data: bytes, kind: str) -> bytes:
    """The picture re-encoded from its pixels alone; raises UnsafeFile or the decoders' errors.

    The pixel count is checked on the header before anything is decoded; the pixels are then
    copied into a new image (`Image.new` + `paste`), which has no EXIF, XMP, ICC profile, text
    or comment to carry over, and intermediate copies are released as soon as possible so a
    20 MP picture costs about 9 bytes a pixel at most."""
    pil_format = _IMAGE_FORMATS[kind][0]
    width, height = check_image_pixels(
        data, MAX_JPEG_PIXELS if kind == "jpeg" else MAX_IMAGE_PIXELS
    )
    scale = _jpeg_scale(width, height) if kind == "jpeg" else 1
    if scale == 0:
        raise UnsafeFile(
            f"the picture is {width:,} × {height:,} pixels, too large to check: resize it"
        )
    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)
        if scale > 1:
            image.draft(image.mode, (-(-width // scale), -(-height // scale)))
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
        mode = "RGBA" if has_alpha and kind != "jpeg" else "RGB"
        if image.mode == "L" and not has_alpha:
            mode = "L"
        pixels = image if image.mode == mode else image.convert(mode)
        fresh = Image.new(mode, pixels.size)
        fresh.paste(pixels)
        del pixels
    output = io.BytesIO()
    options = {"quality": 90} if kind in {"jpeg", "webp"} else {}
    fresh.save(output, format=pil_format, **options)
    return output.getvalue()


_PICTURE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
)


def clean_image(data: bytes, kind: str, *, label: str = "The file") -> CleanFile:
    _pil_format, content_type, extension = _IMAGE_FORMATS[kind]
    try:
        content = rebuild_picture(data, kind)
    except UnsafeFile as error:
        raise AttachmentRejected(f"{label} cannot be accepted: {error}") from error
    except _PICTURE_ERRORS as error:
        raise AttachmentRejected(f"{label} looks like a picture but cannot be read") from error
    return CleanFile(content, content_type, extension)


def _embedded_picture(data: bytes, kind: str) -> bytes:
    """For pictures inside PDF and Office files: the sniffed bytes must match the declared kind."""
    if sniff(data) != kind:
        raise UnsafeFile("a picture inside it is not what it says it is")
    try:
        return rebuild_picture(data, kind)
    except UnsafeFile as error:
        raise UnsafeFile(f"a picture inside it cannot be accepted: {error}") from error
    except _PICTURE_ERRORS as error:
        raise UnsafeFile("a picture inside it cannot be read") from error


# ---------------------------------------------------------------------------------------------
# PDF and Office Open XML (the rebuilding is in pdf_files.py and office_files.py)


def clean_pdf(data: bytes, *, label: str = "The file") -> CleanFile:
    try:
        content = pdf_files.clean_pdf(data, lambda jpeg: _embedded_picture(jpeg, "jpeg"))
    except pdf_files.CannotClean as error:
        raise AttachmentRejected(f"{label} {error}") from error
    except UnsafeFile as error:
        raise AttachmentRejected(f"{label} cannot be accepted: {error}") from error
    return CleanFile(content, "application/pdf", "pdf")


def clean_office(data: bytes, *, label: str = "The file") -> CleanFile:
    try:
        content, content_type, extension = office_files.clean_office(data, _embedded_picture)
    except office_files.CannotClean as error:
        raise AttachmentRejected(f"{label} {error}") from error
    except UnsafeFile as error:
        raise AttachmentRejected(f"{label} cannot be accepted: {error}") from error
    return CleanFile(content, content_type, extension)

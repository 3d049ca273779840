"""PDF attachments rebuilt page by page from what is known to be content.

Why rebuild: a PDF keeps identifying details in many places besides its document information:
the XMP metadata stream, page-level metadata and piece info, annotations (with their authors
and dates), attachments, forms, and the EXIF and XMP inside every JPEG drawn on a page. So no
object of the original is carried over as it is. A new file is written with, for each page:

* its boxes (`/MediaBox`, `/CropBox`, `/BleedBox`, `/TrimBox`, `/ArtBox`), `/Rotate`,
  `/UserUnit` and transparency `/Group`, and nothing else of the page dictionary (no
  annotations, actions, metadata, piece info, thumbnails, structure or dates);
* its drawing instructions, parsed and written again (so comments in them are gone); an
  inline picture in JPEG or JPEG 2000 form is refused;
* the resources those instructions use (fonts, colours, patterns, shadings, graphics states,
  pictures and forms), each dictionary copied with only the keys in `_CONTENT_KEYS` (so no
  `/Metadata`, `/PieceInfo`, `/LastModified`, optional-content names or external references);
  marked-content property lists (`/Properties`) are left out; ICC colour profiles (which
  name devices) are replaced by the device colour space with the same number of components;
* every picture decoded and encoded again from its pixels (JPEG for JPEG originals, lossless
  Flate otherwise), with its transparency as a new soft mask; 1-bit stencil masks are copied as
  bitmaps.

Nothing of the document itself is copied: no information dictionary, XMP, outline, names,
JavaScript, attachments, forms or file identifiers.

Bounds: at most `MAX_PAGES` pages; every picture's size is checked before it is decoded
(`MAX_IMAGE_PIXELS` each, `MAX_TOTAL_PIXELS` in all); decoded drawing instructions count
against `MAX_DECODED_BYTES`; pypdf's own per-stream limits apply to every stream.

Pure module: no Django.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from typing import Any

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
)
from pypdf.generic._image_xobject import _xobj_to_image

from equitable.files.limits import UnsafeFile, check_image_pixels, check_pixels

MAX_PAGES = 2000
MAX_IMAGE_PIXELS = 20_000_000
MAX_TOTAL_PIXELS = 200_000_000
MAX_DECODED_BYTES = 300 * 1024 * 1024


class CannotClean(ValueError):
    """The PDF cannot be rebuilt; the message completes "The file …"."""


_PAGE_KEYS = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate", "/UserUnit")
_RESOURCE_KEYS = ("/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading")
# Keys of the dictionaries a page's resources are made of (fonts and their descriptors,
# encodings, CMaps, graphics states, soft masks, shadings, functions, patterns, colour spaces,
# halftones, forms, groups, stencil masks, stream filters). Anything else is left out.
_CONTENT_KEYS = {
    "/" + key
    for key in """
    Type Subtype Length Filter DecodeParms Length1 Length2 Length3
    Name BaseFont FirstChar LastChar Widths FontDescriptor Encoding ToUnicode DescendantFonts
    CIDSystemInfo DW W DW2 W2 CIDToGIDMap FontBBox FontMatrix CharProcs Resources Registry
    Ordering Supplement FontName FontFamily FontStretch FontWeight Flags ItalicAngle Ascent
    Descent Leading CapHeight XHeight StemV StemH AvgWidth MaxWidth MissingWidth FontFile
    FontFile2 FontFile3 CharSet Style Lang FD CIDSet Panose BaseEncoding Differences CMapName
    UseCMap WMode LW LC LJ ML D RI OP op OPM Font BG BG2 UCR UCR2 TR TR2 HT FL SM SA BM SMask
    CA ca AIS TK S G BC ShadingType ColorSpace Background BBox AntiAlias Function Domain Matrix
    Extend Coords BitsPerCoordinate BitsPerComponent BitsPerFlag Decode VerticesPerRow
    FunctionType Range Size BitsPerSample Order Encode C0 C1 N Functions Bounds PatternType
    PaintType TilingType XStep YStep Shading ExtGState WhitePoint BlackPoint Gamma Alternate
    Colorants Process Components MixingHints HalftoneType HalftoneName Frequency Angle
    SpotFunction AccurateScreens TransferFunction Width Height Width2 Height2 Xsquare Ysquare
    Default FormType Group CS I K ImageMask Interpolate Predictor Colors Columns EarlyChange
    EndOfLine EncodedByteAlign Rows EndOfBlock BlackIs1 DamagedRowsBeforeError JBIG2Globals
    ColorTransform
    """.split()
}
_DEVICE_SPACES = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}
_JPEG_FILTERS = {"/DCTDecode", "/DCT"}
_JPEG2000_FILTERS = {"/JPXDecode"}
_INLINE_COMPRESSED_PICTURES = {"/DCTDecode", "/DCT", "/JPXDecode"}


def _filters(stream: DictionaryObject) -> list[str]:
    chain = stream.get("/Filter")
    if chain is None:
        return []
    chain = chain.get_object()
    if isinstance(chain, ArrayObject):
        return [str(f.get_object()) for f in chain]
    return [str(chain)]


def _raw_bytes(stream: StreamObject) -> bytes:
    """The stream's bytes as stored (still encoded): fonts and bitmaps are copied as they are.
    pypdf keeps them in `_data` (pinned version in pyproject.toml)."""
    return stream._data


def _flate_stream(data: bytes, entries: dict[str, Any]) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(zlib.compress(data, 6))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    for key, value in entries.items():
        stream[NameObject(key)] = value
    return stream


class _Rebuilder:
    """Copies what a page uses from the reader into the writer, by the rules above."""

    def __init__(self, reader: PdfReader, writer: PdfWriter, clean_jpeg: Callable[[bytes], bytes]):
        self.reader = reader
        self.writer = writer
        self.clean_jpeg = clean_jpeg
        self.copied: dict[tuple[int, int, str], IndirectObject] = {}
        self.pixels_left = MAX_TOTAL_PIXELS
        self.decoded_left = MAX_DECODED_BYTES

    # -- budgets ---------------------------------------------------------------------------
    def _spend_pixels(self, width: int, height: int) -> None:
        check_pixels(width, height, MAX_IMAGE_PIXELS)
        self.pixels_left -= width * height
        if self.pixels_left < 0:
            raise UnsafeFile(
                f"its pictures hold more than {MAX_TOTAL_PIXELS / 1_000_000:,.0f} megapixels "
                "in all, too many to check: split it or reduce its pictures"
            )

    def _spend_decoded(self, size: int) -> None:
        self.decoded_left -= size
        if self.decoded_left < 0:
            raise UnsafeFile(
                f"its pages unpack to more than {MAX_DECODED_BYTES // (1024 * 1024)} MB of "
                "drawing instructions: it is refused as a possible decompression bomb"
            )

    # -- generic values --------------------------------------------------------------------
    def value(self, item: Any) -> Any:
        if isinstance(item, IndirectObject):
            return self._indirect(item)
        return self._direct(item)

    def _indirect(self, reference: IndirectObject) -> Any:
        target = reference.get_object()
        role = "stream" if isinstance(target, StreamObject) else "other"
        key = (reference.idnum, reference.generation, role)
        if key in self.copied:
            return self.copied[key]
        if isinstance(target, StreamObject):
            copy = self._stream(target)
            if copy is None:
                return NullObject()
            self.copied[key] = self.writer._add_object(copy)
            return self.copied[key]
        if isinstance(target, DictionaryObject | ArrayObject):
            # Reserve the slot first, so a dictionary that refers back to itself terminates.
            placeholder = (
                DictionaryObject() if isinstance(target, DictionaryObject) else ArrayObject()
            )
            self.copied[key] = self.writer._add_object(placeholder)
            filled = self._direct(target)
            if isinstance(placeholder, DictionaryObject):
                placeholder.update(filled)
            else:
                placeholder.extend(filled)
            return self.copied[key]
        return self._direct(target)

    def _direct(self, item: Any) -> Any:
        if isinstance(item, StreamObject):
            # A stream must be indirect: store it as one.
            copy = self._stream(item)
            return NullObject() if copy is None else self.writer._add_object(copy)
        if isinstance(item, DictionaryObject):
            return self._dictionary(item)
        if isinstance(item, ArrayObject):
            first = item[0].get_object() if item else None
            if first == "/ICCBased" and len(item) > 1:
                profile = item[1].get_object()
                components = (
                    int(profile.get("/N", 3)) if isinstance(profile, DictionaryObject) else 3
                )
                return NameObject(_DEVICE_SPACES.get(components, "/DeviceRGB"))
            return ArrayObject(self.value(element) for element in item)
        if isinstance(item, BooleanObject | NumberObject | FloatObject | NameObject | NullObject):
            return item
        return item.clone(self.writer) if hasattr(item, "clone") else item

    def _dictionary(self, source: DictionaryObject) -> DictionaryObject:
        copy = DictionaryObject()
        for key, item in source.items():
            if key not in _CONTENT_KEYS:
                continue
            if key == "/Resources":
                copy[NameObject(key)] = self.resources(item)
            else:
                copy[NameObject(key)] = self.value(item)
        return copy

    def _stream(self, stream: StreamObject) -> StreamObject | None:
        subtype = stream.get("/Subtype")
        if subtype == "/PS":
            return None  # PostScript passed through to printers: not content we can check
        if subtype == "/Image":
            return self.picture(stream)
        if subtype == "/Form" or stream.get("/PatternType") == 1:
            return self._drawing(stream)
        copy = DecodedStreamObject()
        copy.set_data(_raw_bytes(stream))
        copy.update(self._dictionary(stream))
        return copy

    # -- resources and drawings ------------------------------------------------------------
    def resources(self, item: Any) -> DictionaryObject:
        source = item.get_object() if item is not None else None
        copy = DictionaryObject()
        if not isinstance(source, DictionaryObject):
            return copy
        for key in _RESOURCE_KEYS:
            group = source.get(key)
            group = group.get_object() if group is not None else None
            if isinstance(group, DictionaryObject):
                copy[NameObject(key)] = DictionaryObject(
                    {NameObject(name): self.value(entry) for name, entry in group.items()}
                )
        procedures = source.get("/ProcSet")
        if procedures is not None:
            copy[NameObject("/ProcSet")] = self.value(procedures)
        return copy

    def instructions(self, contents: Any) -> bytes:
        """Drawing instructions parsed and written again; refuses inline JPEG pictures."""
        if contents is None:
            return b""
        stream = ContentStream(contents, self.reader)
        self._spend_decoded(len(stream.get_data()))
        for operands, operator in stream.operations:
            if operator == b"INLINE IMAGE":
                settings = operands["settings"]
                chain = settings.get("/F", settings.get("/Filter"))
                names = chain if isinstance(chain, ArrayObject) else [chain]
                if any(str(name) in _INLINE_COMPRESSED_PICTURES for name in names if name):
                    raise CannotClean(
                        "contains a picture in a form we cannot check. Print it to a new PDF "
                        "or attach the pictures separately"
                    )
        return stream.get_data()

    def _drawing(self, stream: StreamObject) -> StreamObject:
        """A form XObject or tiling pattern: its allowed keys, resources and instructions."""
        entries = self._dictionary(stream)
        for key in ("/Filter", "/DecodeParms", "/Length"):
            entries.pop(key, None)
        return _flate_stream(self.instructions(stream), dict(entries))

    # -- pictures ---------------------------------------------------------------------------
    def picture(self, stream: StreamObject) -> StreamObject:
        width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
        self._spend_pixels(width, height)
        if stream.get("/ImageMask"):
            return self._stencil(stream)
        filters = _filters(stream)
        last = filters[-1] if filters else None
        if last in _JPEG_FILTERS:
            jpeg = stream.get_data()
            self._spend_decoded(len(jpeg))
            rebuilt = self.clean_jpeg(jpeg)
            with Image.open(io.BytesIO(rebuilt)) as image:
                mode, size = image.mode, image.size
            copy = DecodedStreamObject()
            copy.set_data(rebuilt)
            copy.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Image"),
                    NameObject("/Width"): NumberObject(size[0]),
                    NameObject("/Height"): NumberObject(size[1]),
                    NameObject("/ColorSpace"): NameObject(
                        "/DeviceGray" if mode == "L" else "/DeviceRGB"
                    ),
                    NameObject("/BitsPerComponent"): NumberObject(8),
                    NameObject("/Filter"): NameObject("/DCTDecode"),
                }
            )
            soft_mask = stream.get("/SMask")
            if soft_mask is not None:
                copy[NameObject("/SMask")] = self._soft_mask(soft_mask.get_object())
            return copy
        if last in _JPEG2000_FILTERS:
            check_image_pixels(stream.get_data(), MAX_IMAGE_PIXELS)
        _extension, _bytes, image = _xobj_to_image(stream)
        return self._from_pixels(image, stream)

    def _soft_mask(self, mask: Any) -> IndirectObject | NullObject:
        if not isinstance(mask, StreamObject):
            return NullObject()
        width, height = int(mask.get("/Width", 0)), int(mask.get("/Height", 0))
        self._spend_pixels(width, height)
        _extension, _bytes, image = _xobj_to_image(mask)
        gray = image.convert("L")
        return self.writer._add_object(self._gray(gray))

    @staticmethod
    def _gray(image: Image.Image) -> DecodedStreamObject:
        return _flate_stream(
            image.tobytes(),
            {
                "/Type": NameObject("/XObject"),
                "/Subtype": NameObject("/Image"),
                "/Width": NumberObject(image.width),
                "/Height": NumberObject(image.height),
                "/ColorSpace": NameObject("/DeviceGray"),
                "/BitsPerComponent": NumberObject(8),
            },
        )

    def _from_pixels(self, image: Image.Image, source: StreamObject) -> DecodedStreamObject:
        alpha = None
        if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
            image = image.convert("RGBA")
            alpha = image.getchannel("A")
        if image.mode == "1":
            space, bits, pixels = "/DeviceGray", 1, image
        elif image.mode in {"L", "I", "I;16", "F"}:
            space, bits, pixels = "/DeviceGray", 8, image.convert("L")
        else:
            space, bits, pixels = "/DeviceRGB", 8, image.convert("RGB")
        copy = _flate_stream(
            pixels.tobytes(),
            {
                "/Type": NameObject("/XObject"),
                "/Subtype": NameObject("/Image"),
                "/Width": NumberObject(pixels.width),
                "/Height": NumberObject(pixels.height),
                "/ColorSpace": NameObject(space),
                "/BitsPerComponent": NumberObject(bits),
            },
        )
        if alpha is not None:
            copy[NameObject("/SMask")] = self.writer._add_object(self._gray(alpha))
        elif source.get("/SMask") is not None:
            copy[NameObject("/SMask")] = self._soft_mask(source["/SMask"].get_object())
        return copy

    def _stencil(self, stream: StreamObject) -> StreamObject:
        if set(_filters(stream)) & (_JPEG_FILTERS | _JPEG2000_FILTERS):
            raise CannotClean("looks like a PDF but cannot be read (a mask is not a bitmap)")
        copy = DecodedStreamObject()
        copy.set_data(_raw_bytes(stream))
        copy.update(self._dictionary(stream))
        return copy

    # -- pages ------------------------------------------------------------------------------
    def page(self, source) -> None:
        page = self.writer.add_blank_page(width=1, height=1)
        for key in _PAGE_KEYS:
            if key in source:
                page[NameObject(key)] = self.value(source[key])
        if "/MediaBox" not in page:
            page[NameObject("/MediaBox")] = self.value(source.mediabox)
        group = source.get("/Group")
        if group is not None:
            page[NameObject("/Group")] = self.value(group)
        page[NameObject("/Resources")] = self.resources(source.get("/Resources"))
        instructions = self.instructions(source.get("/Contents"))
        page[NameObject("/Contents")] = self.writer._add_object(_flate_stream(instructions, {}))


def clean_pdf(data: bytes, clean_jpeg: Callable[[bytes], bytes]) -> bytes:
    """The rebuilt PDF (see the module docstring); raises CannotClean or UnsafeFile.

    `clean_jpeg(data)` returns a JPEG rebuilt from its pixels (checking its size first)."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise CannotClean(
                "is a password-protected PDF, which cannot be cleaned. Remove the password "
                "and attach it again"
            )
        if len(reader.pages) > MAX_PAGES:
            raise CannotClean(f"has more than {MAX_PAGES} pages; split it and attach the parts")
        writer = PdfWriter()
        rebuilder = _Rebuilder(reader, writer, clean_jpeg)
        for page in reader.pages:
            rebuilder.page(page)
        writer.metadata = None  # no document information dictionary at all
        output = io.BytesIO()
        writer.write(output)
    except (CannotClean, UnsafeFile):
        raise
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        zlib.error,
    ) as error:
        raise CannotClean("looks like a PDF but cannot be read") from error
    return output.getvalue()

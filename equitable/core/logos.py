"""Cleaning an organisation's logo before it is stored and shown in every page's header.

Why so strict: the logo is uploaded once by an admin and then served to everyone, including the
anonymous incident reporting pages. A PNG can carry metadata (author, GPS, software) and can
be a decompression bomb; an SVG is a document that can run script (`<script>`, `onload=`,
`javascript:` links), load things from elsewhere (`<image href="https://…">`, `url(…)` in
styles, `<use href="other.svg#x">`) and embed HTML (`<foreignObject>`). So:

- PNG: at most LOGO_MAX_BYTES and LOGO_MAX_PIXELS (read from the header before any pixel is
  decoded, `files.limits.check_image_pixels`), then decoded and written again by Pillow as a
  new PNG, which keeps the pixels and drops every metadata chunk; shrunk to fit
  LOGO_MAX_SIDE.
- SVG: at most LOGO_MAX_BYTES; any DOCTYPE or ENTITY refused (no entity expansion, no external
  entities); parsed, and rebuilt from an allow-list of drawing elements and attributes. What is
  not on the list (script, foreignObject, image, a, animation elements, event handlers, style
  or attributes that reach outside the file) is dropped. The only reference kept is to a
  fragment of the same file (`#id`, `url(#id)`). The result is served with its own strict
  Content-Security-Policy as a second wall (core/admin_views.py, `logo`).

Pure module: no Django.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from equitable.files.limits import UnsafeFile, check_image_pixels

LOGO_MAX_BYTES = 200 * 1024
LOGO_MAX_PIXELS = 4_000_000
MAX_SVG_DEPTH = 64  # a logo needs a few levels; 200 KB of nesting would exhaust the stack
LOGO_MAX_SIDE = 800  # pixels; the header shows it 40 px high, so this is plenty for any screen

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

ALLOWED_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "symbol",
        "use",
        "style",
    }
)

ALLOWED_ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "version",
        "viewBox",
        "preserveAspectRatio",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "d",
        "points",
        "pathLength",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "color",
        "clip-path",
        "clip-rule",
        "clipPathUnits",
        "mask",
        "maskUnits",
        "maskContentUnits",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "letter-spacing",
        "text-anchor",
        "dominant-baseline",
        "dx",
        "dy",
        "display",
        "visibility",
        "style",
        "href",
        "role",
        "aria-label",
        "aria-hidden",
        "focusable",
    }
)

# Anything in a style or attribute value that can reach outside the file or run code.
_DANGEROUS = re.compile(
    r"@import|expression\s*\(|javascript:|vbscript:|data:|behavior\s*:|-moz-binding|\\|<|&",
    re.IGNORECASE,
)
_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_FRAGMENT = re.compile(r"^#[A-Za-z_][\w.\-:]*$")


def clean_logo(data: bytes, filename: str = "") -> tuple[bytes, str]:
    """The logo as it will be stored and its content type; UnsafeFile says why it is refused."""
    if not data:
        raise UnsafeFile("the file is empty")
    if len(data) > LOGO_MAX_BYTES:
        raise UnsafeFile(
            f"the file is {len(data) / 1024:,.0f} KB; a logo may be at most "
            f"{LOGO_MAX_BYTES // 1024} KB"
        )
    if data.startswith(PNG_SIGNATURE):
        return clean_png(data), "image/png"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) or filename.lower().endswith(".svg"):
        return clean_svg(data), "image/svg+xml"
    raise UnsafeFile("the file is not a PNG or SVG picture")


def clean_png(data: bytes) -> bytes:
    """Decode and write again: the same pixels, no metadata chunks, no more than LOGO_MAX_SIDE."""
    from PIL import Image

    check_image_pixels(data, LOGO_MAX_PIXELS)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise UnsafeFile("the file is not a PNG picture")
            image.load()
            mode = "RGBA" if image.mode in {"RGBA", "LA", "P", "PA"} else "RGB"
            pixels = image.convert(mode)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise UnsafeFile(f"the picture cannot be read ({error})") from error
    pixels.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)  # no pnginfo: text and EXIF chunks are gone
    return out.getvalue()


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _safe_value(value: str) -> bool:
    """A value that reaches nothing outside the file: every url(…) is a fragment of this file."""
    if _DANGEROUS.search(value):
        return False
    return all(_FRAGMENT.match(target.strip()) for _, target in _URL.findall(value))


def _clean_element(source: ET.Element, depth: int = 0) -> ET.Element | None:
    if depth > MAX_SVG_DEPTH:
        raise UnsafeFile(f"the SVG nests elements more than {MAX_SVG_DEPTH} deep")
    namespace, local = _local(source.tag)
    if namespace != SVG_NS or local not in ALLOWED_ELEMENTS:
        return None
    element = ET.Element(f"{{{SVG_NS}}}{local}")
    for name, value in source.attrib.items():
        attr_ns, attr = _local(name)
        if attr_ns not in {"", XLINK_NS} or (attr_ns == XLINK_NS and attr != "href"):
            continue
        if attr not in ALLOWED_ATTRIBUTES or attr.lower().startswith("on"):
            continue
        if attr == "href":
            if not _FRAGMENT.match(value.strip()):
                continue  # a link or a reference to another file: dropped
            element.set("href", value.strip())
            continue
        if not _safe_value(value):
            continue
        element.set(attr, value)
    if local == "style":
        css = source.text or ""
        if not _safe_value(css):
            return None
        element.text = css
        return element
    if local in {"title", "desc", "text", "tspan"}:
        element.text = source.text
    for child in source:
        cleaned = _clean_element(child, depth + 1)
        if cleaned is not None:
            if local in {"text", "tspan"}:
                cleaned.tail = child.tail
            element.append(cleaned)
    return element


def clean_svg(data: bytes) -> bytes:
    """Rebuild the SVG from the allow-lists; refuse what cannot be parsed safely."""
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise UnsafeFile("the SVG declares a DOCTYPE or entities, which are not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise UnsafeFile(f"the SVG cannot be read ({error})") from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeFile("the file is not an SVG picture (its outer element is not <svg>)")
    cleaned = _clean_element(root)
    assert cleaned is not None
    if not cleaned.get("viewBox") and not (cleaned.get("width") and cleaned.get("height")):
        raise UnsafeFile("the SVG has no size: give it a viewBox, or a width and a height")
    ET.register_namespace("", SVG_NS)
    return ET.tostring(cleaned, encoding="utf-8", xml_declaration=True)

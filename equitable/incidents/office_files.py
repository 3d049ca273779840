"""Word, Excel and PowerPoint files (Office Open XML) rebuilt from what is known to be content.

Why an allow-list: an Office file is a ZIP of XML parts, and identifying details hide in many
places a deny-list misses: customXml parts (SharePoint's DisplayName of the author),
`x15ac:absPath` (the author's `C:\\Users\\<name>\\…` path), picture `name=`/`descr=` attributes
(the original file name), comment and revision authors and dates, rsids (per-editing-session
identifiers), `w14:paraId`, people.xml, the attached template's path, printer settings, custom
sheet views named after their user. So the package is rebuilt, not scrubbed:

1. Parts. Starting from the package's root, only parts reached through a relationship whose type
   is in `_RELATIONSHIP_TYPES` and whose content type is in `CONTENT_TYPES` are kept (the
   document, styles, numbering, headers and footers, footnotes, comments, worksheets, shared
   strings, slides, layouts, themes, charts, drawings and pictures). Everything else is left
   out: customXml, docProps (written afresh, empty), people, commentsExtended/Ids/Extensible,
   threaded comments and persons, printer settings, web settings, embedded fonts, glossary,
   VBA, ActiveX. Files with macros or embedded documents are refused. Pictures must be JPEG,
   PNG or WebP and are rebuilt from their pixels (a caller-supplied cleaner); other picture
   formats (EMF, WMF, GIF, TIFF …) are refused.
2. Relationships. Each kept part's relationships are rewritten with only those kept. An
   external target is kept only for a hyperlink to http, https or mailto; any other external
   target (a linked picture's or an external workbook's file path) becomes `about:blank`.
3. XML. Each kept XML part is parsed with expat, refusing any DOCTYPE or entity declaration
   (so no entity expansion), and written again: elements and attributes only from the OOXML and
   VML namespaces in `_CONTENT_NAMESPACES` (so `w14:*`, `w15:*`, `x15ac:absPath`, `xr:uid` and
   every other extension go); Markup Compatibility blocks replaced by their fallback; `extLst`
   extension lists, comments and processing instructions dropped; in the settings part only the
   layout settings in `_SETTINGS_CHILDREN`; elements pointing at a relationship that was left
   out dropped; and the attributes that carry a person or a time removed or blanked by name in
   every namespace (`_DROPPED_ATTRIBUTES`, `_BLANKED_ATTRIBUTES`, every `rsid*`), picture
   properties (`cNvPr`, `docPr`) keeping only `id` and `hidden` (their `name` blanked).
4. ZIP. Every member written afresh with a fixed 1980 date, no comments or extra fields.

Decompression is bounded before anything is parsed (`equitable.files.limits.check_zip`).

Pure module: no Django.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

from equitable.files.limits import UnreadableFile, UnsafeFile, ZipBudget, check_zip, read_member

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 2000
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class CannotClean(ValueError):
    """The file cannot be rebuilt safely; the message completes "The file …"."""


# ---------------------------------------------------------------------------------------------
# What is content

_DOC = "application/vnd.openxmlformats-officedocument."
MAIN_TYPES = {
    _DOC + "wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    _DOC + "spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    _DOC + "presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
CONTENT_TYPES = (
    set(MAIN_TYPES)
    | {
        _DOC + f"wordprocessingml.{name}+xml"
        for name in (
            "styles",
            "settings",
            "numbering",
            "fontTable",
            "footnotes",
            "endnotes",
            "header",
            "footer",
            "comments",
        )
    }
    | {
        _DOC + f"spreadsheetml.{name}+xml"
        for name in (
            "worksheet",
            "chartsheet",
            "styles",
            "sharedStrings",
            "comments",
            "table",
            "pivotTable",
            "pivotCacheDefinition",
            "pivotCacheRecords",
            "externalLink",
        )
    }
    | {
        _DOC + f"presentationml.{name}+xml"
        for name in (
            "slide",
            "slideLayout",
            "slideMaster",
            "notesSlide",
            "notesMaster",
            "handoutMaster",
            "presProps",
            "tableStyles",
        )
    }
    | {
        _DOC + "theme+xml",
        _DOC + "themeOverride+xml",
        _DOC + "drawing+xml",
        _DOC + "drawingml.chart+xml",
        _DOC + "drawingml.chartshapes+xml",
        _DOC + "vmlDrawing",
    }
)
PICTURE_TYPES = {"image/jpeg", "image/jpg", "image/png", "image/webp"}
_MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    "application/vnd.ms-office.vbaProject",
}
_EMBEDDED_TYPES = {
    _DOC + "oleObject",
    "application/vnd.ms-office.activeX+xml",
    "application/vnd.ms-office.activeX",
}

_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RELATIONSHIP_TYPES = {
    _RELS + name
    for name in (
        "officeDocument",
        "styles",
        "settings",
        "numbering",
        "fontTable",
        "footnotes",
        "endnotes",
        "header",
        "footer",
        "comments",
        "theme",
        "themeOverride",
        "image",
        "hyperlink",
        "worksheet",
        "chartsheet",
        "sharedStrings",
        "table",
        "pivotTable",
        "pivotCacheDefinition",
        "pivotCacheRecords",
        "externalLink",
        "externalLinkPath",
        "drawing",
        "chart",
        "chartUserShapes",
        "vmlDrawing",
        "slide",
        "slideLayout",
        "slideMaster",
        "notesSlide",
        "notesMaster",
        "handoutMaster",
        "presProps",
        "tableStyles",
    )
}
_HYPERLINK = _RELS + "hyperlink"
_WEB_SCHEMES = {"http", "https", "mailto"}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_XML = "http://www.w3.org/XML/1998/namespace"
_VML = "urn:schemas-microsoft-com:vml"
_VML_OFFICE = "urn:schemas-microsoft-com:office:office"
_CONTENT_NAMESPACES = {
    _W,
    _M,
    _S,
    _P,
    _R,
    _XML,
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "http://schemas.openxmlformats.org/drawingml/2006/chartDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    _VML,
    _VML_OFFICE,
    "urn:schemas-microsoft-com:office:word",
    "urn:schemas-microsoft-com:office:excel",
    "urn:schemas-microsoft-com:office:powerpoint",
}

# Word settings kept: layout and compatibility only (not rsids, the attached template's path,
# document variables, mail-merge sources, protection hashes or document ids).
_SETTINGS_CHILDREN = {
    (_W, name)
    for name in (
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "mirrorMargins",
        "alignBordersAndEdges",
        "bordersDoNotSurroundHeader",
        "bordersDoNotSurroundFooter",
        "gutterAtTop",
        "hideSpellingErrors",
        "hideGrammaticalErrors",
        "proofState",
        "trackRevisions",
        "doNotTrackMoves",
        "doNotTrackFormatting",
        "defaultTabStop",
        "autoHyphenation",
        "consecutiveHyphenLimit",
        "hyphenationZone",
        "doNotHyphenateCaps",
        "defaultTableStyle",
        "evenAndOddHeaders",
        "bookFoldRevPrinting",
        "bookFoldPrinting",
        "bookFoldPrintingSheets",
        "drawingGridHorizontalSpacing",
        "drawingGridVerticalSpacing",
        "displayHorizontalDrawingGridEvery",
        "displayVerticalDrawingGridEvery",
        "doNotUseMarginsForDrawingGridOrigin",
        "drawingGridHorizontalOrigin",
        "drawingGridVerticalOrigin",
        "doNotShadeFormData",
        "noPunctuationKerning",
        "characterSpacingControl",
        "printTwoOnOne",
        "strictFirstAndLastChars",
        "noLineBreaksAfter",
        "noLineBreaksBefore",
        "updateFields",
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotAutoCompressPictures",
        "shapeDefaults",
        "decimalSymbol",
        "listSeparator",
    )
} | {(_M, "mathPr")}
# Elements dropped with everything inside them wherever they appear.
_DROPPED_ELEMENTS = {
    (_W, "rsids"),
    (_W, "docVars"),
    (_W, "attachedTemplate"),
    (_W, "mailMerge"),
    (_W, "dataBinding"),
    (_S, "customWorkbookViews"),
    (_S, "customSheetViews"),
    (_S, "protectedRanges"),
    (_S, "webPublishObjects"),
    (_S, "smartTags"),
    (_P, "custDataLst"),
}
# Attributes that name a person or a moment, in any namespace: removed, or (when the schema
# requires them) blanked. Also every attribute whose name starts with "rsid".
_DROPPED_ATTRIBUTES = {
    "initials",
    "date",
    "dateUtc",
    "userId",
    "providerId",
    "userName",
    "refreshedBy",
    "refreshedDate",
    "refreshedDateIso",
    "ed",
    "securityDescriptor",
    "descr",
    "title",
    "alt",
    "href",
    "src",
    "gfxdata",
}
_BLANKED_ATTRIBUTES = {"author"}
_PICTURE_PROPERTIES = {"cNvPr", "docPr"}
_PICTURE_PROPERTY_ATTRIBUTES = {"id", "hidden"}
_BLANKED_TEXT_ELEMENTS = {(_S, "author")}


# ---------------------------------------------------------------------------------------------
# The package


@dataclass
class _Relationship:
    id: str
    type: str
    target: str
    external: bool
    part: str | None  # the part it points to (internal only)


@dataclass
class _Package:
    archive: zipfile.ZipFile
    sizes: dict[str, int]
    overrides: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def content_type(self, part: str) -> str | None:
        if part in self.overrides:
            return self.overrides[part]
        extension = part.rsplit(".", 1)[-1].lower() if "." in part else ""
        return self.defaults.get(extension)

    def read(self, part: str) -> bytes:
        return read_member(self.archive, part, self.sizes[part])


def _parse_simple(content: bytes) -> list[tuple[str, dict[str, str]]]:
    """(local element name, attributes) of every element of a small XML part (content types,
    relationships), with DOCTYPEs and entities refused."""
    elements: list[tuple[str, dict[str, str]]] = []
    parser = _safe_parser(namespaces=True)
    parser.StartElementHandler = lambda name, attributes: elements.append(
        (name.rsplit(" ", 1)[-1], attributes)
    )
    _parse(parser, content)
    return elements


def _relationships(package: _Package, source: str) -> list[_Relationship]:
    """The relationships of `source` ("" for the package root)."""
    folder, name = posixpath.split(source)
    rels = posixpath.join(folder, "_rels", name + ".rels") if source else "_rels/.rels"
    if rels not in package.sizes:
        return []
    found = []
    for element, attributes in _parse_simple(package.read(rels)):
        if element != "Relationship":
            continue
        target = attributes.get("Target", "")
        external = attributes.get("TargetMode") == "External"
        part = None
        if not external:
            # Part names may be stored percent-encoded or not: take whichever the file holds.
            for path in (target, unquote(target)):
                candidate = (
                    path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
                )
                part = posixpath.normpath(candidate)
                if part in package.sizes:
                    break
        found.append(
            _Relationship(
                attributes.get("Id", ""), attributes.get("Type", ""), target, external, part
            )
        )
    return found


def _open_package(data: bytes) -> _Package:
    try:
        sizes = check_zip(
            data, ZipBudget(max_unpacked_bytes=MAX_UNPACKED_BYTES, max_entries=MAX_ENTRIES)
        )
    except UnreadableFile as error:
        raise CannotClean(f"looks like an Office file but cannot be read ({error})") from error
    except UnsafeFile as error:
        raise CannotClean(f"cannot be accepted: {error}") from error
    package = _Package(zipfile.ZipFile(io.BytesIO(data)), sizes)
    if "[Content_Types].xml" not in sizes:
        raise CannotClean("is a zip file but not a Word, Excel or PowerPoint document")
    for element, attributes in _parse_simple(package.read("[Content_Types].xml")):
        if element == "Override":
            package.overrides[attributes.get("PartName", "").lstrip("/")] = attributes.get(
                "ContentType", ""
            )
        elif element == "Default":
            package.defaults[attributes.get("Extension", "").lower()] = attributes.get(
                "ContentType", ""
            )
    return package


def _refuse_what_cannot_be_cleaned(package: _Package) -> None:
    types = {package.content_type(name) for name in package.sizes}
    names = [name.lower() for name in package.sizes]
    if types & _MACRO_TYPES or any(name.endswith("vbaproject.bin") for name in names):
        raise CannotClean(
            "contains macros, which we do not accept. Save it without macros (.docx, .xlsx "
            "or .pptx) and attach that"
        )
    if types & _EMBEDDED_TYPES or any("/embeddings/" in name for name in names):
        raise CannotClean(
            "contains other documents embedded in it, which cannot be cleaned. Save a copy "
            "without them, or as PDF, and attach that"
        )


@dataclass
class _Plan:
    """Which parts are kept, and each kept part's kept relationships."""

    main: str
    kept: dict[str, str] = field(default_factory=dict)  # part -> content type
    relationships: dict[str, list[_Relationship]] = field(default_factory=dict)
    # Pictures in formats that cannot be cleaned, by source part: {relationship id: type}.
    unclean_pictures: dict[str, dict[str, str]] = field(default_factory=dict)


def _plan(package: _Package) -> _Plan:
    roots = [
        r
        for r in _relationships(package, "")
        if r.type == _RELS + "officeDocument" and not r.external
    ]
    if not roots or roots[0].part not in package.sizes:
        raise CannotClean("is a zip file but not a Word, Excel or PowerPoint document")
    main = roots[0].part
    assert main is not None
    main_type = package.content_type(main) or ""
    if main_type not in MAIN_TYPES:
        raise CannotClean(
            "is not a Word, Excel or PowerPoint document we can clean (only .docx, .xlsx and "
            ".pptx are accepted). Save it as one of those, or as PDF, and attach that"
        )
    plan = _Plan(main=main, kept={main: main_type})
    queue = [main]
    while queue:
        source = queue.pop()
        kept_relationships = []
        unclean: dict[str, str] = {}
        for relationship in _relationships(package, source):
            if relationship.type not in _RELATIONSHIP_TYPES:
                continue
            if relationship.external:
                kept_relationships.append(relationship)
                continue
            part = relationship.part
            content_type = package.content_type(part) if part in package.sizes else None
            if part is None or content_type is None:
                continue
            if content_type in PICTURE_TYPES:
                kept_relationships.append(relationship)
                plan.kept[part] = content_type
                continue
            if content_type.startswith("image/"):
                # Left out; refused later only if the content really shows it (an SVG beside
                # its PNG in an extension list is not shown by anything we keep).
                unclean[relationship.id] = content_type
                continue
            if content_type not in CONTENT_TYPES:
                continue
            kept_relationships.append(relationship)
            if part not in plan.kept:
                plan.kept[part] = content_type
                queue.append(part)
        plan.relationships[source] = kept_relationships
        plan.unclean_pictures[source] = unclean
    return plan


# ---------------------------------------------------------------------------------------------
# XML


def _safe_parser(*, namespaces: bool) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ") if namespaces else expat.ParserCreate()

    def refuse(*_args):
        raise CannotClean("contains XML declarations we do not accept (a DOCTYPE or entities)")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _parse(parser: expat.XMLParserType, content: bytes) -> None:
    try:
        parser.Parse(content, True)
    except expat.ExpatError as error:
        raise CannotClean(f"looks like an Office file but cannot be read ({error})") from error


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return (
        _escape_text(value)
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


@dataclass
class _Frame:
    key: tuple[str, str]
    qname: str
    emitted: bool
    blank_text: bool = False


class _Rewriter:
    """Streams one XML part through the rules of the module docstring (step 3)."""

    def __init__(self, kept_ids: set[str], is_settings: bool):
        self.kept_ids = kept_ids
        self.is_settings = is_settings
        self.out: list[str] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n']
        self.scopes: list[dict[str, str]] = [{"xml": _XML}]
        self.declared: list[dict[str, str]] = [{"xml": _XML}]
        self.frames: list[_Frame] = []
        self.skipping = 0
        self.open_tag = False
        self.missing_references: set[str] = set()

    # -- parsing helpers --------------------------------------------------------------------
    @staticmethod
    def _split(qname: str) -> tuple[str, str]:
        return tuple(qname.split(":", 1)) if ":" in qname else ("", qname)  # type: ignore[return-value]

    def _resolve(self, qname: str, scope: dict[str, str], *, element: bool) -> tuple[str, str]:
        prefix, local = self._split(qname)
        if not prefix and not element:
            return "", local
        if prefix not in scope:
            if not prefix:
                return "", local
            raise CannotClean("looks like an Office file but cannot be read (unknown prefix)")
        return scope[prefix], local

    def _close_open_tag(self) -> None:
        if self.open_tag:
            self.out.append(">")
            self.open_tag = False

    # -- decisions --------------------------------------------------------------------------
    def _element_verdict(self, key: tuple[str, str]) -> str:
        """keep, drop (with its subtree) or unwrap (leave out the tag, keep its children)."""
        uri, local = key
        if not self.frames and key == ("", "xml"):
            return "keep"  # the root of a VML drawing part has no namespace
        if uri == _MC:
            return "unwrap" if local in {"AlternateContent", "Fallback"} else "drop"
        if uri not in _CONTENT_NAMESPACES or local == "extLst" or key in _DROPPED_ELEMENTS:
            return "drop"
        parent = next((f.key for f in reversed(self.frames) if f.emitted), None)
        if self.is_settings and parent == (_W, "settings") and key not in _SETTINGS_CHILDREN:
            return "drop"
        return "keep"

    def _attribute_value(self, element_local: str, uri: str, local: str, value: str) -> str | None:
        if uri and uri not in _CONTENT_NAMESPACES:
            return None
        if local.startswith("rsid") or local in _DROPPED_ATTRIBUTES:
            return None
        if element_local in _PICTURE_PROPERTIES:
            if local == "name":
                return ""
            return value if local in _PICTURE_PROPERTY_ATTRIBUTES else None
        if local in _BLANKED_ATTRIBUTES:
            return ""
        return value

    # -- expat handlers ---------------------------------------------------------------------
    def start(self, qname: str, attributes: list[str]) -> None:
        if self.skipping:
            self.skipping += 1
            return
        pairs = list(zip(attributes[::2], attributes[1::2], strict=True))
        declarations = {
            (name.split(":", 1)[1] if ":" in name else ""): value
            for name, value in pairs
            if name == "xmlns" or name.startswith("xmlns:")
        }
        scope = {**self.scopes[-1], **declarations}
        key = self._resolve(qname, scope, element=True)
        verdict = self._element_verdict(key)
        if not self.frames and verdict != "keep":
            raise CannotClean(
                "is not a Word, Excel or PowerPoint document we can clean (it may be saved as "
                "Strict Open XML). Save it as an ordinary .docx, .xlsx or .pptx, or as PDF"
            )
        kept: list[tuple[str, str]] = []
        for name, value in pairs:
            if name == "xmlns" or name.startswith("xmlns:"):
                continue
            attribute_uri, attribute_local = self._resolve(name, scope, element=False)
            points_at_relationship = attribute_uri == _R or (
                attribute_uri == _VML_OFFICE and attribute_local == "relid"
            )
            if points_at_relationship and value not in self.kept_ids:
                if verdict != "drop":
                    self.missing_references.add(value)
                verdict = "drop"
                break
            if attribute_uri == _MC:
                continue
            cleaned = self._attribute_value(key[1], attribute_uri, attribute_local, value)
            if cleaned is not None:
                kept.append((name, cleaned))
        if verdict == "drop":
            self.skipping = 1
            return
        self.scopes.append(scope)
        if verdict == "unwrap":
            self.declared.append(self.declared[-1])
            self.frames.append(_Frame(key, qname, emitted=False))
            return
        self._close_open_tag()
        declared = dict(self.declared[-1])
        parts = [f"<{qname}"]
        for prefix, uri in declarations.items():
            parts.append(f' {"xmlns:" + prefix if prefix else "xmlns"}="{_escape_attribute(uri)}"')
            declared[prefix] = uri
        needed = {self._split(qname)[0]} | {
            name.split(":", 1)[0] for name, _ in kept if ":" in name
        }
        for prefix in sorted(needed - {"xml"}):
            if prefix in scope and declared.get(prefix) != scope[prefix]:
                attribute = f"xmlns:{prefix}" if prefix else "xmlns"
                parts.append(f' {attribute}="{_escape_attribute(scope[prefix])}"')
                declared[prefix] = scope[prefix]
        parts += [f' {name}="{_escape_attribute(value)}"' for name, value in kept]
        self.out.append("".join(parts))
        self.open_tag = True
        self.declared.append(declared)
        self.frames.append(
            _Frame(key, qname, emitted=True, blank_text=key in _BLANKED_TEXT_ELEMENTS)
        )

    def end(self, _qname: str) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        frame = self.frames.pop()
        self.scopes.pop()
        self.declared.pop()
        if not frame.emitted:
            return
        if self.open_tag:
            self.out.append("/>")
            self.open_tag = False
        else:
            self.out.append(f"</{frame.qname}>")

    def text(self, data: str) -> None:
        if self.skipping or not self.frames:
            return
        if any(f.blank_text for f in self.frames):
            return
        self._close_open_tag()
        self.out.append(_escape_text(data))

    def result(self) -> bytes:
        return "".join(self.out).encode("utf-8")


def clean_xml(
    content: bytes, kept_ids: set[str], *, is_settings: bool = False
) -> tuple[bytes, set[str]]:
    """One XML part rewritten by the rules of the module docstring (step 3), and the ids of
    the left-out relationships that a kept element pointed at (those elements are dropped)."""
    rewriter = _Rewriter(kept_ids, is_settings)
    parser = _safe_parser(namespaces=False)
    parser.ordered_attributes = True
    parser.buffer_text = True
    parser.StartElementHandler = rewriter.start
    parser.EndElementHandler = rewriter.end
    parser.CharacterDataHandler = rewriter.text
    _parse(parser, content)
    return rewriter.result(), rewriter.missing_references


# ---------------------------------------------------------------------------------------------
# Writing the package

_CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_APP_TYPE = _DOC + "extended-properties+xml"
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


def _relationships_xml(relationships: list[tuple[str, str, str, bool]]) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<Relationships xmlns="{_PACKAGE_RELS}">',
    ]
    for identifier, kind, target, external in relationships:
        mode = ' TargetMode="External"' if external else ""
        lines.append(
            f'<Relationship Id="{_escape_attribute(identifier)}" Type="{_escape_attribute(kind)}"'
            f' Target="{_escape_attribute(target)}"{mode}/>'
        )
    lines.append("</Relationships>")
    return "".join(lines).encode("utf-8")


def _external_target(relationship: _Relationship) -> str:
    if relationship.type == _HYPERLINK and urlsplit(relationship.target).scheme.lower() in (
        _WEB_SCHEMES
    ):
        return relationship.target
    return "about:blank"


def _content_types_xml(parts: dict[str, str]) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
    ]
    for part, content_type in sorted(parts.items()):
        lines.append(
            f'<Override PartName="/{_escape_attribute(part)}" '
            f'ContentType="{_escape_attribute(content_type)}"/>'
        )
    lines.append("</Types>")
    return "".join(lines).encode("utf-8")


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


_PICTURE_KINDS = {
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/png": "png",
    "image/webp": "webp",
}
_CANONICAL = {"image/jpg": "image/jpeg"}


def clean_office(
    data: bytes, clean_picture: Callable[[bytes, str], bytes]
) -> tuple[bytes, str, str]:
    """The rebuilt file, its content type and extension; raises CannotClean.

    `clean_picture(data, kind)` returns a JPEG/PNG/WebP picture rebuilt from its pixels (kind
    "jpeg", "png" or "webp", as sniffed by the caller from the bytes)."""
    package = _open_package(data)
    _refuse_what_cannot_be_cleaned(package)
    plan = _plan(package)
    content_type, extension = MAIN_TYPES[plan.kept[plan.main]]
    members: dict[str, bytes] = {}
    for part, part_type in plan.kept.items():
        raw = package.read(part)
        if part_type in PICTURE_TYPES:
            members[part] = clean_picture(raw, _PICTURE_KINDS[part_type])
            continue
        kept_ids = {r.id for r in plan.relationships.get(part, [])}
        members[part], missing = clean_xml(
            raw, kept_ids, is_settings=part_type.endswith("wordprocessingml.settings+xml")
        )
        shown_unclean = sorted(
            content_type
            for identifier, content_type in plan.unclean_pictures.get(part, {}).items()
            if identifier in missing
        )
        if shown_unclean:
            raise CannotClean(
                f"contains a picture in a format that cannot be cleaned ({shown_unclean[0]}). "
                "Save the pictures as JPEG or PNG, or save the file as PDF, and attach that"
            )
        if plan.relationships.get(part):
            members[_rels_name(part)] = _relationships_xml(
                [
                    (r.id, r.type, _external_target(r) if r.external else r.target, r.external)
                    for r in plan.relationships[part]
                ]
            )
    types = {part: _CANONICAL.get(kind, kind) for part, kind in plan.kept.items()}
    members["docProps/core.xml"] = EMPTY_CORE
    members["docProps/app.xml"] = EMPTY_APP
    types["docProps/core.xml"] = _CORE_TYPE
    types["docProps/app.xml"] = _APP_TYPE
    members["_rels/.rels"] = _relationships_xml(
        [
            ("rId1", _RELS + "officeDocument", plan.main, False),
            ("rId2", _PACKAGE_RELS + "/metadata/core-properties", "docProps/core.xml", False),
            ("rId3", _RELS + "extended-properties", "docProps/app.xml", False),
        ]
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as cleaned:
        ordered = ["[Content_Types].xml", "_rels/.rels", *sorted(set(members) - {"_rels/.rels"})]
        members["[Content_Types].xml"] = _content_types_xml(types)
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            cleaned.writestr(info, members[name])
    return output.getvalue(), content_type, extension

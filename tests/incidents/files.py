"""Test files that carry identifying metadata, built in code (no binary fixtures)."""

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter

AUTHOR = "Jane Whistle"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = AUTHOR  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to show upright
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif, comment=AUTHOR.encode())
    return output.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", AUTHOR)
    output = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": AUTHOR, "/Creator": "Council Laptop 42"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


CORE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy></cp:coreProperties>"""
APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>Council of Jane Whistle</Company></Properties>"""
CUSTOM = (
    f"""<?xml version="1.0"?><Properties><property name="Owner">{AUTHOR}</property></Properties>"""
)
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>"""
DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:ins w:id="1" w:author="{AUTHOR}"><w:r><w:t>What happened on Tuesday</w:t></w:r></w:ins></w:p></w:body></w:document>"""


def docx_with_author(extra: dict[str, bytes] | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("docProps/core.xml", CORE)
        archive.writestr("docProps/app.xml", APP)
        archive.writestr("docProps/custom.xml", CUSTOM)
        archive.writestr("word/document.xml", DOCUMENT)
        archive.writestr("word/media/image1.jpeg", jpeg_with_exif())
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return output.getvalue()


# ---------------------------------------------------------------------------------------------
# Files carrying every leak named in issue 12, built the way Word, Excel, PowerPoint and PDF
# writers lay them out. Each identifying value is listed in LEAKS; none may survive cleaning.

USER_FOLDER = "C:\\Users\\jwhistle\\Documents\\Evidence"
EMAIL = "jane.whistle@council.example"
EDIT_TIME = "2026-03-04T10:31:00Z"
RSID = "00A1B2C3"
PARA_ID = "1A2B3C4D"
PICTURE_NAME = "IMG_20260304_jwhistle.jpg"
LEAKS = [
    AUTHOR,
    "jwhistle",
    "Whistle",
    EMAIL,
    "2026-03-04",
    "20260304",
    RSID,
    PARA_ID,
    "PhoneMaker",
    "Council Laptop",
    "Users\\",
    "Users/",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def jpeg_with_exif_and_xmp(colour=(200, 30, 30), size=(40, 30)) -> bytes:
    """A JPEG with EXIF (artist, camera, GPS), an XMP packet and a comment naming the author."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x013B] = AUTHOR
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2026:03:04 10:31:00"  # DateTime
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif, comment=AUTHOR.encode(), quality=95)
    jpeg = output.getvalue()
    xmp = (
        b"http://ns.adobe.com/xap/1.0/\x00"
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2026-03-04T10:31:00">'
        b"<dc:creator>" + AUTHOR.encode() + b"</dc:creator></rdf:Description></rdf:RDF>"
        b"</x:xmpmeta>"
    )
    segment = b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp
    return jpeg[:2] + segment + jpeg[2:]


def _zip(parts: dict[str, str | bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 4, 10, 31, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.comment = AUTHOR.encode()
            archive.writestr(info, content)
        archive.comment = f"saved by {AUTHOR}".encode()
    return output.getvalue()


def _overrides(types: dict[str, str]) -> str:
    return "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in types.items())


def _rels(relationships: list[tuple[str, str, str] | tuple[str, str, str, str]]) -> str:
    items = []
    for relationship in relationships:
        identifier, kind, target = relationship[:3]
        mode = f' TargetMode="{relationship[3]}"' if len(relationship) > 3 else ""
        items.append(f'<Relationship Id="{identifier}" Type="{kind}" Target="{target}"{mode}/>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(items)
        + "</Relationships>"
    )


OOXML = "application/vnd.openxmlformats-officedocument."


def leaky_docx() -> bytes:
    """A Word document with every leak of issue 12 section 2: customXml (SharePoint's
    DisplayName), picture name= and descr=, single-quoted w:author='…', comment and revision
    authors and dates, rsids, w14:paraId, people.xml, the attached template's path, document
    variables, core/app/custom properties and an EXIF+XMP photo."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:mc="{MC_NS}" '
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="w14">'
        f'<w:body><w:p w14:paraId="{PARA_ID}" w14:textId="77777777" w:rsidR="{RSID}" '
        f'w:rsidRDefault="{RSID}"><w:r w:rsidRPr="{RSID}"><w:t xml:space="preserve">'
        "What happened on Tuesday </w:t></w:r>"
        f"<w:ins w:id='1' w:author='{AUTHOR}' w:date='{EDIT_TIME}'><w:r><w:t>in the lift</w:t>"
        "</w:r></w:ins>"
        f'<w:del w:id="2" w:author="{AUTHOR}" w:date="{EDIT_TIME}"><w:r><w:delText>x'
        "</w:delText></w:r></w:del>"
        '<w:commentRangeStart w:id="3"/><w:r><w:t>see note</w:t></w:r>'
        '<w:commentRangeEnd w:id="3"/><w:r><w:commentReference w:id="3"/></w:r></w:p>'
        "<w:p><w:r><w:drawing><wp:inline>"
        '<wp:extent cx="400000" cy="300000"/>'
        f'<wp:docPr id="1" name="{PICTURE_NAME}" descr="{USER_FOLDER}\\{PICTURE_NAME}" '
        f'title="{AUTHOR}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
        'picture"><pic:pic><pic:nvPicPr>'
        f'<pic:cNvPr id="0" name="{PICTURE_NAME}" descr="Taken by {AUTHOR}"/>'
        "<pic:cNvPicPr/></pic:nvPicPr>"
        '<pic:blipFill><a:blip r:embed="rIdImage"><a:extLst><a:ext uri="{28A0092B-C50C-407E-'
        'A947-70E740481C1C}"><a14:useLocalDpi xmlns:a14="http://schemas.microsoft.com/office/'
        'drawing/2010/main" val="0"/></a:ext></a:extLst></a:blip></pic:blipFill>'
        "<pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp>'
        f"<wps:txbx><w:txbxContent><w:p><w:r><w:t>{AUTHOR} box</w:t></w:r></w:p>"
        "</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        f'<v:shape id="box" alt="{AUTHOR}"><v:textbox><w:txbxContent><w:p><w:r>'
        "<w:t>Box text</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
        '<w:p><w:customXml w:uri="x" w:element="y"><w:r><w:t>kept text</w:t></w:r></w:customXml>'
        "</w:p>"
        f'<w:sectPr w:rsidR="{RSID}"><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
        "</w:body></w:document>"
    )
    comments = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:comments xmlns:w="{W_NS}" '
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
        f'<w:comment w:id="3" w:author="{AUTHOR}" w:date="{EDIT_TIME}" w:initials="JW">'
        f'<w:p w14:paraId="{PARA_ID}"><w:r><w:t>Check the rota</w:t></w:r></w:p></w:comment>'
        "</w:comments>"
    )
    people = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        f'<w15:person w15:author="{AUTHOR}"><w15:presenceInfo w15:providerId="AD" '
        f'w15:userId="S::{EMAIL}::0f1e"/></w15:person></w15:people>'
    )
    settings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:settings xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
        'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        '<w:zoom w:percent="100"/><w:attachedTemplate r:id="rIdTemplate"/>'
        '<w:defaultTabStop w:val="720"/>'
        f'<w:docVars><w:docVar w:name="owner" w:val="{AUTHOR}"/></w:docVars>'
        f'<w:rsids><w:rsidRoot w:val="{RSID}"/><w:rsid w:val="{RSID}"/></w:rsids>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w15:docId w15:val="{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"/></w:settings>'
    )
    custom_xml = (
        '<?xml version="1.0" encoding="utf-8"?><p:properties xmlns:p="http://schemas.microsoft'
        '.com/office/2006/metadata/properties"><documentManagement><Owner xmlns="http://x">'
        f"<UserInfo><DisplayName>{AUTHOR}</DisplayName><AccountId>12</AccountId></UserInfo>"
        "</Owner></documentManagement></p:properties>"
    )
    types = {
        "word/document.xml": OOXML + "wordprocessingml.document.main+xml",
        "word/comments.xml": OOXML + "wordprocessingml.comments+xml",
        "word/settings.xml": OOXML + "wordprocessingml.settings+xml",
        "word/people.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
        "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "docProps/app.xml": OOXML + "extended-properties+xml",
        "docProps/custom.xml": OOXML + "custom-properties+xml",
        "customXml/itemProps1.xml": OOXML + "customXmlProperties+xml",
    }
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas'
        '.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType='
        '"application/xml"/><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="jpeg" ContentType='
        '"image/jpeg"/>' + _overrides(types) + "</Types>"
    )
    return _zip(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": _rels(
                [
                    ("rId1", REL + "officeDocument", "word/document.xml"),
                    (
                        "rId2",
                        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                        "core-properties",
                        "docProps/core.xml",
                    ),
                    ("rId3", REL + "extended-properties", "docProps/app.xml"),
                    ("rId4", REL + "custom-properties", "docProps/custom.xml"),
                ]
            ),
            "word/_rels/document.xml.rels": _rels(
                [
                    ("rIdImage", REL + "image", "media/image1.jpeg"),
                    ("rIdComments", REL + "comments", "comments.xml"),
                    ("rIdSettings", REL + "settings", "settings.xml"),
                    (
                        "rIdPeople",
                        "http://schemas.microsoft.com/office/2011/relationships/people",
                        "people.xml",
                    ),
                    ("rIdCustom", REL + "customXml", "../customXml/item1.xml"),
                ]
            ),
            "word/_rels/settings.xml.rels": _rels(
                [
                    (
                        "rIdTemplate",
                        REL + "attachedTemplate",
                        "file:///C:/Users/jwhistle/AppData/Roaming/Microsoft/Templates/Normal.dotm",
                        "External",
                    )
                ]
            ),
            "word/document.xml": document,
            "word/comments.xml": comments,
            "word/settings.xml": settings,
            "word/people.xml": people,
            "word/media/image1.jpeg": jpeg_with_exif_and_xmp(),
            "customXml/item1.xml": custom_xml,
            "customXml/itemProps1.xml": (
                '<?xml version="1.0"?><ds:datastoreItem ds:itemID="{1}" xmlns:ds="http://schemas'
                f'.openxmlformats.org/officeDocument/2006/customXml"><owner>{AUTHOR}</owner>'
                "</ds:datastoreItem>"
            ),
            "customXml/_rels/item1.xml.rels": _rels(
                [("rId1", REL + "customXmlProps", "itemProps1.xml")]
            ),
            "docProps/core.xml": CORE,
            "docProps/app.xml": APP,
            "docProps/custom.xml": CUSTOM,
        }
    )


def leaky_xlsx() -> bytes:
    """A workbook saved by openpyxl with a cell comment by the author, then given what Excel
    writes: x15ac:absPath (the author's folder), fileSharing userName, a custom view named after
    the user, xr revision ids, a persons part, printer settings, and dated core properties."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    book = Workbook()
    book.properties.creator = AUTHOR
    book.properties.lastModifiedBy = AUTHOR
    sheet = book.active
    sheet["A1"] = "rota"
    sheet["B2"] = 42
    sheet["A1"].comment = Comment("Check with HR", AUTHOR)
    output = io.BytesIO()
    book.save(output)
    source = zipfile.ZipFile(io.BytesIO(output.getvalue()))
    parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    workbook = parts["xl/workbook.xml"].decode()
    workbook = workbook.replace(
        "<workbookPr",
        f'<fileSharing userName="{AUTHOR}"/>'
        f'<mc:AlternateContent xmlns:mc="{MC_NS}"><mc:Choice Requires="x15"><x15ac:absPath '
        f'url="{USER_FOLDER}\\" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/'
        '2010/11/ac"/></mc:Choice></mc:AlternateContent><workbookPr',
        1,
    ).replace(
        "</workbook>",
        f'<customWorkbookViews><customWorkbookView name="{AUTHOR} - Personal View" '
        'guid="{11111111-2222-3333-4444-555555555555}" windowWidth="100" windowHeight="100" '
        'activeSheetId="1"/></customWorkbookViews></workbook>',
    )
    workbook = workbook.replace(
        "<workbook ",
        '<workbook xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
        'xr:revisionPtr="{AB12CD34-0000-0000-0000-000000000000}" ',
        1,
    )
    parts["xl/workbook.xml"] = workbook
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(
        "<worksheet ",
        '<worksheet xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
        'xr:uid="{00000000-0001-0000-0000-000000000000}" ',
        1,
    )
    parts["xl/persons/person.xml"] = (
        '<?xml version="1.0"?><personList xmlns="http://schemas.microsoft.com/office/'
        f'spreadsheetml/2018/threadedcomments"><person displayName="{AUTHOR}" id="{{1}}" '
        f'userId="{EMAIL}" providerId="AD"/></personList>'
    )
    parts["xl/printerSettings/printerSettings1.bin"] = f"\\\\PRINT01\\{AUTHOR}".encode("utf-16-le")
    workbook_rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = workbook_rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdPersons" Type="http://schemas.microsoft.com/office/2017/10/'
        'relationships/person" Target="persons/person.xml"/></Relationships>',
    )
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.'
        'person+xml"/><Default Extension="bin" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.printerSettings"/></Types>',
    )
    return _zip(parts)


def leaky_pptx() -> bytes:
    """A presentation with a picture named after its file, a comment author, and core
    properties."""
    p_ns = "http://schemas.openxmlformats.org/presentationml/2006/main"
    a_ns = "http://schemas.openxmlformats.org/drawingml/2006/main"
    presentation = (
        f'<?xml version="1.0"?><p:presentation xmlns:p="{p_ns}" xmlns:r="{R_NS}" '
        f'xmlns:a="{a_ns}"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst>'
        '<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>'
        "</p:presentation>"
    )
    slide = (
        f'<?xml version="1.0"?><p:sld xmlns:p="{p_ns}" xmlns:r="{R_NS}" xmlns:a="{a_ns}">'
        '<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
        "</p:nvGrpSpPr><p:grpSpPr/>"
        f'<p:pic><p:nvPicPr><p:cNvPr id="4" name="{PICTURE_NAME}" descr="{USER_FOLDER}"/>'
        '<p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId3"/></p:blipFill>'
        '<p:spPr/></p:pic><p:sp><p:nvSpPr><p:cNvPr id="5" name="Title"/><p:cNvSpPr/><p:nvPr/>'
        "</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>Slide text</a:t></a:r></a:p>"
        "</p:txBody></p:sp></p:spTree></p:cSld>"
        '<p:extLst><p:ext uri="{BB962C8B-B14F-4D97-AF65-F5344CB8AC3E}"><p14:creationId '
        'xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main" val="20260304"/>'
        "</p:ext></p:extLst></p:sld>"
    )
    types = {
        "ppt/presentation.xml": OOXML + "presentationml.presentation.main+xml",
        "ppt/slides/slide1.xml": OOXML + "presentationml.slide+xml",
        "ppt/commentAuthors.xml": OOXML + "presentationml.commentAuthors+xml",
        "ppt/comments/comment1.xml": OOXML + "presentationml.comments+xml",
        "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    }
    return _zip(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                '<Default Extension="png" ContentType="image/png"/>'
                + _overrides(types)
                + "</Types>"
            ),
            "_rels/.rels": _rels([("rId1", REL + "officeDocument", "ppt/presentation.xml")]),
            "ppt/_rels/presentation.xml.rels": _rels(
                [
                    ("rId2", REL + "slide", "slides/slide1.xml"),
                    ("rId3", REL + "commentAuthors", "commentAuthors.xml"),
                ]
            ),
            "ppt/slides/_rels/slide1.xml.rels": _rels(
                [
                    ("rId3", REL + "image", "../media/image1.png"),
                    ("rId4", REL + "comments", "../comments/comment1.xml"),
                ]
            ),
            "ppt/presentation.xml": presentation,
            "ppt/slides/slide1.xml": slide,
            "ppt/media/image1.png": png_with_text(),
            "ppt/commentAuthors.xml": (
                f'<?xml version="1.0"?><p:cmAuthorLst xmlns:p="{p_ns}"><p:cmAuthor id="1" '
                f'name="{AUTHOR}" initials="JW" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>'
            ),
            "ppt/comments/comment1.xml": (
                f'<?xml version="1.0"?><p:cmLst xmlns:p="{p_ns}"><p:cm authorId="1" '
                f'dt="{EDIT_TIME}" idx="1"><p:pos x="10" y="10"/><p:text>mine</p:text></p:cm>'
                "</p:cmLst>"
            ),
            "docProps/core.xml": CORE,
        }
    )


def leaky_pdf() -> bytes:
    """A PDF whose page draws a JPEG carrying EXIF and XMP, with XMP on the image, the page and
    the document, a dated annotation by the author, page piece info and modification date, an
    ICC profile naming the device, a form XObject with its own metadata, and a comment in the
    drawing instructions."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)

    def stream(data: bytes, entries: dict) -> DecodedStreamObject:
        result = DecodedStreamObject()
        result.set_data(data)
        for key, value in entries.items():
            result[NameObject(key)] = value
        return result

    xmp = stream(
        f"<x:xmpmeta><dc:creator>{AUTHOR}</dc:creator><xmp:CreateDate>{EDIT_TIME}"
        "</xmp:CreateDate></x:xmpmeta>".encode(),
        {"/Type": NameObject("/Metadata"), "/Subtype": NameObject("/XML")},
    )
    xmp_ref = writer._add_object(xmp)
    icc = writer._add_object(
        stream(f"desc Council Laptop of {AUTHOR}".encode(), {"/N": NumberObject(3)})
    )
    photo = stream(
        jpeg_with_exif_and_xmp(size=(40, 30)),
        {
            "/Type": NameObject("/XObject"),
            "/Subtype": NameObject("/Image"),
            "/Width": NumberObject(40),
            "/Height": NumberObject(30),
            "/ColorSpace": ArrayObject([NameObject("/ICCBased"), icc]),
            "/BitsPerComponent": NumberObject(8),
            "/Filter": NameObject("/DCTDecode"),
            "/Metadata": xmp_ref,
        },
    )
    form = stream(
        b"0 0 1 rg 0 0 10 10 re f",
        {
            "/Type": NameObject("/XObject"),
            "/Subtype": NameObject("/Form"),
            "/BBox": ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]
            ),
            "/Metadata": xmp_ref,
            "/LastModified": TextStringObject("D:20260304103100Z"),
            "/PieceInfo": DictionaryObject({NameObject("/App"): TextStringObject(AUTHOR)}),
        },
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject(
                {
                    NameObject("/Im1"): writer._add_object(photo),
                    NameObject("/Fm1"): writer._add_object(form),
                }
            )
        }
    )
    contents = stream(
        f"% drawn by {AUTHOR}\nq 160 0 0 120 20 40 cm /Im1 Do Q q /Fm1 Do Q\n".encode(), {}
    )
    page[NameObject("/Contents")] = writer._add_object(contents)
    page[NameObject("/Metadata")] = xmp_ref
    page[NameObject("/LastModified")] = TextStringObject("D:20260304103100Z")
    page[NameObject("/PieceInfo")] = DictionaryObject(
        {
            NameObject("/Illustrator"): DictionaryObject(
                {NameObject("/Private"): TextStringObject(AUTHOR)}
            )
        }
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(10), FloatObject(10)]
            ),
            NameObject("/T"): TextStringObject(AUTHOR),
            NameObject("/M"): TextStringObject("D:20260304103100Z"),
            NameObject("/Contents"): TextStringObject("my note"),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    writer.add_metadata(
        {"/Author": AUTHOR, "/Creator": "Council Laptop 42", "/CreationDate": "D:20260304103100Z"}
    )
    writer._root_object[NameObject("/Metadata")] = xmp_ref
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()

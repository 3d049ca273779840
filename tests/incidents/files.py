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

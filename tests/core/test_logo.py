"""The organisation's logo: cleaned, bounded, served from our own URL with a strict policy."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from equitable.core import logos
from equitable.core.models import AuditEvent, Organisation
from equitable.files.limits import UnsafeFile

GOOD_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40">
  <title>Our Borough</title>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs>
  <rect width="100" height="40" fill="url(#g)"/>
  <use xlink:href="#g"/>
  <text x="5" y="25" font-size="12">Our <tspan>Borough</tspan></text>
</svg>"""

MALICIOUS = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>alert(1)</script></svg>',
    "onload": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" onload="alert(1)"><rect width="1" height="1" onclick="alert(2)"/></svg>',
    "javascript link": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 1 1"><a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>',
    "foreignObject": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example"/></div></foreignObject></svg>',
    "external image": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><image href="https://evil.example/t.png"/></svg>',
    "external use": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><use href="https://evil.example/x.svg#a"/></svg>',
    "style url": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><style>rect{fill:url(https://evil.example/x)}</style><rect width="1" height="1" style="background:url(https://evil.example/y)" fill="url(http://evil.example/z)"/></svg>',
    "style import": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><style>@import "https://evil.example/a.css";</style></svg>',
    "animate href": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><a><set attributeName="href" to="javascript:alert(1)"/><animate attributeName="href" values="javascript:alert(1)"/></a></svg>',
    "data uri": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" fill="url(data:image/svg+xml;base64,PHN2Zz4=)"/></svg>',
}

EVIL_WORDS = [
    b"script",
    b"onload",
    b"onclick",
    b"javascript",
    b"foreignObject",
    b"evil.example",
    b"iframe",
    b"@import",
    b"<set",
    b"animate",
    b"data:",
]


def _png(size=(120, 40), **text) -> bytes:
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    Image.new("RGB", size, "#003366").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(MALICIOUS))
def test_malicious_svg_is_cleaned(name):
    cleaned = logos.clean_svg(MALICIOUS[name])
    for word in EVIL_WORDS:
        assert word not in cleaned, (name, word, cleaned)
    assert cleaned.startswith(b"<?xml")


def test_good_svg_keeps_its_drawing_and_fragment_references():
    cleaned = logos.clean_svg(GOOD_SVG)
    for kept in (
        b"<rect",
        b'fill="url(#g)"',
        b'href="#g"',
        b"<title>Our Borough</title>",
        b"Borough</tspan>",
        b"linearGradient",
    ):
        assert kept in cleaned, kept


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<svg xmlns='http://www.w3.org/2000/svg'><rect",
        b"<html><body>not svg</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',  # no size
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">'
        + b"<g>" * 20000
        + b"</g>" * 20000
        + b"</svg>",  # nesting that would exhaust the stack
    ],
)
def test_unsafe_or_unreadable_svg_is_refused(data):
    with pytest.raises(UnsafeFile):
        logos.clean_logo(data, "logo.svg")


def test_png_is_reencoded_without_metadata():
    cleaned = logos.clean_png(_png(Author="Jo Bloggs", Comment="secret"))
    assert b"Jo Bloggs" not in cleaned and b"secret" not in cleaned and b"tEXt" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (120, 40)


def test_a_large_png_is_shrunk():
    with Image.open(io.BytesIO(logos.clean_png(_png((1600, 400))))) as image:
        assert image.size == (800, 200)


def test_oversized_files_and_pixel_bombs_are_refused():
    with pytest.raises(UnsafeFile, match="at most 200 KB"):
        logos.clean_logo(b"\x89PNG\r\n\x1a\n" + b"0" * (201 * 1024))
    with pytest.raises(UnsafeFile, match="megapixels"):
        logos.clean_png(_png((4000, 1200)))  # 4.8 megapixels, a few KB
    with pytest.raises(UnsafeFile):
        logos.clean_logo(b"GIF89a....", "logo.gif")


def _upload(client, data: bytes, name: str):
    return client.post(
        reverse("core:admin-logo"),
        {"logo": SimpleUploadedFile(name, data, "application/octet-stream")},
    )


def test_admin_uploads_a_logo_shown_in_the_header_and_served_safely(client_as, org, client):
    admin = client_as("org_admin")
    assert _upload(admin, MALICIOUS["onload"], "logo.svg").status_code == 302
    org.refresh_from_db()
    assert org.logo_content_type == "image/svg+xml"
    assert AuditEvent.objects.filter(
        object_type="organisation", detail__startswith="logo uploaded"
    ).exists()
    home = client_as("board_member").get(reverse("core:help")).content.decode()
    logo_url = reverse("core:logo", args=[org.slug])
    assert f'src="{logo_url}?v={org.logo_version}"' in home
    served = client.get(logo_url)  # anonymous too: the sign-in page has no user yet
    assert served.status_code == 200
    assert served["Content-Type"] == "image/svg+xml"
    assert served["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"onload" not in served.content and b"alert" not in served.content


def test_a_refused_upload_says_why_and_keeps_the_old_logo(client_as, org):
    admin = client_as("org_admin")
    _upload(admin, _png(), "logo.png")
    big = _upload(admin, b"\x89PNG\r\n\x1a\n" + b"0" * (300 * 1024), "big.png")
    assert big.status_code == 200 and "at most 200 KB" in big.content.decode()
    bomb = _upload(admin, _png((4000, 1200)), "bomb.png")
    assert "megapixels" in bomb.content.decode()
    assert Organisation.objects.get(pk=org.pk).logo_content_type == "image/png"


def test_admin_removes_the_logo(client_as, org, client):
    admin = client_as("org_admin")
    _upload(admin, _png(), "logo.png")
    assert admin.post(reverse("core:admin-logo-remove")).status_code == 302
    assert not Organisation.objects.get(pk=org.pk).has_logo
    assert client.get(reverse("core:logo", args=[org.slug])).status_code == 404


def test_logo_pages_require_the_admin_role(client_as, users):
    for persona in ("edi_officer", "board_member", "coordinator"):
        client = client_as(persona)
        assert _upload(client, _png(), "logo.png").status_code == 403
        assert client.post(reverse("core:admin-logo-remove")).status_code == 403


def test_no_logo_is_a_404(client, org):
    assert client.get(reverse("core:logo", args=[org.slug])).status_code == 404
    assert client.get(reverse("core:logo", args=["no-such-council"])).status_code == 404

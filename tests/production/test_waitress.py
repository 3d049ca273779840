"""waitress as `equitable serve` runs it (equitable.core.server), on a real socket in this process:
proxy headers believed only from the trusted proxy, anonymous bodies never spooled to disk."""

from __future__ import annotations

import json
import tempfile
from ipaddress import ip_network

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from equitable.core.server import ANONYMOUS_BODY_LIMIT
from tests.production.servers import raw_request, spool_files_open, waitress_in_this_process

PROXY_HEADERS = b"X-Forwarded-For: 203.0.113.9, 127.0.0.2\r\nX-Forwarded-Proto: https\r\n"


def echo_app(seen: list):
    """A WSGI app that says what it was given: client address, scheme, proxy headers."""

    def app(environ, start_response):
        environ["wsgi.input"].read()
        seen.append(environ)
        body = json.dumps(
            {
                "client": environ["REMOTE_ADDR"],
                "scheme": environ["wsgi.url_scheme"],
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
                "forwarded_proto": environ.get("HTTP_X_FORWARDED_PROTO"),
            }
        ).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    return app


def get(port: int, *, source: str, headers: bytes = b"") -> dict:
    answer = raw_request(
        port,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + b"\r\n",
        source=source,
    )
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    return json.loads(answer.split(b"\r\n\r\n", 1)[1])


@pytest.fixture
def behind_proxy(settings):
    settings.EQUITABLE_TRUSTED_PROXIES = [ip_network("127.0.0.1/32")]
    settings.EQUITABLE_TRUSTED_PROXY_COUNT = 1
    settings.EQUITABLE_TRUSTED_PROXY_HEADERS = ["x-forwarded-for", "x-forwarded-proto"]
    return settings


def test_the_trusted_proxy_gives_the_client_address_and_the_scheme(behind_proxy):
    with waitress_in_this_process(echo_app([])) as port:
        seen = get(port, source="127.0.0.1", headers=PROXY_HEADERS)
    # Only the last hop (the one the proxy added) is believed: 203.0.113.9 was the client's claim.
    assert seen["client"] == "127.0.0.2"
    assert seen["scheme"] == "https"


def test_any_other_peer_cannot_choose_its_address_or_scheme(behind_proxy):
    with waitress_in_this_process(echo_app([])) as port:
        seen = get(port, source="127.0.0.3", headers=PROXY_HEADERS)
    assert seen == {
        "client": "127.0.0.3",
        "scheme": "http",
        "forwarded_for": None,
        "forwarded_proto": None,
    }


def test_a_network_and_a_count_of_two_proxies(behind_proxy):
    behind_proxy.EQUITABLE_TRUSTED_PROXIES = [ip_network("127.0.0.0/30")]
    behind_proxy.EQUITABLE_TRUSTED_PROXY_COUNT = 2
    with waitress_in_this_process(echo_app([])) as port:
        from_second_address = get(port, source="127.0.0.2", headers=PROXY_HEADERS)
        from_outside = get(port, source="127.0.0.5", headers=PROXY_HEADERS)
    assert from_second_address["client"] == "203.0.113.9"
    assert from_outside["client"] == "127.0.0.5" and from_outside["scheme"] == "http"


def test_without_a_trusted_proxy_nobody_sets_proxy_headers(settings):
    settings.EQUITABLE_TRUSTED_PROXIES = []
    with waitress_in_this_process(echo_app([])) as port:
        seen = get(port, source="127.0.0.1", headers=PROXY_HEADERS)
    assert seen["client"] == "127.0.0.1" and seen["scheme"] == "http"
    assert seen["forwarded_for"] is None


# --- request bodies -----------------------------------------------------------------------


@pytest.fixture
def watched_tmp(tmp_path, monkeypatch, settings):
    """Every temporary file (waitress's spool, Django's upload files) goes to one folder."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def spying_app(inner, folder, spooled: list):
    """Note the temporary files open while the app runs (and before the response is closed)."""

    def app(environ, start_response):
        response = inner(environ, start_response)
        spooled.append(spool_files_open(folder))
        return response

    return app


def post(port: int, path: str, body: bytes, content_type: str = "application/octet-stream"):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    return raw_request(port, head + body)


def test_an_anonymous_body_stays_in_memory_where_others_are_spooled(watched_tmp):
    spooled: list = []
    body = b"x" * (2 * 1024 * 1024)  # four times waitress's default inbuf_overflow
    with waitress_in_this_process(spying_app(echo_app([]), watched_tmp, spooled)) as port:
        anonymous = post(port, "/report-an-incident/our-borough/", body)
        signed_in = post(port, "/workforce/import/", body)
    assert anonymous.startswith(b"HTTP/1.1 200") and signed_in.startswith(b"HTTP/1.1 200")
    assert spooled[0] == []
    assert spooled[1] != [], "the control: other paths spool, so the check can see a spool"


def test_an_anonymous_body_over_the_limit_is_refused_unread(watched_tmp):
    seen: list = []
    head = (
        "POST /report-an-incident/our-borough/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Connection: close\r\nContent-Length: {ANONYMOUS_BODY_LIMIT}\r\n\r\n"
    ).encode()
    chunk = b"y" * (1024 * 1024)
    chunked = (
        b"POST /report-an-incident/follow-up/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
        + (b"100000\r\n" + chunk + b"\r\n") * (ANONYMOUS_BODY_LIMIT // len(chunk) + 1)
        + b"0\r\n\r\n"
    )
    with waitress_in_this_process(echo_app(seen)) as port:
        declared = raw_request(port, head + b"z" * 1024)
        streamed = raw_request(port, chunked)
    assert declared.startswith(b"HTTP/1.1 413")
    assert streamed.startswith(b"HTTP/1.1 413")
    assert seen == [], "the application never saw either request"


@pytest.mark.django_db(transaction=True)
def test_a_large_anonymous_report_with_a_photo_touches_no_disk(watched_tmp, org, settings):
    from django.core.handlers.wsgi import WSGIHandler

    from equitable.incidents.anonymity import LIMITERS, form_token
    from equitable.incidents.models import Attachment, Report
    from tests.incidents.conftest import FAST_ARGON2
    from tests.production.photos import noisy_png

    settings.EQUITABLE_RECEIPT_ARGON2 = FAST_ARGON2
    for limiter in LIMITERS.values():
        limiter.reset()
    photo = noisy_png(3 * 1024 * 1024)  # over Django's 2.5 MB default in-memory upload size
    data = {
        "incident_type": "racism",
        "characteristics": ["race"],
        "what_happened": "Something happened in the canteen. " * 500,
        "reported_elsewhere": "no",
        "desired_outcome": "",
        "form_token": form_token(),
        "attachments": [photo],
    }
    body = encode_multipart(BOUNDARY, data)
    spooled: list = []
    with waitress_in_this_process(spying_app(WSGIHandler(), watched_tmp, spooled)) as port:
        answer = post(port, f"/report-an-incident/{org.slug}/", body, MULTIPART_CONTENT)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert b'id="receipt-code"' in answer
    assert Report.objects.count() == 1 and Attachment.objects.count() == 1
    assert spooled == [[]]
    assert list(watched_tmp.iterdir()) == []

"""The documented production set-up, end to end: Debian's nginx terminating TLS on loopback in
front of `equitable serve` with EQUITABLE_ENV=production (docs/operations.md, "Reverse proxy").

Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3 …: all this machine),
so nginx's X-Forwarded-For tells them apart as it would tell apart people on the internet.
"""

from __future__ import annotations

import http.client
import os
import re
import ssl
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.production.servers import free_port, nginx_in_front_of, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-production-test-password"
RATE_LIMIT = 3
PREPARE = f"""
import sys
from equitable.core.runtime import migrate, setup_django
setup_django(sys.argv[1])
migrate()
from equitable.core.models import Organisation, User
org = Organisation.objects.create(slug="proxy-borough", name="Proxy Borough")
User.objects.create_user(
    username="edi.officer", password="{PASSWORD}", role="edi_officer", organisation=org
)
"""


class Installation:
    def __init__(self, folder: Path, app_port: int, port: int, cert: Path, nginx_log: Path):
        self.folder, self.app_port, self.port, self.nginx_log = folder, app_port, port, nginx_log
        self.tls = ssl.create_default_context(cafile=str(cert))

    def request(self, method, path, *, source="127.0.0.2", body=None, headers=None):
        """One HTTPS request through nginx from `source`; returns (status, headers, text)."""
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.tls, source_address=(source, 0), timeout=30
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.msg, response.read().decode(errors="replace")
        finally:
            connection.close()

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    data_dir = folder / "data"
    env = {
        **os.environ,
        "EQUITABLE_ENV": "production",
        "EQUITABLE_SECRET_KEY": "proxy-test-9f8e7d6c5b4a3928172635445362718293a4b5c6d7e8f9",
        "EQUITABLE_ALLOWED_HOSTS": "127.0.0.1",
        "EQUITABLE_TRUSTED_PROXY": "127.0.0.1",
        "EQUITABLE_REPORT_RATE_LIMIT": str(RATE_LIMIT),
        "EQUITABLE_RECEIPT_ARGON2": "1,1024,1",
        "EQUITABLE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "equitable.settings",
    }
    for name in ("DATABASE_URL", "EQUITABLE_DEBUG", "EQUITABLE_INCIDENT_KEYS"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "-c", PREPARE, str(data_dir)], env=env, cwd=ROOT, check=True, timeout=120
    )
    app_port = free_port()
    log = open(folder / "serve-output.txt", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "equitable.cli", "serve", "--data-dir", str(data_dir)]
        + ["--port", str(app_port), "--threads", "4"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(app_port, process=server)
        with nginx_in_front_of(app_port, folder / "nginx") as (port, cert):
            yield Installation(folder, app_port, port, cert, folder / "nginx" / "error.log")
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def cookies(headers) -> dict[str, str]:
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def test_https_pages_are_served_not_redirected_and_carry_hsts(installation):
    status, headers, page = installation.request("GET", "/sign-in/")
    assert status == 200, (status, headers.get("Location"))
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Sign in" in page


def test_signing_in_passes_the_csrf_origin_check(installation):
    status, headers, page = installation.request("GET", "/sign-in/")
    csrf_cookie = cookies(headers)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = installation.request(
        "POST",
        "/sign-in/",
        body=f"username=edi.officer&password={PASSWORD}&csrfmiddlewaretoken={token}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Origin": installation.origin,
            "Referer": installation.origin + "/sign-in/",
        },
    )
    assert status == 302, status
    assert headers["Location"] == "/home/"
    session = cookies(headers)["sessionid"]
    assert "Secure" in " ".join(headers.get_all("Set-Cookie"))
    status, _, page = installation.request(
        "GET", "/home/", headers={"Cookie": f"sessionid={session}"}
    )
    assert status == 200 and "edi.officer" in page


def look_up_receipt(installation, source: str, **headers) -> int:
    status, _, _ = installation.request(
        "POST",
        "/report-an-incident/follow-up/",
        source=source,
        body="receipt=0000",
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    return status


def test_each_client_behind_the_proxy_has_its_own_rate_limit(installation):
    first = [look_up_receipt(installation, "127.0.0.2") for _ in range(RATE_LIMIT)]
    assert 429 not in first
    assert look_up_receipt(installation, "127.0.0.2") == 429
    # Another reporter is not blocked by the first one's guesses …
    assert look_up_receipt(installation, "127.0.0.3") != 429
    # … and a client cannot step out of its bucket, or into another's, by naming an address.
    assert look_up_receipt(installation, "127.0.0.2", **{"X-Forwarded-For": "127.0.0.9"}) == 429
    assert look_up_receipt(installation, "127.0.0.4", **{"X-Forwarded-For": "127.0.0.2"}) != 429


def test_a_peer_other_than_the_proxy_cannot_claim_https(installation):
    connection = http.client.HTTPConnection(
        "127.0.0.1", installation.app_port, source_address=("127.0.0.5", 0), timeout=30
    )
    connection.request(
        "GET", "/sign-in/", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    )
    response = connection.getresponse()
    connection.close()
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1/sign-in/"


def test_the_health_check_answers_over_plain_http(installation):
    connection = http.client.HTTPConnection("127.0.0.1", installation.app_port, timeout=30)
    connection.request("GET", "/healthz/", headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    connection.close()
    assert response.status == 200


def test_the_proxy_keeps_anonymous_bodies_off_its_disk_too(installation):
    body = "what_happened=" + "x" * (2 * 1024 * 1024)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    installation.request(
        "POST", "/report-an-incident/follow-up/", source="127.0.0.6", body=body, headers=form
    )
    log = installation.nginx_log.read_text()
    assert "buffered to a temporary file" not in log
    # The control: elsewhere nginx buffers a large body to a file and says so in its log.
    installation.request("POST", "/sign-in/", source="127.0.0.6", body=body, headers=form)
    assert (
        "a client request body is buffered to a temporary file"
        in installation.nginx_log.read_text()
    )


def test_an_anonymous_body_over_the_limit_is_refused_at_the_proxy(installation):
    connection = http.client.HTTPSConnection(
        "127.0.0.1", installation.port, context=installation.tls, timeout=30
    )
    connection.putrequest("POST", "/report-an-incident/proxy-borough/")
    connection.putheader("Content-Length", str(60 * 1024 * 1024))
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.endheaders()
    response = connection.getresponse()
    connection.close()
    assert response.status == 413

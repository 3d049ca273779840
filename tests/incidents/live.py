"""A real installation for end-to-end tests: its own data directory (SQLite file, key file,
logs), a waitress server on a random loopback port in a child process, and a small HTTP client.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SERVER = r"""
import sys
from equitable.core.runtime import setup_django, migrate
setup_django(sys.argv[1])
migrate()
from equitable.core.models import Organisation, Directorate
org = Organisation.objects.create(slug="live-borough", name="Live Borough")
Directorate.objects.create(organisation=org, name="People")
Organisation.objects.create(slug="second-borough", name="Second Borough")
from waitress import serve
from equitable.wsgi import application  # sets logging up again, so adjust it after
if sys.argv[4] == "DEBUG":
    # The harshest setting: every SQL statement with its parameters, every request.
    import logging
    from django.conf import settings
    settings.DEBUG = True  # Django logs SQL only in debug mode
    for name in ("django", "django.db.backends", "django.request", "django.server", "waitress"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger("equitable.live").warning("server started")
serve(application, host="127.0.0.1", port=int(sys.argv[2]), threads=int(sys.argv[3]), ident="Equitable")
"""
_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
_RECEIPT = re.compile(r'id="receipt-code"[^>]*>([0-9 ]+)<')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveInstallation:
    def __init__(
        self,
        data_dir: Path,
        *,
        log_level: str,
        rate_limit: int,
        threads: int = 8,
        argon2: str = "1,1024,1",
    ):
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.output = data_dir / "server-output.txt"
        env = {
            **os.environ,
            "EQUITABLE_DATA_DIR": str(data_dir),
            "EQUITABLE_LOG_LEVEL": log_level,
            "EQUITABLE_REPORT_RATE_LIMIT": str(rate_limit),
            "EQUITABLE_RECEIPT_ARGON2": argon2,  # "" = production cost
            "DJANGO_SETTINGS_MODULE": "equitable.settings",
        }
        env.pop("EQUITABLE_INCIDENT_KEYS", None)
        env.pop("DATABASE_URL", None)  # always its own SQLite file, whatever the suite runs on
        self._log = open(self.output, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(data_dir), str(self.port), str(threads), log_level],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2],
        )
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.output.read_text(errors="replace"))
            try:
                with urllib.request.urlopen(self.base + "/healthz/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self._log.closed:
            return
        self.process.terminate()
        self.process.wait(timeout=20)
        self._log.close()

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def token(self, path: str, headers=None) -> str:
        status, _, page = self.request("GET", path, headers=headers)
        assert status == 200, status
        return _TOKEN.search(page).group(1)

    def submit(self, what_happened: str, headers=None) -> str:
        path = "/report-an-incident/live-borough/"
        data = {
            "incident_type": "racism",
            "characteristics": ["race", "religion"],
            "what_happened": what_happened,
            "reported_elsewhere": "no",
            "desired_outcome": "",
            "form_token": self.token(path, headers),
        }
        status, response_headers, page = self.request("POST", path, data, headers)
        assert status == 200, (status, page[:500])
        assert not any(k.lower() == "set-cookie" for k in response_headers)
        return _RECEIPT.search(page).group(1)

    def read_back(self, receipt: str, headers=None) -> str:
        path = "/report-an-incident/follow-up/"
        data = {"receipt": receipt, "form_token": self.token(path, headers)}
        status, _, page = self.request("POST", path, data, headers)
        assert status == 200, status
        return page

    def stored_bytes(self) -> dict[str, bytes]:
        """Every file the installation wrote: database (+ WAL), logs, keys excluded."""
        found = {}
        for path in self.data_dir.rglob("*"):
            if path.is_file() and "keys" not in path.parts and "static" not in path.parts:
                found[str(path.relative_to(self.data_dir))] = path.read_bytes()
        return found

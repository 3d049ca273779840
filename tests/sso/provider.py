"""Start the loopback OpenID Connect provider (oidc_provider.mjs) and sign in through it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.production.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "equitable-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only-0123456789"


@dataclass(frozen=True)
class Provider:
    issuer: str
    accounts: dict


@contextmanager
def running_provider(tmp_path: Path, redirect_uri: str, accounts: dict):
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("node and node_modules/oidc-provider are needed: run make setup")
    port = free_port()
    config = tmp_path / "provider.json"
    config.write_text(
        json.dumps(
            {
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [redirect_uri],
                },
                "accounts": accounts,
            }
        )
    )
    log = (tmp_path / "provider.log").open("wb")
    process = subprocess.Popen(
        [node, str(SCRIPT), str(port), str(config)], cwd=ROOT, stdout=log, stderr=log
    )
    try:
        wait_for_port(port, process=process, timeout=30)
        yield Provider(issuer=f"http://127.0.0.1:{port}", accounts=accounts)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        # The provider's own account of any error, in the failing test's output.
        print((tmp_path / "provider.log").read_text(errors="replace"))


def _form(page) -> tuple[str, dict]:
    """The action and fields of the provider's (development) login or consent form."""
    html = page.text
    action = re.search(r'<form[^>]*action="([^"]+)"', html)
    assert action, f"no form on {page.url}: {html[:300]}"
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    return urljoin(page.url, unescape(action.group(1))), fields


def sign_in_through(session, start_url: str, login: str):
    """Follow Equitable's SSO start to the provider, log in as `login`, consent, and follow the
    redirects back to Equitable; returns the last response."""
    page = session.get(start_url, timeout=30)
    for _ in range(4):
        if "/interaction/" not in page.url:
            return page
        action, fields = _form(page)
        if 'name="login"' in page.text:
            fields |= {"login": login, "password": "any"}
        page = session.post(action, data=fields, timeout=30)
    return page

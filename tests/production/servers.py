"""Real servers for the production tests: waitress as `equitable serve` configures it, in this
process (so a test can see its open files), and nginx from Debian as the TLS reverse proxy."""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from equitable.core.server import ANONYMOUS_BODY_LIMIT, UPLOAD_ALLOWANCE

NGINX = os.environ.get("EQUITABLE_NGINX", "/usr/sbin/nginx")
# What waitress accepts (equitable.core.server), in whole MB for nginx's client_max_body_size.
UPLOAD_LIMIT = 200 * 1024 * 1024 + UPLOAD_ALLOWANCE  # EQUITABLE_MAX_IMPORT_BYTES's default


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, process: subprocess.Popen | None = None, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server stopped with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port}")


@contextmanager
def waitress_in_this_process(application, *, threads: int = 2):
    """`equitable serve`'s waitress (equitable.core.server.create) on a free loopback port."""
    from equitable.core.server import create

    server = create(application, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, name="test-waitress", daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        server.close()
        server.task_dispatcher.shutdown()
        thread.join(timeout=5)


def raw_request(
    port: int, request: bytes, *, source: str = "127.0.0.1", read_timeout: float = 30
) -> bytes:
    """Send bytes as they are from `source` (any 127.x address is this machine) and read the
    whole answer (every request here says Connection: close)."""
    with socket.create_connection(("127.0.0.1", port), source_address=(source, 0)) as sock:
        sock.settimeout(read_timeout)
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the whole body was sent: the answer is still there
        answer = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
    return answer


def spool_files_open(directory: Path) -> list[str]:
    """Files under `directory` this process holds open, deleted ones included (waitress's spool
    is an anonymous temporary file: no name in the folder, but an open descriptor)."""
    found = []
    prefix = str(directory)
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(prefix):
            found.append(target)
    return found


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made with `cryptography` (no openssl CLI)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


# The server block docs/operations.md gives, with the test's ports and files filled in.
NGINX_CONFIG = """
daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream equitable {{ {upstream} }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        client_max_body_size {body_limit};
        location / {{
            proxy_pass http://equitable;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
        location /report-an-incident/ {{
            access_log off;
            client_max_body_size {anonymous_body_limit};
            proxy_request_buffering off;
            proxy_max_temp_file_size 0;
            proxy_http_version 1.1;
            proxy_pass http://equitable;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


@contextmanager
def nginx_in_front_of(app_port: int | list[int], folder: Path):
    """Debian's nginx terminating TLS on a free loopback port, proxying to `app_port` (several
    ports: round robin between them, as in front of several web processes)."""
    if not Path(NGINX).exists() and not shutil.which("nginx"):
        pytest.fail(f"no nginx at {NGINX}: scripts/test.sh installs Debian's nginx")
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed_certificate(folder)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(
        NGINX_CONFIG.format(
            prefix=folder,
            upstream=" ".join(
                f"server 127.0.0.1:{p};"
                for p in (app_port if isinstance(app_port, list) else [app_port])
            ),
            port=port,
            cert=cert,
            key=key,
            body_limit=f"{UPLOAD_LIMIT // (1024 * 1024)}m",
            anonymous_body_limit=f"{ANONYMOUS_BODY_LIMIT // (1024 * 1024)}m",
        )
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process=process, timeout=20)
        yield port, cert
    finally:
        process.terminate()
        process.wait(timeout=10)

"""Signed-in people asking for dashboard pages back to back, against real servers on loopback.

The pieces `benchmarks/bench_load.py` and `tests/production/test_load.py` share: start one or
more `equitable serve` processes on a data directory (behind Debian's nginx, round robin, when
there are several: the documented production chain), sign people in, write the plan of
(cookie, page) steps wrk walks, and run wrk (`benchmarks/load/pages.lua`) for a bounded time.

wrk, not a Python generator: on two cores the load generator competes with the servers for
CPU, and wrk (C, epoll) costs a small fraction of what a Python client would. Its Lua script
reports latency percentiles and counts every answer that is not 2xx.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("pages.lua")
NGINX = os.environ.get("EQUITABLE_NGINX", "/usr/sbin/nginx")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
DEMO_PASSWORD = "equitable-demo"

# The pages people open most: the home dashboard, workforce figures and trends, the lifecycle
# families and reports, surveys, the action plan and the Standard (as each role sees them).
PAGES = (
    "/home/",
    "/workforce/",
    "/workforce/figures/representation_overall/",
    "/workforce/figures/representation_by_directorate/",
    "/workforce/figures/representation_by_pay_band/",
    "/workforce/figures/pay_gap_ethnicity/",
    "/workforce/figures/pay_quartiles_ethnicity/",
    "/workforce/trends/",
    "/lifecycle/",
    "/lifecycle/recruitment/",
    "/lifecycle/movements/",
    "/lifecycle/casework/",
    "/lifecycle/development/",
    "/lifecycle/wres/",
    "/surveys/",
    "/service-users/",
    "/actions/",
    "/standard/",
)
PERSONAS = ("edi.officer", "board.member", "champion.people", "hr.analyst")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with {process.returncode}")
        try:
            urllib.request.urlopen(url + "/healthz/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy")


def server_environment(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in {"DATABASE_URL", "EQUITABLE_DEBUG"}
    }
    environment["PYTHONPATH"] = str(ROOT)
    environment["EQUITABLE_DATA_DIR"] = str(data_dir)
    environment["EQUITABLE_LOG_TO_FILE"] = "off"
    environment.update(extra or {})
    return environment


def set_up_demo(data_dir: Path) -> None:
    """`equitable demo --setup-only`: the demo council, every figure computed once."""
    subprocess.run(
        [sys.executable, "-m", "equitable", "demo", "--setup-only", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=server_environment(data_dir),
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=1800,
    )


@dataclass
class Installation:
    url: str
    servers: list[subprocess.Popen]


def _nginx_config(folder: Path, port: int, backends: list[int]) -> Path:
    upstream = "\n".join(f"    server 127.0.0.1:{p};" for p in backends)
    config = folder / "nginx.conf"
    config.write_text(
        f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  upstream equitable {{
{upstream}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://equitable;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto http;
    }}
  }}
}}
"""
    )
    return config


@contextmanager
def serving(
    data_dir: Path,
    *,
    processes: int = 1,
    threads: int = 8,
    environment: dict[str, str] | None = None,
):
    """`processes` `equitable serve` processes on the data directory; with more than one,
    nginx in front of them (round robin). Yields the Installation to send requests to."""
    env = server_environment(data_dir, environment)
    if processes > 1:
        env.setdefault("EQUITABLE_TRUSTED_PROXY", "127.0.0.1")
    ports = [free_port() for _ in range(processes)]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "equitable",
                "serve",
                "--data-dir",
                str(data_dir),
                "--port",
                str(port),
                "--threads",
                str(threads),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    nginx = None
    folder = Path(tempfile.mkdtemp(prefix="equitable-load-nginx-"))
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_healthy(f"http://127.0.0.1:{port}", server)
        url = f"http://127.0.0.1:{ports[0]}"
        if processes > 1:
            front = free_port()
            config = _nginx_config(folder, front, ports)
            nginx = subprocess.Popen(
                [NGINX, "-c", str(config), "-p", str(folder), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            url = f"http://127.0.0.1:{front}"
            wait_until_healthy(url, nginx)
        yield Installation(url=url, servers=servers)
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=20)
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(folder, ignore_errors=True)


def sign_in(url: str, username: str) -> str:
    """Sign in through the form, as a browser does; returns the Cookie header to send."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/sign-in/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(
        url + "/sign-in/", data=body, headers={"Referer": url + "/sign-in/"}
    )
    opener.open(request, timeout=30).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"{username} could not sign in")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def write_plan(url: str, folder: Path, *, people: int = 12) -> Path:
    """Sign `people` people in (the demo personas in turn) and list the pages each may open
    (each opened once here, so the plan holds only pages that answer 200 for that person)."""
    lines = []
    for index in range(people):
        username = PERSONAS[index % len(PERSONAS)]
        cookie = sign_in(url, username)
        for path in PAGES:
            request = urllib.request.Request(url + path, headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    if response.status == 200:
                        lines.append(f"{cookie}\t{path}")
            except urllib.error.HTTPError:
                continue  # not this role's page
    plan = folder / "plan.txt"
    plan.write_text("\n".join(lines) + "\n")
    return plan


def run_wrk(url: str, plan: Path, *, seconds: int, connections: int = 50) -> dict:
    """wrk with the pages script for `seconds`; the script's JSON line as a dict (latencies in
    milliseconds) plus requests per second."""
    completed = subprocess.run(
        [
            WRK,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(LUA),
            url,
        ],
        env={**os.environ, "EQUITABLE_LOAD_PLAN": str(plan)},
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=True,
    )
    line = next(ln for ln in completed.stdout.splitlines() if ln.startswith("{"))
    found = json.loads(line)
    result = {
        "requests": found["requests"],
        "per_second": round(found["requests"] / found["seconds"], 1),
        "p50_ms": round(found["p50_us"] / 1000),
        "p95_ms": round(found["p95_us"] / 1000),
        "p99_ms": round(found["p99_us"] / 1000),
        "max_ms": round(found["max_us"] / 1000),
        "non_2xx": found["non_2xx"],
        "socket_errors": found["socket_errors"],
    }
    return result


def load_average() -> float:
    return round(os.getloadavg()[0], 2)

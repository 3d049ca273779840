"""A real Redis for the tests of shared state: the machine's on 127.0.0.1:6379 when it answers,
else a `redis-server` started by the tests on a free loopback port, keeping nothing on disk.
Each test worker has a database number of its own, emptied before and after each test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

FIRST_TEST_DB = 12  # apart from anything the machine's own Redis is used for (0)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_port() -> Iterator[int]:
    if _answers(6379):
        yield 6379
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(
            "no Redis on 127.0.0.1:6379 and no redis-server to start (apt-get install redis-server)"
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not _answers(port):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_port, worker_id) -> Iterator[str]:
    """A database number of this test worker's own (xdist runs workers side by side)."""
    import redis

    number = FIRST_TEST_DB + (int(worker_id[2:]) % 4 if worker_id.startswith("gw") else 0)
    url = f"redis://127.0.0.1:{redis_port}/{number}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()

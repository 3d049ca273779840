"""The reporting channel's rate limit held in Redis: several processes count together, and
nothing about anyone outlives the window."""

import subprocess
import sys
import time

import pytest
import redis

from equitable.incidents.ratelimit import RedisWindowLimiter
from tests.redis_support import redis_port, redis_url  # noqa: F401


@pytest.fixture
def client(redis_url):  # noqa: F811
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


def test_two_limiters_on_one_redis_share_each_clients_limit(client, redis_url):  # noqa: F811
    # Two web processes: each its own connection, the same Redis.
    first = RedisWindowLimiter(client, limit=3, name="submit")
    second = RedisWindowLimiter(redis.Redis.from_url(redis_url), limit=3, name="submit")
    assert [first.allow("10.0.0.1"), second.allow("10.0.0.1"), first.allow("10.0.0.1")] == [
        True,
        True,
        True,
    ]
    assert second.allow("10.0.0.1") is False
    assert second.allow("10.0.0.2") is True  # another client has a bucket of its own
    assert first.tracked() == 4  # refused calls are not counted


def test_another_process_sees_the_same_count(client, redis_url):  # noqa: F811
    limiter = RedisWindowLimiter(client, limit=2, name="lookup")
    assert limiter.allow("10.0.0.9") and limiter.allow("10.0.0.9")
    script = (
        "import redis, sys\n"
        "from equitable.incidents.ratelimit import RedisWindowLimiter\n"
        "limiter = RedisWindowLimiter(redis.Redis.from_url(sys.argv[1]), limit=2, name='lookup')\n"
        "print(limiter.allow('10.0.0.9'), limiter.allow('10.0.0.8'))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", script, redis_url], capture_output=True, text=True, check=True
    )
    assert other.stdout.split() == ["False", "True"]


def test_redis_holds_no_address_and_forgets_everything_after_the_window(client):
    limiter = RedisWindowLimiter(client, limit=5, window=0.5, name="submit")
    limiter.allow("192.0.2.77")
    stored = b"".join(
        [
            key + b"".join(client.zrange(key, 0, -1))
            for key in client.keys("*")
            if b"salt" not in key
        ]
    )
    assert b"192.0.2.77" not in stored
    assert client.keys("*")  # a bucket and the salt, while the window lasts
    time.sleep(0.8)
    assert client.keys("*") == []  # both expired: nothing about that client remains


def test_a_limit_below_one_is_refused(client):
    with pytest.raises(ValueError):
        RedisWindowLimiter(client, limit=0)

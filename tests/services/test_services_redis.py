"""The Redis test service is a real server: it answers, keeps data, and goes away when stopped."""

from __future__ import annotations

import redis

from tests.services.redis import RedisServer


def test_redis_server_starts_on_loopback_and_stores_values() -> None:
    with RedisServer() as server:
        client = redis.Redis.from_url(server.url)
        client.set("k", "v")
        assert client.get("k") == b"v"
        assert server.url.startswith("redis://127.0.0.1:")
        port = server.port
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
    try:
        client.ping()
        raise AssertionError("the server still answers after stop")
    except redis.exceptions.ConnectionError:
        pass

"""Places in flight counted by every instance sharing one Redis (``PLAYGROUND_REDIS_URL``).

Two sorted sets hold the leases, one of all places and one per client, each member's score the
millisecond its request's deadline passes. A Lua script takes a place in one step (Redis runs
a script alone): it drops the leases ``LEASE_GRACE`` past their deadline, applies the limits,
adds the place to both sets, and keeps each set alive as long as its longest lease. Times come
from the Redis server's clock, the one clock all instances share. A place whose process died
is taken back when its lease lapses: no other instance can tell whether a process is alive.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from typing import Any, cast

from playground.transport.in_flight import (
    LEASE_GRACE,
    PlacesUnavailable,
    TooManyInFlight,
    seconds_until,
)

#: Keys share a hash tag, so a script touching both works on a Redis cluster too.
KEY_PREFIX = "{playground-in-flight}"

_NOW_MS = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
"""

# KEYS: all places, the client's places. ARGV: place, total, per client, lease ms, grace ms.
# Gives {0 or 1 (refused: all or per client), ms until the first place frees} or {2, 0}.
_TAKE = (
    _NOW_MS
    + """
local grace = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - grace)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - grace)
local limits = {tonumber(ARGV[2]), tonumber(ARGV[3])}
for which = 1, 2 do
  if redis.call('ZCARD', KEYS[which]) >= limits[which] then
    local first = redis.call('ZRANGE', KEYS[which], 0, 0, 'WITHSCORES')
    return {which - 1, tonumber(first[2]) - now}
  end
end
local ends = now + tonumber(ARGV[4])
for which = 1, 2 do
  redis.call('ZADD', KEYS[which], ends, ARGV[1])
  if redis.call('PTTL', KEYS[which]) < ends + grace - now then
    redis.call('PEXPIRE', KEYS[which], ends + grace - now)
  end
end
return {2, 0}
"""
)

# KEYS: a set of places. ARGV: grace ms. Gives the number of places not past their lease.
_COUNT = (
    _NOW_MS
    + """
return redis.call('ZCOUNT', KEYS[1], now - tonumber(ARGV[1]), '+inf')
"""
)


class RedisPlaces:
    """Places shared by every instance whose ``PLAYGROUND_REDIS_URL`` names the same Redis."""

    def __init__(self, url: str, grace: float = LEASE_GRACE) -> None:
        try:
            import redis
        except ImportError:
            raise ValueError(
                "REDIS_URL needs redis-py: pip install 'realtime-playground[prod]'"
            ) from None
        try:
            # Connections are made on first use, in each worker (redis-py reconnects after a fork).
            self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        except ValueError:
            raise ValueError(
                "REDIS_URL must be a redis://, rediss:// or unix:// URL (it is not shown here: "
                "it may hold a password)"
            ) from None
        self._errors: tuple[type[Exception], ...] = (redis.RedisError,)
        self._take = self._redis.register_script(_TAKE)
        self._count = self._redis.register_script(_COUNT)
        self._grace_ms = int(grace * 1000)

    def take(self, client: str, seconds: float, total: int, per_client: int) -> Hashable:
        """Give a new place of ``client`` for ``seconds``, or raise ``TooManyInFlight``."""
        place = uuid.uuid4().hex
        keys = [_all(), _of(client)]
        lease = [place, total, per_client, int(seconds * 1000), self._grace_ms]
        outcome, wait_ms = self._run(self._take, keys, lease)
        if outcome < 2:
            raise TooManyInFlight(
                per_client=outcome == 1, retry_after=seconds_until(wait_ms / 1000)
            )
        return (client, place)

    def give_back(self, place: Hashable) -> None:
        """Free ``place``."""
        client, member = cast(tuple[str, str], place)
        try:
            with self._redis.pipeline(transaction=True) as both:  # MULTI ... EXEC
                both.zrem(_all(), member)
                both.zrem(_of(client), member)
                both.execute()
        except self._errors:
            pass  # its lease lapses on its own

    def count(self, client: str | None) -> int:
        """Give the number of places held (``client``'s only, if given)."""
        return int(
            self._run(self._count, [_all() if client is None else _of(client)], [self._grace_ms])
        )

    def _run(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        """Give what ``script`` returns, or raise :class:`PlacesUnavailable` when Redis cannot
        be reached (the error is not passed on: it may name the server)."""
        try:
            return script(keys=keys, args=args)
        except self._errors:
            raise PlacesUnavailable() from None


def _all() -> str:
    return f"{KEY_PREFIX}:all"


def _of(client: str) -> str:
    return f"{KEY_PREFIX}:client:{client}"

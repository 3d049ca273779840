"""waitress as Equitable runs it: behind the TLS reverse proxy, anonymous bodies kept in memory.

Why this module: two waitress defaults break promises made elsewhere.

* **Proxy headers.** Without a trusted proxy waitress deletes `X-Forwarded-Proto` and
  `X-Forwarded-For`, so behind the documented TLS proxy every request looks like plain http
  from the proxy's address: production redirects to https forever, the CSRF origin check fails,
  HSTS is never sent and every client shares one rate-limit bucket. Here waitress believes those
  headers only from the peers in `EQUITABLE_TRUSTED_PROXY` (addresses or networks; waitress
  itself takes one address), takes the client from the last `EQUITABLE_TRUSTED_PROXY_COUNT`
  hops of X-Forwarded-For, and deletes them from every other peer, so a client cannot choose
  its own address or scheme.
* **Spooling.** waitress keeps a request body in memory up to `inbuf_overflow` (512 KB) and
  then in a temporary file on disk. The anonymous channel promises that nothing a reporter
  sends touches the disk, so bodies sent to its paths get a limit of their own, derived from the
  incident form's limits (`ANONYMOUS_BODY_LIMIT`): up to it they stay in memory, beyond it
  waitress answers 413 from the headers (or, for a chunked body, as soon as the limit is passed)
  without storing the rest. Other paths may spool (a signed-in HR extract is written to
  `uploads/imports/` anyway) and are refused above `max_request_body_size`.
  Responses stay in memory up to `outbuf_overflow`, set to the same limit, so a decrypted
  incident attachment on its way to a case handler is not spooled either.

Depends on waitress internals (parser and channel classes); waitress is pinned exactly and
tests/production/ checks both behaviours on a real server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import Any

from waitress.buffers import OverflowableBuffer
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.proxy_headers import PROXY_HEADERS
from waitress.receiver import ChunkedReceiver, FixedStreamReceiver
from waitress.server import BaseWSGIServer, create_server

from equitable.incidents.attachments import MAX_FILE_BYTES, MAX_FILES

# The anonymous channel (equitable/urls.py mounts it here). Bodies to these paths stay in memory.
ANONYMOUS_PATHS = ("/report-an-incident",)
# Every attachment the form accepts at its largest, plus the text fields (20,000 characters of
# up to 4 bytes each, several times over) and the multipart framing.
ANONYMOUS_BODY_LIMIT = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024
# Anything else: the largest upload a signed-in user may send, plus framing.
UPLOAD_ALLOWANCE = 16 * 1024 * 1024

Network = IPv4Network | IPv6Network


class _LimitsForThisRequest:
    """The server's adjustments, with the body limits of one request replaced."""

    def __init__(self, adjustments, body_limit: int):
        self._adjustments = adjustments
        self.max_request_body_size = body_limit
        self.inbuf_overflow = body_limit

    def __getattr__(self, name: str):
        return getattr(self._adjustments, name)


class AnonymousBodiesInMemoryParser(HTTPRequestParser):
    """waitress's parser, but a body sent to the anonymous channel never overflows to a file.

    The body buffer spills to disk only when it reaches `inbuf_overflow`; the request is refused
    (413) once `max_request_body_size` is reached. Both are the same number here, so the
    request is refused before its buffer could spill.
    """

    adj: Any  # waitress's Adjustments, or this request's limits over them

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)
        if not self.path.startswith(ANONYMOUS_PATHS):
            return
        self.adj = _LimitsForThisRequest(self.adj, ANONYMOUS_BODY_LIMIT)
        if self.chunked:
            self.body_rcv = ChunkedReceiver(OverflowableBuffer(ANONYMOUS_BODY_LIMIT))
        elif self.content_length > 0:
            self.body_rcv = FixedStreamReceiver(
                self.content_length, OverflowableBuffer(ANONYMOUS_BODY_LIMIT)
            )


class EquitableChannel(HTTPChannel):
    parser_class = AnonymousBodiesInMemoryParser


def only_from_trusted_peers(application: Callable, proxies: Iterable[Network]) -> Callable:
    """Delete the proxy headers of any peer that is not one of `proxies`.

    Wraps waitress's own proxy-header handling (which is told to trust every peer), so that the
    trusted proxy may be a list of addresses or networks rather than waitress's single address.
    """
    trusted = tuple(proxies)
    names = ["HTTP_" + header for header in PROXY_HEADERS]

    def is_trusted(peer: str) -> bool:
        try:
            address = ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in trusted)

    def application_behind_proxy(environ, start_response):
        if not is_trusted(environ.get("REMOTE_ADDR", "")):
            for name in names:
                environ.pop(name, None)
        return application(environ, start_response)

    return application_behind_proxy


def adjustments(*, host: str, port: int, threads: int) -> dict:
    """waitress settings from Django's (read at start-up; see docs/operations.md)."""
    from django.conf import settings

    values = {
        "host": host,
        "port": port,
        "threads": threads,
        "ident": "Equitable",
        "clear_untrusted_proxy_headers": True,
        "max_request_body_size": max(settings.EQUITABLE_MAX_IMPORT_BYTES, ANONYMOUS_BODY_LIMIT)
        + UPLOAD_ALLOWANCE,
        "outbuf_overflow": ANONYMOUS_BODY_LIMIT,
    }
    if settings.EQUITABLE_TRUSTED_PROXIES:
        values.update(
            trusted_proxy="*",  # narrowed to EQUITABLE_TRUSTED_PROXY by only_from_trusted_peers
            trusted_proxy_count=settings.EQUITABLE_TRUSTED_PROXY_COUNT,
            trusted_proxy_headers=set(settings.EQUITABLE_TRUSTED_PROXY_HEADERS),
        )
    return values


def create(application: Callable, *, host: str, port: int, threads: int, **extra):
    """A waitress server (not yet running) configured as above; `.run()` serves."""
    from django.conf import settings

    socket_map: dict = {}
    server = create_server(
        application, map=socket_map, **adjustments(host=host, port=port, threads=threads), **extra
    )
    for listener in socket_map.values():
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = EquitableChannel
            if settings.EQUITABLE_TRUSTED_PROXIES:
                listener.application = only_from_trusted_peers(
                    listener.application, settings.EQUITABLE_TRUSTED_PROXIES
                )
    return server

"""What keeps the public reporting pages from learning or leaving anything about the reporter.

* `anonymous_channel` wraps every public view: it marks the request so the logging filter
  withholds anything logged while it runs; turns any error into a plain 500 page logged only by
  type (never with the request, its path, body or a traceback); removes every Set-Cookie header
  (no session, no CSRF cookie, no message cookie); and sends `Cache-Control: no-store`,
  `Referrer-Policy: no-referrer` and a Permissions-Policy that turns off device features.
* CSRF without a cookie: each form carries a signed, time-limited token (Django's signing with
  the secret key) in a hidden field, and unsafe requests must come from our own origin
  (`Sec-Fetch-Site` and `Origin` when the browser sends them). The token holds no identity.
* Uploads stay in memory (`BoundedMemoryUploadHandler`): plaintext attachments never touch the
  disk, and a file over the limit is flagged instead of read.
* Rate limits per client address per minute (EQUITABLE_REPORT_RATE_LIMIT) for submissions and
  receipt look-ups, in memory only (incidents/ratelimit.py).
"""

from __future__ import annotations

import io
import logging
from functools import wraps

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from equitable.core.access import public_view
from equitable.core.errors import not_found, server_error, too_large
from equitable.incidents.attachments import MAX_FILE_BYTES
from equitable.incidents.logfilter import in_reporting_channel
from equitable.incidents.ratelimit import RedisWindowLimiter, SlidingWindowLimiter

logger = logging.getLogger("equitable.incidents")
FORM_TOKEN_SALT = "equitable.incidents.form-token"
FORM_TOKEN_MAX_AGE = 4 * 3600
_SAFE_FETCH_SITES = {"same-origin", "none"}


# What an anonymous visitor may do a limited number of times a minute: report, look up a
# receipt, and sign up to a mentoring scheme through its open link.
LIMITED_ACTIONS = ("submit", "lookup", "mentoring_signup")


def _limiters() -> dict[str, SlidingWindowLimiter | RedisWindowLimiter]:
    """In this process's memory by default; in Redis when EQUITABLE_REDIS_URL is set, so that
    several web processes behind one proxy hold one limit per client between them."""
    limit = settings.EQUITABLE_REPORT_RATE_LIMIT
    if settings.EQUITABLE_REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.EQUITABLE_REDIS_URL)
        return {name: RedisWindowLimiter(client, limit, name=name) for name in LIMITED_ACTIONS}
    return {name: SlidingWindowLimiter(limit) for name in LIMITED_ACTIONS}


LIMITERS = _limiters()


def within_rate_limit(request, action: str) -> bool:
    limiter = LIMITERS[action]
    if limiter.limit != settings.EQUITABLE_REPORT_RATE_LIMIT:
        limiter.reset(settings.EQUITABLE_REPORT_RATE_LIMIT)
    return limiter.allow(request.META.get("REMOTE_ADDR", ""))


def rate_limited(request):
    return render(request, "incidents/public/rate_limited.html", status=429)


def form_token() -> str:
    return signing.dumps("report-form", salt=FORM_TOKEN_SALT)


def form_token_problem(request) -> str | None:
    """None when a POST may proceed, else what went wrong, in plain words."""
    site = request.META.get("HTTP_SEC_FETCH_SITE")
    if site is not None and site not in _SAFE_FETCH_SITES:
        return "This form must be sent from this website"
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin != "null":
        expected = f"{request.scheme}://{request.get_host()}"
        trusted = set(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
        if origin != expected and origin not in trusted:
            return "This form must be sent from this website"
    try:
        signing.loads(
            request.POST.get("form_token", ""), salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE
        )
    except signing.SignatureExpired:
        return "The page was open for too long. Your answers are below: send them again"
    except signing.BadSignature:
        return "The form could not be checked. Send it again from this website"
    return None


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Keep each upload in memory up to the limit; flag larger ones without reading them."""

    def __init__(self, request=None, max_bytes: int = MAX_FILE_BYTES):
        super().__init__(request)
        self.max_bytes = max_bytes

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer: io.BytesIO | None = io.BytesIO()
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if self.too_large:
            return None
        if start + len(raw_data) > self.max_bytes:
            self.too_large = True
            self.buffer = None
            return None
        self.buffer.write(raw_data)  # type: ignore[union-attr]
        return None

    def file_complete(self, file_size):
        content = io.BytesIO() if self.too_large else self.buffer
        content.seek(0)  # type: ignore[union-attr]
        upload = InMemoryUploadedFile(
            content,
            self.field_name,
            "upload",  # the reporter's file name is never kept
            self.content_type,
            0 if self.too_large else file_size,
            self.charset,
        )
        upload.too_large = self.too_large  # type: ignore[attr-defined]
        return upload


SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "X-Robots-Tag": "noindex",
}


def anonymous_channel(view):
    """Public, cookie-free, log-free, error-contained (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = in_reporting_channel.set(True)
        try:
            request.upload_handlers = [BoundedMemoryUploadHandler(request)]
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = not_found(request)
            except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
                response = too_large(request)  # over Django's limits: refused, not a crash
            except Exception as error:  # noqa: BLE001 - contained: logged by type only
                logger.error("reporting view failed: %s", type(error).__name__)
                response = server_error(request)
            if hasattr(response, "render") and callable(response.render):
                response.render()
        finally:
            in_reporting_channel.reset(token)
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        session = getattr(request, "session", None)
        if session is not None:
            session.modified = False
        for name in list(response.cookies):
            del response.cookies[name]
        for header, value in SECURITY_HEADERS.items():
            response[header] = value
        return response

    return public_view(csrf_exempt(wrapped))

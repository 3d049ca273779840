"""Error pages in the service's own style, each with a way back.

Django calls these for 403, 404 and 500 (equitable/urls.py: handler403/404/500) whatever
DEBUG says in production and the demo (DEBUG is off there). The 500 page is rendered from a
template that reads nothing from the request or the database (core/error_500.html), because
the error may be that the database is gone; and should even that template fail, a plain page
is sent. 429 is used by rate-limited pages.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

log = logging.getLogger(__name__)


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _ways_back(request) -> list[dict]:
    if _signed_in(request):
        return [
            {"text": "Go to your home page", "href": reverse("core:home")},
            {"text": "Read the help", "href": reverse("core:help")},
        ]
    return [{"text": "Sign in", "href": reverse("core:sign-in")}]


def _page(request, status: int, title: str, message: str, links=None, **extra) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": title,
            "message": message,
            "links": _ways_back(request) if links is None else links,
            "status": status,
            **extra,
        },
        status=status,
    )


def forbidden(request, exception=None):  # noqa: ARG001 - Django passes exception=
    return _page(
        request,
        403,
        "You do not have access to this page",
        "Your role does not include this page. Ask your organisation admin if you need it.",
    )


def not_found(request, exception=None):  # noqa: ARG001 - Django passes exception=
    return _page(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied "
        "the whole address. The page may also have been removed.",
    )


def csrf_failure(request, reason: str = ""):  # noqa: ARG001 - Django passes reason=
    """settings.CSRF_FAILURE_VIEW: a form sent without its valid token (often a page left open
    past the session, or opened in another browser), in our design rather than Django's."""
    return _page(
        request,
        403,
        "This form has expired",
        "For your security, forms stop working after a while or after you sign in or out. Go "
        "back, reload the page and send it again.",
    )


def too_many_requests(request, message: str | None = None):
    return _page(
        request,
        429,
        "Too many attempts",
        message
        or "Too many requests came from this connection in a short time. Wait a minute "
        "and try again.",
    )


PLAIN_500 = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a '
    "problem with the service – Equitable</title></head><body><h1>Sorry, there is a problem "
    "with the service</h1><p>Try again later. Nothing you entered has been lost.</p>"
    '<p><a href="/">Go to the home page</a></p></body></html>'
)


def server_error(_request=None):
    """Rendered without the request or the database: the error may be that they failed."""
    try:
        html = loader.get_template("core/error_500.html").render({})
    except Exception:  # noqa: BLE001 - the last resort must not fail in turn
        log.exception("the 500 page could not be rendered")
        html = PLAIN_500
    return HttpResponseServerError(html)


def too_large(request):
    """A request over Django's limits (body size, number of fields or files): refused whole,
    since what was sent cannot be read back to the sender."""
    return _page(
        request,
        413,
        "What you sent is too large",
        "Nothing was kept. Go back and send less at once: shorter text, or fewer or smaller files.",
        links=[],
    )

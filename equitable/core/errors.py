"""Error pages in the service's own style."""

from django.shortcuts import render


def forbidden(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": "You do not have access to this page",
            "message": "Your role does not include this page. Ask your organisation admin if you need it.",
        },
        status=403,
    )


def not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": "Page not found",
            "message": "If you typed the web address, check it is correct.",
        },
        status=404,
    )


def server_error(request):
    return render(
        request,
        "core/error.html",
        {
            "title": "Sorry, there is a problem with the service",
            "message": "Try again later. Nothing you entered has been lost.",
        },
        status=500,
    )


def too_large(request):
    """A request over Django's limits (body size, number of fields or files): refused whole,
    since what was sent cannot be read back to the sender."""
    return render(
        request,
        "core/error.html",
        {
            "title": "What you sent is too large",
            "message": "Nothing was kept. Go back and send less at once: shorter text, or "
            "fewer or smaller files.",
        },
        status=413,
    )

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

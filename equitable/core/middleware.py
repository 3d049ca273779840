"""Small middleware of our own."""

from __future__ import annotations


class NoStoreForSignedInMiddleware:
    """Pages for signed-in people may carry special-category figures: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response

"""A URL map with one view that fails, for the 500 page test (tests/core/test_error_pages.py)."""

from django.urls import path

from equitable.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("boom")


boom.allowed_roles = "public"  # type: ignore[attr-defined]

urlpatterns = [*urlpatterns, path("boom/", boom)]

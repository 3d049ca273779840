"""Within one GET request a lookup marked `per_request` asks the database once per argument;
a POST, and anything outside a request, always reads afresh."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from equitable.core.request_memo import RequestMemoMiddleware, per_request

calls: list[int] = []


class Row:
    def __init__(self, pk: int):
        self.pk = pk


@per_request
def lookup(row: Row) -> list[int]:
    calls.append(row.pk)
    return [row.pk]


def _view(request):
    first = lookup(Row(1))
    first.append(99)  # a caller changing its copy changes nobody else's
    assert lookup(Row(1)) == [1]
    lookup(Row(2))
    return HttpResponse("ok")


def test_a_get_request_asks_once_per_argument():
    calls.clear()
    RequestMemoMiddleware(_view)(RequestFactory().get("/"))
    assert calls == [1, 2]


def test_each_request_asks_again():
    calls.clear()
    middleware = RequestMemoMiddleware(_view)
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().head("/"))
    assert calls == [1, 2, 1, 2]


def test_a_post_always_reads_afresh():
    calls.clear()
    RequestMemoMiddleware(_view)(RequestFactory().post("/"))
    assert calls == [1, 1, 2]


def test_outside_a_request_nothing_is_kept():
    calls.clear()
    lookup(Row(1))
    lookup(Row(1))
    assert calls == [1, 1]

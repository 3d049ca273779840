"""Lookups made once per page: what several parts of one GET request ask the database for.

A WRES page asks for the organisation's snapshots, population benchmark and lifecycle data
version five or six times over (each family, the workforce tables, the survey indicators), 60
queries where a dozen would do. Passing the answers down through every layer would tie the
libraries' callers together; instead the functions that answer are marked `per_request`, and
within one GET or HEAD request (`RequestMemoMiddleware`) each answers once per argument.

Only for safe requests: a POST changes what these functions read, so it always reads afresh.
Outside a request (commands, jobs, tests calling services) nothing is kept. Keyed by each
argument's model and primary key, so two objects of the same row share the answer; a list is
copied on the way out, so no caller can change another's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

_kept: ContextVar[dict | None] = ContextVar("equitable_request_memo", default=None)
SAFE_METHODS = frozenset({"GET", "HEAD"})

Function = TypeVar("Function", bound=Callable[..., Any])


def _part(argument: Any) -> Any:
    pk = getattr(argument, "pk", None)
    if pk is not None:
        return (type(argument).__name__, pk)
    return argument


def per_request(function: Function) -> Function:
    @functools.wraps(function)
    def once(*args: Any) -> Any:
        kept = _kept.get()
        if kept is None:
            return function(*args)
        key = (function.__module__, function.__qualname__, *map(_part, args))
        if key not in kept:
            kept[key] = function(*args)
        answer = kept[key]
        return list(answer) if isinstance(answer, list) else answer

    return cast(Function, once)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        token = _kept.set({})
        try:
            return self.get_response(request)
        finally:
            _kept.reset(token)

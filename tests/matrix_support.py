"""Support for the permission-matrix test: every URL, every role, and what to expect.

Every view declares its roles (`role_required(...)` or `public_view`), which the matrix reads
from `view.allowed_roles`. URLs with parameters need sample objects: each app's
`tests/<app>/matrix.py` defines

    def samples(org) -> dict[str, dict]:    # URL name -> kwargs, objects created in `org`
    NOT_OBJECT_SCOPED: set[str] = set()     # URL names whose kwargs are not org objects
    SKIP: dict[str, str] = {}               # URL name -> why the matrix cannot GET it

so that the test can call the URL as every role, and as the other council's users with this
council's object IDs (which must be a 404).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

import tests


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: object
    has_params: bool


def _walk(patterns, namespace: str = "", prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.pattern.describe().startswith("'api/"):
                continue  # the Ninja API has its own matrix (tests/core/test_api.py)
            ns = entry.namespace or ""
            yield from _walk(
                entry.url_patterns,
                f"{namespace}:{ns}".strip(":") if ns else namespace,
                prefix + str(entry.pattern),
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Route(
                name=name,
                pattern=prefix + str(entry.pattern),
                callback=entry.callback,
                has_params=bool(entry.pattern.regex.groupindex),
            )


def all_routes() -> list[Route]:
    return sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)


def matrix_modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            yield importlib.import_module(f"tests.{info.name}.matrix")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{info.name}.matrix":
                raise


def collect_samples(org) -> tuple[dict[str, dict], set[str], dict[str, str]]:
    samples: dict[str, dict] = {}
    not_scoped: set[str] = set()
    skip: dict[str, str] = {}
    for module in matrix_modules():
        samples.update(module.samples(org))
        not_scoped |= set(getattr(module, "NOT_OBJECT_SCOPED", set()))
        skip.update(getattr(module, "SKIP", {}))
    return samples, not_scoped, skip

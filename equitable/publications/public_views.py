"""The public site: `/published/` (every council that publishes, and their published figures
side by side) and `/published/<organisation>/` (its publications by year, each page, PDF and
download). No sign-in. These views read only published and withdrawn versions, and serve what
was stored at publication: nothing unpublished can be reached from here (another status is a
404, whatever its id)."""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from markupsafe import Markup

from equitable.core.access import public_view
from equitable.core.models import Organisation
from equitable.publications import comparison, services
from equitable.publications.models import Kind, Publication, PublishedFile
from equitable.workforce import catalogue


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _public(slug: str, pk: int) -> Publication:
    organisation = _organisation(slug)
    return get_object_or_404(
        Publication.objects.select_related("organisation"),
        pk=pk,
        organisation=organisation,
        status__in=Publication.PUBLIC,
    )


@public_view
def index(request):
    return render(
        request,
        "publications/public_index.html",
        {
            "organisations": services.public_organisations(),
            "comparison": comparison.comparison(viewer=None),
            "columns": comparison.COLUMNS,
        },
    )


@public_view
def organisation(request, slug):
    organisation = _organisation(slug)
    items = list(services.public_publications(organisation))
    years: dict[int, list[Publication]] = {}
    for item in items:
        years.setdefault(item.year, []).append(item)
    return render(
        request,
        "publications/public_organisation.html",
        {
            "page_organisation": organisation,
            "listed": organisation,
            "years": sorted(years.items(), reverse=True),
        },
    )


@public_view
def publication(request, slug, pk):
    item = _public(slug, pk)
    current = services.current_version(item)
    versions = list(
        services.public_publications(item.organisation)
        .filter(kind=item.kind, snapshot_date=item.snapshot_date)
        .order_by("-version")
    )
    files = list(item.files.defer("content"))
    return render(
        request,
        "publications/public_publication.html",
        {
            "page_organisation": item.organisation,
            "item": item,
            "body": Markup(item.body_html),  # rendered by our own template at publication
            "current": current,
            "versions": versions,
            "files": files,
            "data_tables": data_tables(files),
            "kind_label": Kind(item.kind).label,
        },
    )


def data_tables(files: list[PublishedFile]) -> list[dict]:
    """Each CSV with its schema and its table's title, in the order they were published."""
    names = {file.name for file in files}
    tables = []
    for file in files:
        if file.name.endswith(".csv"):
            table = file.name.removesuffix(".csv")
            figure = catalogue.BY_NAME.get(table)
            schema = f"{table}.schema.json"
            tables.append(
                {
                    "title": figure.title if figure else catalogue.humanise(table),
                    "csv": file.name,
                    "schema": schema if schema in names else None,
                }
            )
    return tables


@public_view
def publication_pdf(_request, slug, pk):
    item = _public(slug, pk)
    if not item.pdf:
        raise Http404
    response = HttpResponse(bytes(item.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{services.file_stem(item)}.pdf"'
    return response


# What the files kept at publication are called: table names, dots and hyphens.
FILE_NAME = re.compile(r"[A-Za-z0-9_.\-]+")


@public_view
def publication_file(_request, slug, pk, name):
    item = _public(slug, pk)
    if not FILE_NAME.fullmatch(name):  # e.g. a NUL byte, which PostgreSQL cannot even compare
        raise Http404
    stored = PublishedFile.objects.filter(publication=item, name=name).first()
    if stored is None:
        raise Http404
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{services.file_stem(item)}-{name}"'
    return response

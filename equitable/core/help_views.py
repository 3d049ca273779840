"""Help pages: where each section's figures come from, and the definitions behind them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from equitable.core import help
from equitable.core import roles as R
from equitable.core.access import role_required


@role_required(R.ALL_ROLES)
def help_index(request):
    return render(request, "core/help/index.html", {"sections": help.sections_for(request.user)})


@role_required(R.ALL_ROLES)
def help_section(request, section: str):
    """Readable by every signed-in role (help holds no data); the index lists a role's own."""
    chosen = help.BY_SLUG.get(section)
    if chosen is None:
        raise Http404
    return render(
        request,
        "core/help/section.html",
        {"section": chosen, "can_open_section": request.user.role in chosen.roles},
    )


@role_required(R.ALL_ROLES)
def help_doc(request, doc: str):
    html = help.rendered_doc(doc)
    if html is None:
        raise Http404
    return render(request, "core/help/doc.html", {"html": html, "doc": doc})

"""The home page (a dashboard per role, core/dashboard.py) and the choice of pinned measures."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from equitable.actions import summary as action_summary
from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import organisation_for, role_required
from equitable.core.dashboard import dashboard_for
from equitable.core.models import AuditEvent
from equitable.core.services import home_sections


@role_required(R.ALL_ROLES)
def home(request):
    return render(
        request,
        "core/home.html",
        {"board": dashboard_for(request.user), "sections": home_sections(request.user)},
    )


class PinnedMeasuresForm(forms.Form):
    measures = forms.MultipleChoiceField(
        label="Measures shown on the home page",
        help_text="Select all that apply. Everyone in the organisation sees them on their home "
        "page, protected for those without access to personal-level data.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose measures from the list"},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = choices


@role_required(R.PROGRAMME_ROLES)
def home_pins(request):
    """Choose the measures pinned among everyone's headline figures (audited)."""
    organisation = organisation_for(request.user)
    measures = list(action_summary.pinnable_measures(organisation))
    choices = [(str(m.pk), f"{m.ref + ': ' if m.ref else ''}{m.name}") for m in measures]
    initial = {"measures": [str(m.pk) for m in measures if m.pinned_on_home]}
    form = PinnedMeasuresForm(
        request.POST if request.method == "POST" else None, choices=choices, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["measures"]}
        pinned, unpinned = action_summary.set_pinned(organisation, chosen)
        audit.record(
            request.user,
            AuditEvent.Action.CHANGE,
            "measure",
            detail=f"home page pins: {pinned} pinned, {unpinned} unpinned",
        )
        messages.success(request, f"{len(chosen)} measure{'s' if len(chosen) != 1 else ''} pinned")
        return redirect("core:home")
    return render(request, "core/home_pins.html", {"form": form, "error_form": form})

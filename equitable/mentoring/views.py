"""Mentoring pages: schemes, sign-up (signed in, or by the scheme's open link), the people of
a scheme (the personal store, audited), matching, and each pair.

Schemes and their people are reached through `get_for_user` (another council's → 404);
coordinators are the EDI officer and the organisation admin. A pair is reached by either
council whose person is in it; only the scheme's own council proposes, swaps, confirms and
ends it, and another council's people are shown only as anonymous entries until the pair is
confirmed (services.may_see_personal).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, public_view, role_required
from equitable.incidents.anonymity import within_rate_limit
from equitable.mentoring import services
from equitable.mentoring.forms import (
    ChangeMentorForm,
    CheckInForm,
    EndPairForm,
    SchemeForm,
    SignUpForm,
    WeightsForm,
)
from equitable.mentoring.models import Pair, Participant, Scheme
from equitable.metrics.mentoring.scoring import COMPONENT_SHORT_LABELS
from equitable.metrics.mentoring.synthetic import DIRECTORATES

COORDINATORS = services.COORDINATOR_ROLES
SIGN_UP_ROLES = R.ALL_ORG_ROLES


def _posted(request):
    return request.POST if request.method == "POST" else None


def _scheme(request, pk) -> Scheme:
    return get_for_user(Scheme.objects.all(), request.user, pk)


def _coordinated(request, pk) -> Scheme:
    scheme = _scheme(request, pk)
    if not services.is_coordinator(request.user, scheme):
        raise PermissionDenied
    return scheme


@role_required(SIGN_UP_ROLES)
def index(request):
    organisation = organisation_for(request.user)
    schemes = list(Scheme.objects.filter(organisation=organisation))
    coordinator = request.user.role in COORDINATORS
    return render(
        request,
        "mentoring/index.html",
        {
            "schemes": [(s, services.scheme_counts(s)) for s in schemes] if coordinator else [],
            "open_schemes": [s for s in schemes if s.open_for_signup],
            "coordinator": coordinator,
        },
    )


@role_required(COORDINATORS)
def create(request):
    organisation = organisation_for(request.user)
    form = SchemeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        scheme = form.save(commit=False)
        scheme.organisation = organisation
        scheme.save()
        audit.record(
            request.user, "create", "mentoring_scheme", scheme.pk, f"scheme {scheme.name} set up"
        )
        messages.success(request, f"{scheme.name} set up: share its sign-up link")
        return redirect("mentoring:scheme", scheme.pk)
    return render(
        request, "mentoring/edit.html", {"form": form, "error_form": form, "scheme": None}
    )


@role_required(COORDINATORS)
def edit(request, pk):
    scheme = _coordinated(request, pk)
    form = SchemeForm(_posted(request), instance=scheme)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            request.user, "change", "mentoring_scheme", scheme.pk, f"scheme {scheme.name} edited"
        )
        messages.success(request, "Scheme saved")
        return redirect("mentoring:scheme", scheme.pk)
    return render(
        request, "mentoring/edit.html", {"form": form, "error_form": form, "scheme": scheme}
    )


@role_required(COORDINATORS)
def scheme_detail(request, pk):
    scheme = _coordinated(request, pk)
    link = request.build_absolute_uri(f"/mentoring/join/{scheme.signup_token}/")
    return render(
        request,
        "mentoring/scheme.html",
        {
            "scheme": scheme,
            "counts": services.scheme_counts(scheme),
            "signup_link": link,
            "participants": scheme.participants.filter(left_at__isnull=True),
        },
    )


@role_required(COORDINATORS)
def people(request, pk):
    """The personal store of the scheme's own people: every opening audited."""
    scheme = _coordinated(request, pk)
    participants = list(scheme.participants.filter(left_at__isnull=True))
    details = services.personal_details(
        request.user, participants, purpose=f"people of {scheme.name}"
    )
    return render(
        request,
        "mentoring/people.html",
        {"scheme": scheme, "rows": [(p, details.get(p.pk, {})) for p in participants]},
    )


@role_required(COORDINATORS)
@require_POST
def leave(request, pk, participant_pk):
    scheme = _coordinated(request, pk)
    participant = scheme.participants.filter(pk=participant_pk, left_at__isnull=True).first()
    if participant is None:
        raise Http404
    services.leave(participant, user=request.user)
    messages.success(
        request, f"{participant.ref} has left the scheme; their name and e-mail are deleted"
    )
    return redirect("mentoring:people", scheme.pk)


def _directorates(scheme: Scheme) -> list[str]:
    names = list(scheme.organisation.directorates.values_list("name", flat=True))
    return names or list(DIRECTORATES)


def _signup(request, scheme: Scheme, *, user, template_extra: dict):
    form = SignUpForm(
        _posted(request), bands=services.band_order(scheme), directorates=_directorates(scheme)
    )
    if request.method == "POST" and form.is_valid():
        participant = services.sign_up(scheme, form.answers(), user=user)
        return render(
            request,
            "mentoring/signed_up.html",
            {"scheme": scheme, "participant": participant, **template_extra},
        )
    return render(
        request,
        "mentoring/signup.html",
        {"scheme": scheme, "form": form, "error_form": form, **template_extra},
    )


@role_required(SIGN_UP_ROLES)
def signup(request, pk):
    scheme = _scheme(request, pk)
    if not scheme.open_for_signup:
        raise Http404
    return _signup(request, scheme, user=request.user, template_extra={"public": False})


@public_view
def open_signup(request, token: str):
    scheme = Scheme.objects.filter(signup_token=token, open_for_signup=True).first()
    if scheme is None:
        raise Http404
    if request.method == "POST":
        if not within_rate_limit(request, "mentoring_signup"):
            return render(request, "mentoring/rate_limited.html", status=429)
    return _signup(
        request,
        scheme,
        user=None,
        template_extra={"public": True, "page_organisation": scheme.organisation},
    )


@role_required(COORDINATORS)
def matching(request, pk):
    scheme = _coordinated(request, pk)
    form = WeightsForm(_posted(request), weights=services.weights_of(scheme))
    if request.method == "POST" and form.is_valid():
        services.save_weights(scheme, form.weights(), user=request.user)
        run = services.run_matching(scheme, user=request.user)
        messages.success(
            request,
            f"{run.optimum_pairs} pairs proposed; {len(run.unmatched)} mentee(s) without a match",
        )
        return redirect("mentoring:matching", scheme.pk)
    pairs = list(
        scheme.pairs.filter(status=Pair.Status.PROPOSED).select_related(
            "mentee", "mentor", "mentor__organisation"
        )
    )
    return render(
        request,
        "mentoring/matching.html",
        {
            "scheme": scheme,
            "form": form,
            "error_form": form,
            "pairs": pairs,
            "proposed_total": sum(p.score for p in pairs),
            "counts": services.scheme_counts(scheme),
            "confirmed": scheme.pairs.filter(status=Pair.Status.CONFIRMED).count(),
            "short_labels": COMPONENT_SHORT_LABELS,
        },
    )


@role_required(COORDINATORS)
@require_POST
def confirm_all(request, pk):
    scheme = _coordinated(request, pk)
    confirmed, problems = services.confirm_all(scheme, user=request.user)
    messages.success(request, f"{confirmed} pair(s) confirmed and told by e-mail")
    for problem in problems:
        messages.error(request, problem)
    return redirect("mentoring:matching", scheme.pk)


def _pair(request, pk) -> Pair:
    pair = services.pairs_for(request.user).filter(pk=pk).first()
    if pair is None:
        raise Http404
    return pair


def _owned_pair(request, pk) -> Pair:
    pair = _pair(request, pk)
    if pair.organisation_id != request.user.organisation_id:
        raise PermissionDenied
    return pair


def _person(request, participant: Participant) -> dict:
    entry = services.anonymous_entry(participant)
    entry["own"] = participant.organisation_id == request.user.organisation_id
    return entry


@role_required(COORDINATORS)
def pair_detail(request, pk):
    organisation_for(request.user)
    pair = _pair(request, pk)
    owner = pair.organisation_id == request.user.organisation_id
    details = services.personal_details(
        request.user, [pair.mentee, pair.mentor], purpose=f"pair {pair}"
    )
    options = services.alternatives(pair) if owner and pair.status == Pair.Status.PROPOSED else []
    return render(
        request,
        "mentoring/pair.html",
        {
            "pair": pair,
            "owner": owner,
            "mentee": _person(request, pair.mentee),
            "mentor": _person(request, pair.mentor),
            "details": details,
            "options": options[:10],
            "change_form": ChangeMentorForm(options=options),
            "end_form": EndPairForm(),
            "check_in_form": CheckInForm(),
            "check_ins": pair.check_ins.all(),
            "error_form": None,
        },
    )


@role_required(COORDINATORS)
@require_POST
def pair_change(request, pk):
    pair = _owned_pair(request, pk)
    options = services.alternatives(pair)
    form = ChangeMentorForm(request.POST, options=options)
    if form.is_valid():
        mentor = Participant.objects.get(pk=int(form.cleaned_data["mentor"]))
        try:
            services.change_mentor(pair, mentor, user=request.user)
            messages.success(request, f"Mentor changed to {mentor.ref}")
        except services.PairRefused as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Choose a mentor from the list")
    return redirect("mentoring:pair", pair.pk)


@role_required(COORDINATORS)
@require_POST
def pair_confirm(request, pk):
    pair = _owned_pair(request, pk)
    try:
        services.confirm(pair, user=request.user)
        messages.success(request, "Pair confirmed; both have been told by e-mail")
    except (services.PairRefused, ValueError) as error:
        messages.error(request, str(error))
    return redirect("mentoring:pair", pair.pk)


@role_required(COORDINATORS)
@require_POST
def pair_end(request, pk):
    pair = _owned_pair(request, pk)
    form = EndPairForm(request.POST)
    if form.is_valid() and pair.status == Pair.Status.CONFIRMED:
        services.end_pair(pair, form.cleaned_data["reason"], early=form.early(), user=request.user)
        messages.success(request, "Pair ended")
    else:
        messages.error(request, "Choose why the pair is ending (only a confirmed pair can end)")
    return redirect("mentoring:pair", pair.pk)


@role_required(COORDINATORS)
@require_POST
def pair_check_in(request, pk):
    pair = _owned_pair(request, pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.add_check_in(
                pair,
                rating=form.cleaned_data["rating"],
                meetings=form.cleaned_data["meetings"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
            messages.success(request, "Check-in recorded")
        except services.PairRefused as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Choose how the pair is going and give the number of meetings")
    return redirect("mentoring:pair", pair.pk)


@role_required(COORDINATORS)
def pairs(request):
    """Every pair the council's coordinators may see, own schemes' and shared pools'."""
    organisation_for(request.user)
    return render(
        request,
        "mentoring/pairs.html",
        {
            "pairs": [
                (p, _person(request, p.mentee), _person(request, p.mentor))
                for p in services.pairs_for(request.user)
            ]
        },
    )

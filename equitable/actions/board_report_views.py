"""Board report pages: the list by quarter, a quarter's draft (live figures, the key messages
form, issuing) and issued reports (frozen, served as stored).

Drafts and issued reports are the board's: every figure in them is as a board member may
read it, whoever opens them (`services.board_report`). Writing and issuing are the EDI
officer's (`board_reports.WRITE_ROLES`, else 403); an issued report of another organisation
is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from markupsafe import Markup

from equitable.actions import board_reports, services
from equitable.actions.board_report_forms import IssueForm, KeyMessagesForm
from equitable.actions.forms import QuarterForm
from equitable.actions.models import BoardReport
from equitable.core import audit, documents
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required
from equitable.core.models import AuditEvent

READ_ROLES = R.DASHBOARD_ROLES
WRITE_ROLES = board_reports.WRITE_ROLES
FULL_READ_ROLES = board_reports.FULL_READ_ROLES


def _quarter(quarter: str) -> str:
    try:
        services.parse_quarter(quarter)
    except ValueError as error:
        raise Http404 from error
    return quarter


def _issued(request, pk) -> BoardReport:
    return get_for_user(
        BoardReport.objects.exclude(status=BoardReport.Status.DRAFT).select_related("issued_by"),
        request.user,
        pk,
    )


@role_required(READ_ROLES)
def board_report_choose(request):
    """The "Board reports" page: every quarter's draft and issued versions, and a way to open
    any quarter's draft."""
    organisation = organisation_for(request.user)
    form = QuarterForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("actions:board-report", form.cleaned_data["quarter"])
    current = services.quarter_of(services.today())
    return render(
        request,
        "actions/board_report_choose.html",
        {
            "form": form,
            "error_form": form if request.GET else None,
            "suggested": services.latest_complete_quarter(),
            "current": current,
            "rows": board_reports.quarter_rows(organisation, current),
            "can_write": request.user.role in WRITE_ROLES,
        },
    )


def _draft_page(request, quarter: str, form: KeyMessagesForm | None = None, status: int = 200):
    organisation = organisation_for(request.user)
    can_write = request.user.role in WRITE_ROLES
    draft_messages = board_reports.key_messages_for(organisation, quarter)
    context = board_reports.report_context(
        organisation, quarter, request.user.role, key_messages=draft_messages
    )
    if can_write and form is None:
        form = KeyMessagesForm(initial={"key_messages": draft_messages})
    context.update(
        {
            "form": form,
            "error_form": form if form is not None and form.is_bound else None,
            "can_write": can_write,
            "draft": board_reports.draft_for(organisation, quarter),
            "current_issue": board_reports.issued_for(organisation, quarter),
        }
    )
    return render(request, "actions/board_report.html", context, status=status)


@role_required(READ_ROLES)
def board_report(request, quarter: str):
    """A quarter's draft: the live figures, the key messages and (EDI officer) the form."""
    return _draft_page(request, _quarter(quarter))


@role_required(WRITE_ROLES)
def board_report_messages(request, quarter: str):
    """POST the key messages; a GET goes back to the report."""
    quarter = _quarter(quarter)
    if request.method != "POST":
        return redirect("actions:board-report", quarter)
    form = KeyMessagesForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, quarter, form, status=400)
    board_reports.save_key_messages(
        request.user, organisation_for(request.user), quarter, form.cleaned_data["key_messages"]
    )
    messages.success(request, "Key messages saved in the draft")
    return redirect(reverse("actions:board-report", args=[quarter]) + "#key-messages")


@role_required(READ_ROLES)
def board_report_pdf(request, quarter: str):
    """The draft as PDF (marked DRAFT): follows the live data."""
    quarter = _quarter(quarter)
    organisation_for(request.user)
    job = documents.request(
        request.user,
        "board_report.draft",
        f"Board report {quarter} (draft)",
        quarter=quarter,
        back=reverse("actions:board-report", args=[quarter]),
    )
    audit.record(request.user, AuditEvent.Action.EXPORT, "board_report", "", f"{quarter} draft")
    return documents.respond(job)


@role_required(WRITE_ROLES)
def board_report_issue(request, quarter: str):
    """GET: what issuing does, and (for a corrected version) what it corrects; POST: issue."""
    quarter = _quarter(quarter)
    organisation = organisation_for(request.user)
    current = board_reports.issued_for(organisation, quarter)
    # An empty POST is a submission too: issuing a first version needs no input.
    data = request.POST if request.method == "POST" else None
    form = IssueForm(data, correcting=current is not None)
    if request.method == "POST" and form.is_valid():
        try:
            report = board_reports.issue(
                request.user,
                organisation,
                quarter,
                correction=form.cleaned_data.get("correction", ""),
            )
        except board_reports.IssueConflict:
            messages.error(
                request, "Someone issued this quarter's report meanwhile: check it and try again"
            )
            return redirect("actions:board-report-choose")
        except ValidationError as error:
            form.add_error("correction" if current else None, error)
        else:
            messages.success(request, f"Board report {quarter} issued (version {report.version})")
            return redirect("actions:board-report-issued", report.pk)
    return render(
        request,
        "actions/board_report_issue.html",
        {
            "quarter": quarter,
            "form": form,
            "error_form": form if form.is_bound else None,
            "current_issue": current,
            "key_messages": board_reports.key_messages_for(organisation, quarter),
            "quarter_end": services.parse_quarter(quarter)[1],
            "quarter_open": services.parse_quarter(quarter)[1] >= services.today(),
        },
    )


@role_required(READ_ROLES)
def board_report_issued(request, pk: int):
    """An issued report as it was issued: its stored body, never re-rendered from data."""
    report = _issued(request, pk)
    full = request.user.role in FULL_READ_ROLES
    return render(
        request,
        "actions/board_report_issued.html",
        {
            "report": report,
            "quarter": report.quarter,
            "start": services.parse_quarter(report.quarter)[0],
            "end": services.parse_quarter(report.quarter)[1],
            "organisation": report.organisation,
            # Rendered (and escaped) by our templates when it was issued; stored as it was.
            "body": Markup(report.body_html),  # noqa: S704
            "incidents": Markup(report.incidents_html) if full else None,  # noqa: S704
            "can_download": full,
            "versions": board_reports.versions_for(report.organisation, report.quarter),
            "can_write": request.user.role in WRITE_ROLES,
            "superseded_by": report.superseded_by,
        },
    )


@role_required(FULL_READ_ROLES)
def board_report_issued_pdf(request, pk: int):
    """The PDF bytes stored when the report was issued, unchanged."""
    report = _issued(request, pk)
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "board_report",
        report.pk,
        f"issued {report.quarter} version {report.version}",
    )
    response = HttpResponse(board_reports.issued_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.organisation.slug}-board-report-'
        f'{report.quarter}-v{report.version}.pdf"'
    )
    return response

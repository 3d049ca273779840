"""The public reporting pages: no sign-in, no cookies, no JavaScript needed, nothing about the
reporter kept (see anonymity.py). Only POST bodies carry answers and receipt codes."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from equitable.core.models import Organisation
from equitable.incidents import receipts, services
from equitable.incidents.anonymity import (
    anonymous_channel,
    form_token,
    form_token_problem,
    rate_limited,
    within_rate_limit,
)
from equitable.incidents.attachments import ALLOWED_DESCRIPTION, MAX_FILE_BYTES, MAX_FILES
from equitable.incidents.forms import FollowUpForm, ReceiptForm, ReportForm, clean_uploads
from equitable.incidents.models import IncidentSettings, Sender, Status


def _context(**extra) -> dict:
    return {
        "form_token": form_token(),
        "max_files": MAX_FILES,
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        "allowed_files": ALLOWED_DESCRIPTION,
        **extra,
    }


@anonymous_channel
def start(request):
    organisations = list(Organisation.objects.order_by("name"))
    if len(organisations) == 1:
        return redirect("report:form", slug=organisations[0].slug)
    return render(request, "incidents/public/start.html", {"organisations": organisations})


@anonymous_channel
def report_form(request, slug: str):
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    today = services.today()
    form = ReportForm(request.POST or None, organisation=organisation, today=today)
    problems: list[str] = []
    if request.method == "POST":
        if not within_rate_limit(request, "submit"):
            return rate_limited(request)
        token_problem = form_token_problem(request)
        if token_problem:
            problems.append(token_problem)
        uploads = request.FILES.getlist("attachments")
        cleaned_files, file_problems = clean_uploads(uploads)
        problems += file_problems
        if form.is_valid() and not problems:
            receipt: receipts.Receipt | None
            if form.cleaned_data.get("website"):  # honeypot: pretend all went well
                receipt = receipts.generate()
            else:
                _report, receipt = services.submit_report(
                    organisation, form.answers(), cleaned_files
                )
            if receipt is None:
                raise RuntimeError("an online report is always given a receipt")
            return render(
                request,
                "incidents/public/confirmation.html",
                _context(
                    page_organisation=organisation,
                    receipt=receipt.display,
                    support=services.support_contacts(organisation),
                    first_response_working_days=IncidentSettings.for_organisation(
                        organisation
                    ).first_response_working_days,
                ),
            )
    return render(
        request,
        "incidents/public/form.html",
        _context(
            form=form,
            error_form=form,
            problems=problems,
            page_organisation=organisation,
            support=services.support_contacts(organisation),
        ),
    )


RECEIPT_FILE_NAME = "receipt-code.txt"


@anonymous_channel
@require_POST
def save_receipt(request):
    """The receipt as a text file, made from the code the confirmation page posts back.

    Why a POST of the code and not a stored file or a link: the receipt is never kept (only a
    hash of its secret part), so the server cannot make the file later, and the code must not
    appear in an address (history, proxy logs). Nothing is looked up or written: the code is
    checked for its shape only, and the file names no organisation and no date. The response
    is `no-store` (anonymous_channel) and sets no cookie."""
    if not within_rate_limit(request, "lookup"):
        return rate_limited(request)
    problem = form_token_problem(request)
    try:
        receipt = receipts.normalise(request.POST.get("receipt", ""))
    except receipts.ReceiptFormatError:
        receipt = None
    if problem or receipt is None:
        return render(
            request,
            "incidents/public/receipt_problem.html",
            {"problem": problem or "That is not a receipt code"},
            status=400,
        )
    follow_up = settings.EQUITABLE_SITE_URL.rstrip("/") + reverse("report:follow-up")
    text = (
        "Your receipt code\r\n"
        f"{receipt.display}\r\n\r\n"
        "Keep it somewhere private. It is shown only once and cannot be sent to you again.\r\n"
        f"With it you can read replies and add information at {follow_up}\r\n"
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{RECEIPT_FILE_NAME}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@anonymous_channel
def follow_up(request):
    """Enter the receipt to read replies and add information. The code travels only in POST
    bodies (a hidden field after the first look-up), never in the address or a cookie."""
    receipt_form = ReceiptForm(request.POST or None)
    message_form = FollowUpForm()
    if request.method != "POST":
        return render(request, "incidents/public/follow_up.html", _context(form=receipt_form))
    if not within_rate_limit(request, "lookup"):
        return rate_limited(request)
    problem = form_token_problem(request)
    report = None
    if problem is None and receipt_form.is_valid():
        try:
            receipt = receipts.normalise(receipt_form.cleaned_data["receipt"])
        except receipts.ReceiptFormatError as error:
            receipt_form.add_error("receipt", str(error))
        else:
            report = services.find_by_receipt(receipt)
            if report is None:
                receipt_form.add_error(
                    "receipt",
                    "We could not find a report with that receipt code. Check it and try again",
                )
    elif problem:
        receipt_form.add_error(None, problem)
    if report is None:
        return render(
            request,
            "incidents/public/follow_up.html",
            _context(form=receipt_form, error_form=receipt_form),
        )
    sent = False
    if request.POST.get("action") == "add":
        message_form = FollowUpForm(request.POST)
        cleaned_files, file_problems = clean_uploads(request.FILES.getlist("attachments"))
        for file_problem in file_problems:
            message_form.add_error(None, file_problem)
        if message_form.is_valid():
            services.add_message(
                report, Sender.REPORTER, message_form.cleaned_data["text"], cleaned_files
            )
            message_form = FollowUpForm()
            sent = True
    return render(
        request,
        "incidents/public/conversation.html",
        _context(
            report=report,
            status_label=Status(report.status).label,
            content=services.content(report),
            receipt=receipt_form.cleaned_data["receipt"],
            form=message_form,
            error_form=message_form,
            sent=sent,
            page_organisation=report.organisation,
        ),
    )

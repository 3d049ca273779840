"""What the home page tells case handlers about the inbox: reports waiting for a first response
and how long a first response takes.

Only CASE_HANDLER_ROLES may call this (core/dashboard.py checks): the counts are exact, and read
only the structured fields in clear (status, weeks), never report content.

Definitions (the dates are coarsened to the Monday of the week, so times are in whole weeks):
* waiting for a first response: the report is still "New" (nobody has acknowledged it), the
  state the inbox marks "Overdue" once its first-response date has passed;
* time to first response: from the week the report was received to the week of its first
  response (`Report.first_response_week`: the team's first reply, or the week it was
  acknowledged), in days; the median is over every report with a first response. The same
  definition as the response-time measures (metrics/response_times.py, the trends page).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from equitable.core.models import Organisation
from equitable.incidents import services
from equitable.incidents.models import Report, Status


@dataclass
class ResponseSummary:
    waiting: int
    waiting_overdue: int
    oldest_waiting_week: date | None
    median_days_to_first_response: float | None
    responded: int  # reports the median rests on


def response_summary(organisation: Organisation, on: date | None = None) -> ResponseSummary:
    on = on or services.today()
    reports = Report.objects.filter(organisation=organisation)
    waiting = reports.filter(status=Status.NEW)
    first_responses = reports.exclude(first_response_week=None).values_list(
        "submitted_week", "first_response_week"
    )
    days = [
        (response - received).days
        for received, response in first_responses
        if response is not None  # excluded above; the type does not know it
    ]
    return ResponseSummary(
        waiting=waiting.count(),
        waiting_overdue=waiting.filter(first_response_due__lt=on).count(),
        oldest_waiting_week=waiting.order_by("submitted_week")
        .values_list("submitted_week", flat=True)
        .first(),
        median_days_to_first_response=statistics.median(days) if days else None,
        responded=len(days),
    )

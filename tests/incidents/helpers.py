"""Shared steps for the incident tests."""

import re

from django.urls import reverse

from equitable.incidents import services
from equitable.incidents.anonymity import form_token
from equitable.incidents.models import Report


def answers(**overrides) -> dict:
    data = {
        "incident_type": "racism",
        "characteristics": ["race"],
        "directorate": "",
        "happened_month": "",
        "what_happened": "Something happened in the canteen.",
        "reported_elsewhere": "no",
        "desired_outcome": "Training for the team",
        "form_token": form_token(),
    }
    data.update(overrides)
    return data


def submit(client, organisation, **overrides):
    return client.post(reverse("report:form", args=[organisation.slug]), answers(**overrides))


def receipt_from(response) -> str:
    match = re.search(r'id="receipt-code"[^>]*>([0-9 ]+)<', response.content.decode())
    assert match, "no receipt shown"
    return match.group(1)


def paper_report(organisation, text="Paper report text", **fields) -> Report:
    report, _ = services.submit_report(
        organisation,
        services.NewReport(
            incident_type=fields.pop("incident_type", "bullying"),
            characteristics=fields.pop("characteristics", ["race"]),
            directorate=fields.pop("directorate", None),
            happened_month=None,
            what_happened=text,
            reported_elsewhere="no",
            desired_outcome="",
        ),
        source="paper",
    )
    return report

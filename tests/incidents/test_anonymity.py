"""In-process checks of what the reporting channel leaves behind (the real-server version is in
test_no_traces.py): database content, log files, cookies, and the log filter itself."""

import logging

from django.apps import apps
from django.conf import settings
from django.urls import reverse

from equitable.incidents.logfilter import RedactReportingChannel, in_reporting_channel
from tests.incidents.helpers import answers, receipt_from

MARKER = "OKAPI-MARKER-4410"
ADDRESS = "198.51.100.231"
USER_AGENT = "PangolinBrowser/7.1 (marker agent)"


def _database_dump() -> str:
    """Every value of every row of every table, as text (binary values as text and as hex), on
    whichever database the suite runs."""
    parts = []
    for model in apps.get_models():
        for row in model.objects.values_list():
            for value in row:
                if isinstance(value, bytes | memoryview):
                    raw = bytes(value)
                    parts += [raw.decode("latin-1"), raw.hex()]
                else:
                    parts.append(str(value))
    return "\n".join(parts)


def _logs() -> str:
    logging.getLogger("django.request").error("flush %s", "check")  # the file handler exists
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = "".join(p.read_text(errors="replace") for p in settings.LOG_DIR.glob("*.log*"))
    assert "flush check" in text  # the log file is really being written
    return text


def test_no_marker_address_or_user_agent_in_the_database_or_logs(client, org):
    meta = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": USER_AGENT, "HTTP_X_FORWARDED_FOR": ADDRESS}
    response = client.post(
        reverse("report:form", args=[org.slug]), answers(what_happened=MARKER), **meta
    )
    code = receipt_from(response).replace(" ", "")
    client.post(
        reverse("report:follow-up"),
        {"receipt": code, "form_token": answers()["form_token"]},
        **meta,
    )
    client.get("/report-an-incident/no-such-place/", **meta)
    dump, logs = _database_dump(), _logs()
    assert "racism" in dump  # the report's structured answers are in the dump
    for needle in (MARKER, ADDRESS, USER_AGENT, code):
        assert needle not in dump and needle.encode().hex() not in dump.lower(), needle
        assert needle not in logs, needle


def test_the_filter_withholds_records_made_in_the_channel_or_naming_its_path():
    redact = RedactReportingChannel()
    named = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "Not Found: %s", ("/report-an-incident/x/",), None
    )
    assert redact.filter(named) and "report-an-incident" not in named.getMessage()
    token = in_reporting_channel.set(True)
    try:
        inside = logging.LogRecord("x", logging.ERROR, "", 0, "text %s", (MARKER,), None)
        redact.filter(inside)
    finally:
        in_reporting_channel.reset(token)
    assert MARKER not in inside.getMessage() and inside.exc_info is None
    other = logging.LogRecord("x", logging.ERROR, "", 0, "staff page %s", ("ok",), None)
    redact.filter(other)
    assert other.getMessage() == "staff page ok"


def test_an_error_in_a_reporting_view_is_contained_and_logged_by_type_only(
    client, org, monkeypatch
):
    from equitable.incidents import services

    def broken(*args, **kwargs):
        raise ValueError(MARKER)

    monkeypatch.setattr(services, "submit_report", broken)
    response = client.post(reverse("report:form", args=[org.slug]), answers(), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 500 and response.cookies == {}
    assert MARKER not in _logs() and ADDRESS not in _logs()


def test_pages_for_a_signed_in_person_set_no_cookie_and_warn_them(client_as, org):
    client = client_as("hr_analyst")
    response = client.get(reverse("report:form", args=[org.slug]))
    assert response.cookies == {}
    assert "You are signed in to Equitable in this browser" in response.content.decode()

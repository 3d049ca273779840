"""Nothing stored by the reporting channel dates a report finer than its week.

A report (with a photo), a follow-up from the reporter, a reply, an internal note and a status
change go through the real views; then every column of every incidents table is read with raw
SQL and every value is searched for the time of submission: as a date or date-time in text, as a
number of seconds, milliseconds, microseconds or nanoseconds since 1970 in a number or in text,
and as an 8-byte integer (big- or little-endian, seconds or milliseconds) at every offset of
every binary value, of text decoded from base64, and of the decoded bytes of each. A date within
a day of the submission is allowed only when it is a Monday (the week it belongs to).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import struct
import time
from datetime import date, datetime, timedelta

from cryptography.fernet import Fernet
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from equitable.incidents.models import Report
from tests.incidents import files
from tests.incidents.helpers import answers, receipt_from

DAY = 86400
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?")
_DIGITS = re.compile(r"\d{10,19}")
_BASE64 = re.compile(r"[A-Za-z0-9+/_=-]{16,}")


def _near(seconds: float, now: float) -> bool:
    return abs(seconds - now) < DAY


def _number_finds(number: int | float, now: float) -> list[str]:
    return [
        f"{number} as 1/{scale} s since 1970"
        for scale in (1, 1_000, 1_000_000, 1_000_000_000)
        if _near(number / scale, now)
    ]


def _bytes_finds(raw: bytes, now: float, depth: int = 0) -> list[str]:
    found = []
    for offset in range(len(raw) - 7):
        window = raw[offset : offset + 8]
        for order in (">Q", "<Q"):
            (number,) = struct.unpack(order, window)
            # Seconds and milliseconds only: at finer scales a random 8-byte window of a
            # ciphertext would fall within a day by chance too often.
            if _near(number, now) or _near(number / 1000, now):
                found.append(f"8-byte integer {number} at offset {offset} ({order})")
    if depth < 2:
        found += _text_finds(raw.decode("latin-1"), now, depth + 1)
    return found


def _text_finds(text: str, now: float, depth: int = 0) -> list[str]:
    found = []
    today = timezone.localdate()
    for match in _DATE.finditer(text):
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if abs((day - today).days) <= 1 and (match[4] is not None or day.weekday() != 0):
            found.append(f"date {match[0]!r}")
    for match in _DIGITS.finditer(text):
        found += _number_finds(int(match[0]), now)
    if depth < 2:
        for match in _BASE64.finditer(text):
            for decode in (base64.urlsafe_b64decode, base64.b64decode):
                chunk = match[0]
                try:
                    decoded = decode(chunk + "=" * (-len(chunk) % 4))
                except (binascii.Error, ValueError):
                    continue
                found += [f"base64 {chunk[:12]}…: {f}" for f in _bytes_finds(decoded, now, depth)]
    return found


def value_finds(value, now: float) -> list[str]:
    """Every way `value` (as a database driver returns it) could hold the time `now`."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, datetime):
        return [f"date-time {value}"] if _near(value.timestamp(), now) else []
    if isinstance(value, date):
        today = timezone.localdate()
        return [f"date {value}"] if abs((value - today).days) <= 1 and value.weekday() else []
    if isinstance(value, int | float):
        return _number_finds(value, now)
    if isinstance(value, bytes | memoryview | bytearray):
        return _bytes_finds(bytes(value), now)
    return _text_finds(str(value), now)


def incidents_rows() -> dict[str, list[tuple]]:
    tables = [t for t in connection.introspection.table_names() if t.startswith("incidents_")]
    with connection.cursor() as cursor:
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = cursor.fetchall()
    return rows


def test_the_check_finds_a_fernet_timestamp_and_an_exact_date():
    """The search would have caught the old format, a day-precise date and an epoch number;
    the Monday of the week passes."""
    now = time.time()
    today = timezone.localdate()
    not_monday = today if today.weekday() else today + timedelta(days=1)
    assert value_finds(Fernet(Fernet.generate_key()).encrypt(b"text"), now)
    assert value_finds(not_monday, now) and value_finds(str(not_monday), now)
    assert value_finds(f"closed {not_monday.isoformat()} 10:31", now)
    assert value_finds(int(now * 1000), now) and value_finds(f"at {int(now)}", now)
    assert value_finds(struct.pack(">Q", int(now)), now)
    assert value_finds(today - timedelta(days=today.weekday()), now) == []


def test_no_stored_value_dates_a_report_finer_than_its_week(client, client_as, org):
    now = time.time()
    data = answers(what_happened="It happened in the lift")
    data["attachments"] = [io.BytesIO(files.jpeg_with_exif())]
    code = receipt_from(client.post(reverse("report:form", args=[org.slug]), data))
    report = Report.objects.get()
    officer = client_as("edi_officer")
    officer.post(reverse("incidents:note", args=[report.pk]), {"text": "Call HR"})
    officer.post(reverse("incidents:reply", args=[report.pk]), {"text": "Which floor?"})
    client.post(
        reverse("report:follow-up"),
        {"receipt": code, "action": "add", "text": "Third", "form_token": answers()["form_token"]},
    )
    officer.post(
        reverse("incidents:update", args=[report.pk]),
        {"status": "closed", "outcome": "resolved", "handler": "", "first_response_due": ""},
    )

    rows = incidents_rows()
    assert {"incidents_report", "incidents_message", "incidents_internalnote"} <= set(rows)
    assert len(rows["incidents_message"]) == 2 and len(rows["incidents_attachment"]) == 1
    assert Report.objects.get().closed_at is not None
    problems = [
        f"{table}: {find}"
        for table, table_rows in rows.items()
        for row in table_rows
        for value in row
        for find in value_finds(value, now)
    ]
    assert problems == []

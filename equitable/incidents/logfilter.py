"""The logging filter of the reporting channel (no Django imports: logging is configured before
the apps load)."""

from __future__ import annotations

import contextvars
import logging

in_reporting_channel: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "in_reporting_channel", default=False
)


class RedactReportingChannel(logging.Filter):
    """Withhold the details of any log record made while a reporting page runs, or that names
    the reporting path: the record keeps its level and logger, nothing else."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record must not break logging
            text = ""
        if in_reporting_channel.get() or "/report-an-incident" in text:
            record.msg = "event on the anonymous reporting channel (details withheld)"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
            for attribute in ("request", "client_addr", "remote_addr", "status_code"):
                if hasattr(record, attribute):
                    setattr(record, attribute, None)
        return True

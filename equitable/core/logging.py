"""Logging that cannot leak who a reporter is.

`DropClientDetails` removes the request (which carries the client address and user agent) from
log records and drops access-log lines outright; `DataDirFileHandler` writes to the data dir.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler


class DropClientDetails(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in {"django.server", "waitress.queue"} and record.levelno < logging.WARNING:
            return False
        for attribute in ("request", "client_addr", "remote_addr"):
            if hasattr(record, attribute):
                setattr(record, attribute, None)
        return True


class DataDirFileHandler(RotatingFileHandler):
    def __init__(self) -> None:
        from django.conf import settings

        settings.LOG_DIR.mkdir(parents=True, exist_ok=True)
        super().__init__(
            settings.LOG_DIR / "equitable.log", maxBytes=5_000_000, backupCount=3, delay=True
        )

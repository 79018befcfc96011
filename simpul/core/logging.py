"""Log formatting that keeps personal identifiers out of the logs.

A NIK can reach a log line by ways no code review catches (a URL someone
typed it into, an exception message from a library). The formatter masks
every 16-digit run in the finished line, traceback included.
"""

from __future__ import annotations

import logging

from .idn import redact_niks


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact_niks(super().format(record))

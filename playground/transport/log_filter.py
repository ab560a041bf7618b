"""Keeping the gateway out of the logs: urllib3's records name its host, port, path or
certificate (the pool on every connection, ``urllib3.connection`` on a malformed answer or a
TLS name mismatch), and the gateway URL is a secret of the visitor's.
"""

from __future__ import annotations

import logging


class HideConnectionLog(logging.Filter):
    """Drops every record of the logger it is added to."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Give False: no record passes."""
        return False


def hide_connection_log() -> None:
    """Filter every urllib3 logger there is (a filter holds only for records made at its own
    logger, not for those of its children); adding it twice is harmless."""
    names = [n for n in logging.root.manager.loggerDict if n.partition(".")[0] == "urllib3"]
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideConnectionLog) for f in logger.filters):
            logger.addFilter(HideConnectionLog())

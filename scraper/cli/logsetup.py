"""Logging set-up for the command line: stderr or the live console, an optional rotating log file, no passwords.

`configure_logging` is called once per command by the CLI (calling it again replaces what it
installed, nothing more, so tests and re-configuration never double every line). Records go
as plain `LOG_FORMAT` lines to the stream and the log file; while the live progress display
runs on a terminal they go instead to its `rich` console through a `RichHandler`, which prints
them above the display. Every handler carries `SecretMaskFilter`, which masks URL passwords
(`scraper.common.masking`) in the final message and in the traceback text, because database
errors quote the URL they failed on. Chatty third-party loggers are held at WARNING.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.logging import RichHandler

from scraper.common.errors import ConfigError
from scraper.common.masking import mask_secrets

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The console handler shows the time and the level in columns of its own.
CONSOLE_FORMAT = "%(name)s: %(message)s"
CONSOLE_TIME_FORMAT = "%H:%M:%S"
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_BACKUPS = 3
# Their DEBUG/INFO output is per HTTP request or per font lookup: noise at our INFO and DEBUG.
QUIET_LOGGERS = ("urllib3", "selenium", "matplotlib", "PIL", "alembic")


class SecretMaskFilter(logging.Filter):
    """Mask URL passwords in a record's message and traceback text; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when set, so the traceback is rendered (and masked) once here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


class _OwnHandlerMixin:
    """Marks the handlers configure_logging installed, so a second call can find and replace them."""


class _StderrHandler(_OwnHandlerMixin, logging.StreamHandler[TextIO]):
    pass


class _ConsoleHandler(_OwnHandlerMixin, RichHandler):
    pass


class _FileHandler(_OwnHandlerMixin, logging.handlers.RotatingFileHandler):
    pass


def configure_logging(
    level: str,
    *,
    stream: TextIO,
    console: Console | None = None,
    log_file: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backups: int = DEFAULT_BACKUPS,
) -> None:
    """Send records at `level` and above to `stream` (or `console`, when given), and to `log_file`
    (rotated) when given.

    The root logger gets the handlers; handlers from an earlier call are closed and replaced,
    handlers installed by anyone else (pytest's, say) are left alone. The log file's folder is
    created. Raises ConfigError for an unknown level or a log file that cannot be opened.
    """
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ConfigError(f"unknown log level {level!r}")
    handlers: list[logging.Handler] = [_StderrHandler(stream) if console is None else _console_handler(console)]
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handlers.append(_FileHandler(log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot open log file {log_file}: {exc.strerror or exc}") from exc
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OwnHandlerMixin)]:
        root.removeHandler(old)
        old.close()
    for handler in handlers:
        if handler.formatter is None:
            handler.setFormatter(logging.Formatter(LOG_FORMAT))
        # On the handler, not the logger: logger filters do not see records propagated from children.
        handler.addFilter(SecretMaskFilter())
        root.addHandler(handler)
    root.setLevel(numeric)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, numeric))


def _console_handler(console: Console) -> logging.Handler:
    # markup off: a message with "[...]" in it is text; plain tracebacks: rich's own would print
    # local variables, which the mask filter never sees.
    handler = _ConsoleHandler(
        console=console, show_path=False, markup=False, rich_tracebacks=False, log_time_format=CONSOLE_TIME_FORMAT
    )
    handler.setFormatter(logging.Formatter(CONSOLE_FORMAT))
    return handler

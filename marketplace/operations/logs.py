"""Structured logs (issue 14 §2): one JSON object per line in production, readable key=value in
development (`LOG_FORMAT=json|console`), each carrying the request's id.

django-structlog binds `request_id` to every line a request writes and hands it to the Celery
tasks the request enqueues (the outbox stores it with the message: `outbox.services.send`), so
one id follows an action from the click to the worker. Personal data and bid content never reach
a line: the client address and the user agent are not bound, and `scrub` drops any field whose
name says it carries such data, whoever logs it."""

import contextlib

import structlog

# Field names that may carry personal data, credentials or bid content.
PRIVATE_FIELDS = frozenset({
    "ip", "user_agent", "password", "token", "secret", "email", "phone", "name", "price",
    "proposal", "text", "body", "kwargs", "args", "cookie", "authorization",
})


def scrub(_logger, _method, event: dict) -> dict:
    for key in PRIVATE_FIELDS.intersection(event):
        del event[key]
    return event


SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    scrub,
]


def configure(log_format: str, level: str) -> dict:
    """Configure structlog; return the `LOGGING` dict that renders every record (ours, Django's,
    Celery's) through the same processors."""
    structlog.configure(
        processors=[*SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    renderer = (structlog.processors.JSONRenderer(ensure_ascii=False) if log_format == "json"
                else structlog.dev.ConsoleRenderer(colors=False))
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                           structlog.processors.format_exc_info, renderer],
            "foreign_pre_chain": SHARED_PROCESSORS,
        }},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"},
                    # One line per request from django-structlog; Django's own would repeat it.
                    "django.server": {"level": "WARNING"},
                    # The PDF libraries subset fonts per document and log every glyph at INFO.
                    "fontTools": {"level": "WARNING"}},
    }


def current_request_id() -> str:
    return str(structlog.contextvars.get_contextvars().get("request_id", ""))[:64]


def bound_request_id(request_id: str):
    """Context manager: lines written (and tasks published) inside carry `request_id`."""
    if not request_id:
        return contextlib.nullcontext()
    return structlog.contextvars.bound_contextvars(request_id=request_id)

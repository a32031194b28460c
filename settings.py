"""Configuration of the engine, read from the environment (prefix ``OCOP_``), and logging set-up.

This is the only module that reads the environment.
"""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

import structlog
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the engine; each maps to an ``OCOP_*`` variable."""

    model_config = SettingsConfigDict(env_prefix="OCOP_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL of the decision log; unset: `ocop dev` runs an embedded PostgreSQL.",
    )
    temporal_address: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OCOP_TEMPORAL_ADDRESS", "TEMPORAL_ADDRESS"),
        description="host:port of the Temporal frontend; unset: `ocop dev` runs a Temporal dev server.",
    )
    temporal_namespace: str = "default"
    task_queue: str = "ocop"
    data_dir: Path = Field(
        default_factory=lambda: Path.home() / ".local" / "share" / "ocop",
        description="Where `ocop dev` keeps its embedded PostgreSQL and Temporal data.",
    )
    documents_dir: Path | None = Field(
        default=None,
        description="Where the document store keeps dossier files (content-addressed); "
        "unset: <data_dir>/documents. Back it up after the database (a later copy is a superset).",
    )
    documents_max_file_bytes: int = Field(
        default=256 * 1024 * 1024, ge=1, description="The largest document a single upload may hold."
    )
    documents_max_dossier_bytes: int = Field(
        default=2 * 1024 * 1024 * 1024,
        ge=1,
        description="The most a journey's documents may hold together (erased ones not counted).",
    )
    api_port: int = 8000
    api_url: str | None = Field(
        default=None, description="The API `ocop demo` loads into; unset: http://127.0.0.1:<api_port>."
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The public address of the registry (tra cứu công khai), in each certificate's QR code.",
    )
    # -- the public registry (api/routers/registry.py, web/registry.py): no sign-in, built for crowds
    registry_rate_per_minute: int = Field(
        default=120, ge=1, description="Public registry requests one client (IP address) may make a minute."
    )
    registry_rate_burst: int = Field(
        default=60, ge=1, description="Public registry requests a client may make at once, before the rate."
    )
    registry_max_age_seconds: int = Field(
        default=60, ge=0, le=86400, description="How long a public registry answer may be cached (max-age)."
    )
    admin_token: str | None = Field(
        default=None, description="An administrator's bearer token, for `ocop demo`.", repr=False
    )
    token_lifetime_days: int = Field(
        default=365, ge=1, le=3650, description="A bearer token gets 401 this many days after it was issued."
    )
    signin_max_failures: int = Field(
        default=5, ge=1, le=100, description="Failed page sign-ins (passwords or codes) that lock an account."
    )
    signin_lockout_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="How long a locked account refuses every sign-in."
    )
    session_hours: int = Field(default=12, ge=1, le=24 * 30, description="How long a page sign-in lasts.")
    password_min_length: int = Field(default=10, ge=8, le=128, description="The shortest password accepted.")
    second_factor_roles: frozenset[str] = Field(
        default=frozenset({"administrator", "recognition_authority"}),
        description="Roles that must enrol a TOTP second factor at their first page sign-in.",
    )
    # -- metrics (metrics.py): the API's /metrics, and the worker's own endpoint
    metrics_token: str | None = Field(
        default=None,
        repr=False,
        description="A bearer token the API's /metrics requires (Prometheus's `authorization`); "
        "unset: /metrics answers anyone who reaches the API (it holds no personal data).",
    )
    worker_metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Port of the worker's /metrics (the Temporal SDK's worker metrics and the decisions "
        "it records); unset: the worker serves no metrics.",
    )
    worker_metrics_host: str = Field(
        default="127.0.0.1", description="Address the worker's /metrics listens on (0.0.0.0 in a container)."
    )
    log_format: Literal["console", "json"] = "console"
    log_level: str = "INFO"
    db_pool_min: int = 1
    db_pool_max: int = 10
    # -- notices by e-mail (notifier/): unset host: the messages go to mail_dir as .eml files
    smtp_host: str | None = Field(
        default=None, description="SMTP server of the notices' e-mails; unset: .eml files in mail_dir."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_tls: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="STARTTLS on the port (587), implicit TLS (465), or none."
    )
    smtp_username: str | None = None
    smtp_password: str | None = Field(default=None, repr=False)
    mail_sender: str = Field(default="ocop@localhost", description="The From address of the notices.")
    mail_language: Literal["vi", "en"] = "vi"
    mail_dir: Path | None = Field(
        default=None, description="Where e-mails are written without an SMTP server; unset: <data_dir>/mail."
    )
    mail_max_attempts: int = Field(
        default=6, ge=1, le=50, description="Tries of an e-mail before it is reported failed."
    )
    mail_retry_seconds: float = Field(default=30.0, gt=0, description="First retry delay; doubled each time.")

    @property
    def token_lifetime(self) -> timedelta:
        return timedelta(days=self.token_lifetime_days)

    @property
    def documents_root(self) -> Path:
        """The document store's directory: ``documents_dir``, or ``<data_dir>/documents``."""
        return self.documents_dir if self.documents_dir is not None else self.data_dir / "documents"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()


def configure_logging(log_format: str = "console", level: str = "INFO", *, cache: bool = True) -> None:
    """Route structlog and the standard library (Temporal's ``workflow.logger`` included) through
    one structlog renderer: JSON in production, console in development. ``cache``: each logger
    freezes its configuration at first use (faster; for the long-running processes — a short
    command leaves it off, so that one run in-process, as the tests do, does not freeze the
    loggers of every module it touched for the rest of that process)."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=cache,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())

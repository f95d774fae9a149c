"""PostgreSQL settings (``store.postgres`` documents each): the defaults, read from the environment or the URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 2, "keepalives_count": 3}


@dataclass(frozen=True)
class Settings:
    pool_timeout: float = 1.0
    connect_timeout: float = 3.0
    statement_timeout: float = 5.0
    reconnect_timeout: float = 2.0
    probe_interval: float = 1.0
    max_idle: float = 300.0
    max_lifetime: float = 1800.0
    application_name: str = "launch-tracker"

    @classmethod
    def read(cls, get: Callable[[str], str | None]) -> Settings:
        """From the ``POSTGRES_*`` keys ``get`` finds (an app's environment, or a URL's over ``os.environ``)."""
        names = {
            "pool_timeout": "POSTGRES_POOL_TIMEOUT",
            "connect_timeout": "POSTGRES_CONNECT_TIMEOUT",
            "statement_timeout": "POSTGRES_STATEMENT_TIMEOUT",
            "reconnect_timeout": "POSTGRES_RECONNECT_TIMEOUT",
            "probe_interval": "POSTGRES_PROBE_INTERVAL",
            "max_idle": "POSTGRES_MAX_IDLE",
            "max_lifetime": "POSTGRES_CONN_MAX_AGE",
        }
        values: dict[str, Any] = {}
        for field, key in names.items():
            text = get(key)
            if text:
                try:
                    values[field] = float(text)
                except ValueError:
                    raise ValueError(f"{key} must be a number of seconds, not {text!r}") from None
                if values[field] <= 0:
                    raise ValueError(f"{key} must be more than 0 seconds, not {text!r}")
        if name := get("POSTGRES_APPLICATION_NAME"):
            values["application_name"] = name
        return cls(**values)

    def session(self) -> dict[str, Any]:
        """libpq connection options: connect timeout, statement timeout, keepalives, application name."""
        return {
            "connect_timeout": max(2, round(self.connect_timeout)),
            "options": f"-c statement_timeout={round(self.statement_timeout * 1000)}",
            "tcp_user_timeout": round(max(self.statement_timeout, 10) * 1000),
            "application_name": self.application_name,
            **KEEPALIVES,
        }

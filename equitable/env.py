"""Typed helpers that read settings from the environment and fail loudly on nonsense.

Why: a council's deployment is configured by environment variables; a typo such as
`EQUITABLE_DEBUG=ture` must stop the start-up, not silently mean "off".
"""

from __future__ import annotations

import os
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(RuntimeError):
    """A setting in the environment cannot be understood."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_json_object(name: str) -> str:
    """A JSON object of strings, kept as its text (empty when unset): checked here so that a
    broken group mapping stops the start-up instead of refusing every sign-in."""
    import json

    raw = os.environ.get(name, "")
    if not raw:
        return ""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ConfigurationError(f"{name} is not JSON ({error.msg})") from error
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigurationError(f'{name} must be a JSON object of strings, e.g. {{"id": "name"}}')
    return raw


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from error
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def env_networks(name: str) -> list[IPv4Network | IPv6Network]:
    """Comma-separated IP addresses or networks (`127.0.0.1`, `10.0.0.0/24`, `::1`).

    Why: a reverse proxy is trusted by its address; a host name or a typo must stop the start-up
    rather than leave every request looking as if it came from the proxy.
    """
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ip_network(item, strict=True))
        except ValueError as error:
            raise ConfigurationError(
                f"{name} must list IP addresses or networks (like 127.0.0.1 or 10.0.0.0/24), "
                f"not {item!r}"
            ) from error
    return networks

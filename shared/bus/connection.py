"""Connections to RabbitMQ or to the kombu filesystem transport."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kombu import Connection

from shared.bus.filesystem import SafeFilesystemTransport


def is_amqp(url: str) -> bool:
    return urlsplit(url).scheme in ("amqp", "amqps", "pyamqp")


def filesystem_folders(url: str) -> dict[str, Any]:
    root = Path(urlsplit(url).path)
    data, control = root / "data", root / "control"
    for folder in (data, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(data),
        "data_folder_out": str(data),
        "control_folder": str(control),
        "store_processed": False,
    }


def connect(url: str, *, connect_timeout: float = 5.0, polling_interval: float = 0.1) -> Connection:
    """A kombu connection; publisher confirms on for RabbitMQ.

    Without confirms a publish right after a broker restart can vanish without
    an error, and the outbox would mark it sent.
    """
    if is_amqp(url):
        return Connection(
            url,
            connect_timeout=connect_timeout,
            heartbeat=30,
            transport_options={"confirm_publish": True},
        )
    options: dict[str, Any] = dict(filesystem_folders(url))
    options["polling_interval"] = polling_interval
    return Connection(transport=SafeFilesystemTransport, transport_options=options)


def check(url: str, timeout: float) -> None:
    """Raise if the broker cannot be reached (for /readyz)."""
    if not is_amqp(url):
        folders = filesystem_folders(url)
        probe = Path(folders["control_folder"]) / f".probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
        return
    with connect(url, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)

"""Calling docgen, intake and archive over HTTP with the signed-in user's API token.

The web pages are a backend-for-frontend: every read and change goes through the
services' public API with the short-lived token minted for the web session, so the
services' own checks (roles, the caller's body) apply to the pages as they do to
any other client. The transport is pluggable so tests can route to Flask test
clients instead of sockets.
"""

from __future__ import annotations

import json as jsonlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

SERVICES = ("docgen", "intake", "archive")
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
TIMEOUT_SECONDS = 60.0


@dataclass
class Reply:
    status: int
    headers: Mapping[str, str]
    content: bytes
    _json: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        if self._json is None:
            try:
                self._json = jsonlib.loads(self.content or b"null")
            except ValueError:
                self._json = {}
        return self._json

    @property
    def problem(self) -> dict[str, Any]:
        body = self.json()
        return body if isinstance(body, dict) else {}

    @property
    def detail(self) -> str:
        return str(self.problem.get("detail") or f"Lỗi HTTP {self.status}.")


class Unavailable(Exception):
    """The service did not answer (down, refused the connection, timed out)."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service


Transport = Callable[..., Reply]


def requests_transport(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    params: Mapping[str, str] | None = None,
    json: Any = None,
    data: bytes | None = None,
) -> Reply:
    response = requests.request(
        method,
        url,
        headers=headers,
        params=params,
        json=json,
        data=data,
        timeout=TIMEOUT_SECONDS,
        allow_redirects=False,
    )
    return Reply(response.status_code, response.headers, response.content)  # case-insensitive


def segment(value: str) -> str:
    """One path segment taken from the browser: an id, never a path of its own."""
    if not _ID.match(value) or value in (".", ".."):
        raise ValueError(f"not an id: {value!r}")
    return quote(value, safe="")


class Services:
    """The three services, seen with one API token."""

    def __init__(
        self, urls: Mapping[str, str], token: str, transport: Transport | None = None
    ) -> None:
        self.urls = dict(urls)
        self.token = token
        self.transport = transport or requests_transport

    def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        data: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        sent = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if content_type:
            sent["Content-Type"] = content_type
        sent.update(headers or {})
        try:
            return self.transport(
                method,
                self.urls[service] + path,
                headers=sent,
                params=params,
                json=json,
                data=data,
            )
        except requests.RequestException as exc:
            raise Unavailable(service, type(exc).__name__) from None

    def get(self, service: str, path: str, **kwargs: Any) -> Reply:
        return self.call(service, "GET", path, **kwargs)

    def post(self, service: str, path: str, **kwargs: Any) -> Reply:
        return self.call(service, "POST", path, **kwargs)

"""The web pages on a Flask test client, talking to docgen, intake and archive test clients.

The pages call the services over HTTP in production; here the client's transport
routes each URL to the matching app's test client, so every page goes through the
services' real API (auth, roles, the caller's body) without sockets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from services.archive.app import create_app as archive_app
from services.docgen.app import create_app as docgen_app
from services.intake.app import create_app as intake_app
from services.intake.web.client import Reply
from services.intake.web.state import EXTENSION
from shared.auth.users import UserStore
from shared.db import make_engine
from shared.devstack.supervisor import _dev_registers
from tests.conftest import ORGAN, OTHER_ORGAN, Stack, embedded_environ

PASSWORD = "mat-khau-thu-nghiem"
URLS = {
    "intake": "http://intake.test",
    "docgen": "http://docgen.test",
    "archive": "http://archive.test",
}


class FormParser(HTMLParser):
    """The fields a browser would submit from each form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_option: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "checkbox":
                if "checked" in a:
                    fields.append((a["name"], "on"))
            elif kind not in ("submit", "file"):
                fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields.append((a["name"], ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            if self._select not in self._first_option:
                self._first_option[self._select] = a.get("value", "")
                fields.append((self._select, a.get("value", "")))
            if "selected" in a:
                fields[:] = [f for f in fields if f[0] != self._select]
                fields.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            name, value = fields[-1]
            fields[-1] = (name, value + data)


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["action"] == action:
            return list(form["fields"])
    raise AssertionError(f"no form posting to {action}")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@dataclass
class Web:
    """The four apps of one embedded stack, and helpers to use the pages."""

    stack: Stack
    apps: dict[str, Flask]
    clients: dict[str, FlaskClient] = field(default_factory=dict)

    def browser(self) -> FlaskClient:
        """A fresh browser: its own cookie jar."""
        return self.apps["intake"].test_client()

    def transport(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        params: Any = None,
        json: Any = None,
        data: bytes | None = None,
    ) -> Reply:
        for service, base in URLS.items():
            if url.startswith(base + "/"):
                client = self.clients[service]
                response = client.open(
                    url[len(base) :],
                    method=method,
                    headers=headers,
                    query_string=params,
                    json=json,
                    data=data,
                )
                return Reply(response.status_code, dict(response.headers), response.get_data())
        raise AssertionError(f"unexpected URL {url}")

    def user(
        self, username: str, organ_id: str = ORGAN, roles: tuple[str, ...] = ("clerk",)
    ) -> str:
        engine = make_engine(self.stack.config("intake").auth_database_url)
        try:
            UserStore(engine).create(username, f"Cán bộ {username}", PASSWORD, organ_id, roles)
        finally:
            engine.dispose()
        return username

    def sign_in(self, browser: FlaskClient, username: str, password: str = PASSWORD) -> Any:
        page = browser.get("/web/login")
        return browser.post(
            "/web/login",
            data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        )

    def count(self, service: str, table: str) -> int:
        engine = make_engine(self.stack.config(service).database_url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608
        finally:
            engine.dispose()


@pytest.fixture
def web(tmp_path: Any) -> Iterator[Web]:
    stack = Stack("embedded", embedded_environ(tmp_path / "var"))
    stack.migrate()
    _dev_registers({s: stack.config(s) for s in ("docgen", "intake")})
    apps = {
        "intake": intake_app(stack.config("intake")),
        "docgen": docgen_app(stack.config("docgen")),
        "archive": archive_app(stack.config("archive")),
    }
    result = Web(stack, apps)
    result.clients = {name: app.test_client() for name, app in apps.items()}
    state = apps["intake"].extensions[EXTENSION]
    state.urls = dict(URLS)
    state.transport = result.transport
    yield result
    for app in apps.values():
        app.extensions["vanthu"].dispose()


__all__ = ["OTHER_ORGAN", "PASSWORD", "Web", "csrf_of", "form_fields"]

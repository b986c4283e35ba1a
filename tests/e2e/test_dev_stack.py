"""``make run``'s stack for real: processes, ports, Ctrl-C, data kept across runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.devstack.ports import free_port, port_open
from tests.conftest import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@dataclass
class Ports:
    intake: int
    docgen: int
    archive: int
    s3: int


def _environ(var: Path, ports: Ports) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    env.update(
        {
            "VANTHU_VAR_DIR": str(var),
            "VANTHU_INTAKE_PORT": str(ports.intake),
            "VANTHU_DOCGEN_PORT": str(ports.docgen),
            "VANTHU_ARCHIVE_PORT": str(ports.archive),
            "VANTHU_S3_ENDPOINT": f"http://127.0.0.1:{ports.s3}",
            "VANTHU_WEB_WORKERS": "1",
        }
    )
    return env


def _http(method: str, url: str, token: str = "", body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - local
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class DevRun:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "dev"],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.log_path = log

    def wait_ready(self, timeout: float = 150) -> None:
        deadline = time.monotonic() + timeout
        while b"Press Ctrl-C" not in self.log_path.read_bytes():
            assert self.process.poll() is None, self.log_path.read_text()
            assert time.monotonic() < deadline, self.log_path.read_text()
            time.sleep(0.5)

    def interrupt(self, timeout: float = 60) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.log.close()


@pytest.fixture
def dev(tmp_path: Path) -> tuple[dict[str, str], Ports, Path]:
    ports = Ports(free_port(), free_port(), free_port(), free_port())
    env = _environ(tmp_path / "var", ports)
    subprocess.run(
        [sys.executable, "-m", "shared.cli", "migrate", "all"], cwd=REPO, env=env, check=True
    )
    return env, ports, tmp_path


def test_dev_stack_runs_the_ping_path_and_keeps_data(
    dev: tuple[dict[str, str], Ports, Path],
) -> None:
    env, ports, tmp = dev
    run = DevRun(env, tmp / "dev-1.log")
    try:
        run.wait_ready()
        for port in (ports.intake, ports.docgen, ports.archive):
            status, body = _http("GET", f"http://127.0.0.1:{port}/readyz")
            assert status == 200, body
        token = (tmp / "var" / "dev-token").read_text().strip()
        status, accepted = _http(
            "POST",
            f"http://127.0.0.1:{ports.intake}/v1/submissions",
            token,
            {"kind": "ping", "message": "Văn thư xin chào"},
        )
        assert status == 202, accepted
        url = f"http://127.0.0.1:{ports.docgen}/v1/pings/{accepted['id']}"
        deadline = time.monotonic() + 30
        status, record = _http("GET", url, token)
        while status != 200 and time.monotonic() < deadline:
            time.sleep(0.3)
            status, record = _http("GET", url, token)
        assert status == 200, record
        assert record["message"] == "Văn thư xin chào"

        # A draft rendered by the real gunicorn worker process (WeasyPrint after the fork).
        example = json.loads(
            (REPO / "services/docgen/templates/examples/cong-van.json").read_text(encoding="utf-8")
        )
        example.pop("number")
        status, draft = _http(
            "POST",
            f"http://127.0.0.1:{ports.docgen}/v1/drafts",
            token,
            {"template": "cong-van", "data": example},
        )
        assert status == 201, draft
        request = urllib.request.Request(
            f"http://127.0.0.1:{ports.docgen}{draft['links']['pdf']}",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            assert response.read(5) == b"%PDF-"

        # Issued into the development body's register; the real worker renders the final.
        status, issued = _http(
            "POST",
            f"http://127.0.0.1:{ports.docgen}/v1/drafts/{draft['id']}/issue",
            token,
            {"unit": "VP"},
        )
        assert status == 201, issued
        assert issued["code"] == "01/UBND-VP"
        document = f"http://127.0.0.1:{ports.docgen}/v1/documents/{issued['id']}"
        deadline = time.monotonic() + 60
        status, shown = _http("GET", document, token)
        while not shown.get("files_ready") and time.monotonic() < deadline:
            time.sleep(0.3)
            status, shown = _http("GET", document, token)
        assert shown["files_ready"], shown
    finally:
        assert run.interrupt() == 0, run.log_path.read_text()
    for port in (ports.intake, ports.docgen, ports.archive, ports.s3):
        assert not port_open("127.0.0.1", port), f"port {port} still open after Ctrl-C"

    again = DevRun(env, tmp / "dev-2.log")
    try:
        again.wait_ready()
        assert (tmp / "var" / "dev-token").read_text().strip() == token
        status, record = _http("GET", url, token)
        assert status == 200, record  # SQLite data survived the restart
        status, ready = _http("GET", f"http://127.0.0.1:{ports.archive}/readyz")
        assert status == 200, ready  # and so did the bucket
    finally:
        assert again.interrupt() == 0, again.log_path.read_text()

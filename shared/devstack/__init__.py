"""Local backing servers for development and tests.

``vanthu dev`` and the test fixtures both need real object storage and free TCP
ports without Docker; this package starts and stops them as plain processes.
"""

from shared.devstack.ports import free_port, port_open, wait_port
from shared.devstack.seaweed import SeaweedFS

__all__ = ["SeaweedFS", "free_port", "port_open", "wait_port"]

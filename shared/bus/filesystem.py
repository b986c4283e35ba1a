"""kombu's filesystem transport, made safe to crash.

The embedded default queue is a folder. Upstream's channel has three gaps we
close here, each of which loses or corrupts a message:

- a message file is created and then written, so a consumer listing the folder
  in between takes an empty file — we write under a name no queue matches and
  rename it into place;
- a consumed message is deleted from disk before it is acknowledged, so a worker
  killed mid-handler loses it — we move it into this channel's own
  ``processing/<pid>-<id>/`` folder, delete it on ack, and at start-up return the
  files of dead processes to the queue (RabbitMQ's redelivery, on a folder);
- the binding table is process-wide, so a second connection to another folder
  believes its bindings exist and never writes them there — state is per
  connection; the bindings that matter live in the control folder, and are
  added and removed under one lock file and replaced whole, never rewritten in
  place.

Two costs go too: file names sort by fixed-width wall-clock time (upstream's
unpadded uptime breaks the order as it grows a digit), and a channel lists the
folder once per batch, not once per message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kombu.transport import filesystem, virtual
from kombu.utils.json import dumps, loads

_PROCESSING = "processing"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SafeChannel(filesystem.Channel):
    def __init__(self, connection: Any, **kwargs: Any) -> None:
        super().__init__(connection, **kwargs)
        root = Path(self.data_folder_in).parent / _PROCESSING
        self._processing = root / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._processing.mkdir(parents=True, exist_ok=True)
        self._claimed: dict[str, Path] = {}
        self._no_ack_queues: set[str] = set()
        self._listed: dict[str, deque[str]] = {}
        self._recover_orphans(root)

    def _recover_orphans(self, root: Path) -> None:
        """Put back what dead consumers had taken but not acknowledged."""
        for folder in root.iterdir():
            pid_text = folder.name.partition("-")[0]
            if folder == self._processing or not pid_text.isdigit() or _alive(int(pid_text)):
                continue
            for claimed in folder.iterdir():
                with contextlib.suppress(OSError):  # another process recovered it first
                    os.rename(claimed, Path(self.data_folder_in) / claimed.name)
            with contextlib.suppress(OSError):
                folder.rmdir()

    def _queue_bind(self, exchange: Any, routing_key: Any, pattern: Any, queue: Any) -> None:
        """Add a binding to the exchange's table, safely against other processes.

        Upstream creates the table file and then writes it, or rewrites it in place;
        two workers starting together can read it empty or half-written and drop
        a binding, after which events for that queue vanish without an error.
        """
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._change_table(exchange, lambda table: table if entry in table else [entry, *table])

    def _delete(self, queue: Any, exchange: Any, routing_key: Any, pattern: Any, *args: Any,
                **kwargs: Any) -> None:  # fmt: skip
        """Purge ``queue`` and drop its binding, under the same lock as ``_queue_bind``.

        Upstream's rewrites the table in place under a lock on the table itself,
        which a binding (locking the lock file, replacing the table) does not wait
        for: the two could each write a table missing the other's change.
        """
        virtual.Channel._delete(self, queue)  # the purge; upstream's table rewrite is skipped
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._change_table(exchange, lambda table: [e for e in table if e != entry])

    def _change_table(self, exchange: Any, change: Callable[[list[Any]], list[Any]]) -> None:
        """Read, change and replace an exchange's binding table whole, under its lock file.

        Readers (upstream's ``get_table``) open the table by name, so they see the
        old table or the new one, never a half-written one.
        """
        table = self._exchange_file(exchange)
        Path(self.control_folder).mkdir(parents=True, exist_ok=True)
        with open(table.with_name(table.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                current = [filesystem.exchange_queue_t(*q) for q in loads(table.read_bytes())]
            except FileNotFoundError:
                current = []
            changed = change(current)
            if changed == current:
                return
            partial = table.with_name(f".{table.name}.{uuid.uuid4().hex}")
            partial.write_text(dumps(changed))
            os.replace(partial, table)

    def _put(self, queue: Any, message: Any, **kwargs: Any) -> None:  # type: ignore[override]
        folder = Path(self.data_folder_out)
        # Fixed-width wall-clock nanoseconds: names sort in arrival order, also
        # across processes and reboots (upstream's unpadded uptime does not).
        final = folder / f"{time.time_ns():020d}_{uuid.uuid4()}.{queue}.msg"
        partial = folder / f"partial-{uuid.uuid4().hex}"
        with open(partial, "wb") as handle:
            handle.write(dumps(message).encode())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, final)

    def _candidates(self, queue: str) -> deque[str]:
        """This queue's files, oldest first; the folder is listed again only when used up.

        Listing and sorting the shared folder for every message made each read
        cost as much as the whole backlog of every queue.
        """
        pending = self._listed.setdefault(queue, deque())
        if not pending:
            wanted = f"{queue}.msg"
            names = (n for n in os.listdir(self.data_folder_in) if n.partition(".")[2] == wanted)
            pending.extend(sorted(names))
        return pending

    def _get(self, queue: Any, timeout: Any = None) -> Any:
        data = Path(self.data_folder_in)
        pending = self._candidates(queue)
        while pending:
            name = pending.popleft()
            claimed = self._processing / name
            try:
                os.rename(data / name, claimed)  # atomic: one consumer wins
            except OSError:
                continue
            payload = loads(claimed.read_bytes().decode())
            if queue in self._no_ack_queues:
                claimed.unlink()
            else:
                self._claimed[payload["properties"]["delivery_tag"]] = claimed
            return payload
        raise filesystem.Empty()

    def _release(self, delivery_tag: Any) -> None:
        claimed = self._claimed.pop(delivery_tag, None)
        if claimed is not None:
            with contextlib.suppress(FileNotFoundError):
                claimed.unlink()

    def basic_consume(self, queue: Any, no_ack: Any, *args: Any, **kwargs: Any) -> Any:
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_consume(queue, no_ack, *args, **kwargs)

    def basic_get(self, queue: Any, no_ack: bool = False, **kwargs: Any) -> Any:
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack:
            self._release(message.delivery_tag)
        return message

    def basic_ack(self, delivery_tag: Any, multiple: bool = False) -> None:
        super().basic_ack(delivery_tag, multiple)
        self._release(delivery_tag)

    def basic_reject(self, delivery_tag: Any, requeue: bool = False) -> None:
        super().basic_reject(delivery_tag, requeue=requeue)
        self._release(delivery_tag)

    def _restore(self, message: Any) -> None:
        super()._restore(message)  # re-put in the queue first, then forget the claim
        self._release(message.delivery_tag)

    def close(self) -> None:
        super().close()  # restores unacknowledged messages
        with contextlib.suppress(OSError):
            self._processing.rmdir()


class SafeFilesystemTransport(filesystem.Transport):
    Channel = SafeChannel

    def __init__(self, client: Any, **kwargs: Any) -> None:
        super().__init__(client, **kwargs)
        self.state = virtual.BrokerState()

"""Reading the logs of the servers we start, for error messages."""

from __future__ import annotations

from pathlib import Path


def log_tail(path: Path, lines: int = 30) -> str:
    """The last ``lines`` lines of ``path`` ("(no log)" before the server wrote one)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])

"""The life of one outgoing document at one recipient, told by status packets.

01 đã đến → 03 đã tiếp nhận → 04 phân công → 05 đang xử lý → 06 hoàn thành move
forward only; 02 (từ chối tiếp nhận) ends the line; 13 (our request to take the
document back) is answered by 15 (đồng ý) or 16 (từ chối). A status that would
move the line backwards or reopen an ended one is kept in the history but does
not change the state. Statuses are applied in Timestamp order; ties follow the
order of the line above.
"""

from __future__ import annotations

from dataclasses import dataclass

FORWARD = ("01", "03", "04", "05", "06")
REJECTED = "02"
RECALL_REQUESTED = "13"
RECALL_ANSWERS = ("15", "16")
KNOWN = (*FORWARD, REJECTED, RECALL_REQUESTED, *RECALL_ANSWERS)

NAMES = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Phân công xử lý",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Yêu cầu lấy lại",
    "15": "Đồng ý cập nhật, lấy lại",
    "16": "Từ chối cập nhật, lấy lại",
}

# Rank within a line, for ties on Timestamp and for "forward only".
_RANK = {code: n for n, code in enumerate((*FORWARD, REJECTED, RECALL_REQUESTED, *RECALL_ANSWERS))}


@dataclass(frozen=True)
class Line:
    """Where one recipient stands: the last delivery status, and the recall, if any."""

    delivery: str | None = None  # 01 … 06, or 02
    recall: str | None = None  # 13, then 15 or 16


@dataclass(frozen=True)
class Applied:
    line: Line
    changed: bool
    note: str | None = None  # why it did not change the state (kept in the history)


def order_key(code: str, timestamp: str) -> tuple[str, int]:
    """Sort statuses by Timestamp (ISO text sorts), ties by the order of the line."""
    return (timestamp, _RANK.get(code, len(_RANK)))


def apply(line: Line, code: str) -> Applied:
    """The line after a status ``code``; unchanged (with the reason) where it may not move."""
    if code not in KNOWN:
        return Applied(line, False, f"mã trạng thái không xác định: {code}")
    if code == RECALL_REQUESTED or code in RECALL_ANSWERS:
        note = _recall_refusal(line, code)
        return Applied(line, False, note) if note else Applied(Line(line.delivery, code), True)
    note = _delivery_refusal(line, code)
    return Applied(line, False, note) if note else Applied(Line(code, line.recall), True)


def _recall_refusal(line: Line, code: str) -> str | None:
    if code == RECALL_REQUESTED:
        return "đã yêu cầu lấy lại trước đó" if line.recall is not None else None
    if line.recall != RECALL_REQUESTED:
        return "trả lời yêu cầu lấy lại khi chưa có yêu cầu, hoặc đã trả lời"
    return None


def _delivery_refusal(line: Line, code: str) -> str | None:
    if line.delivery == REJECTED:
        return "văn bản đã bị từ chối; không mở lại"
    if code == REJECTED:
        if line.delivery in (None, "01"):
            return None
        return f"không thể từ chối sau trạng thái {line.delivery}"
    if line.delivery is not None and FORWARD.index(code) <= FORWARD.index(line.delivery):
        return f"trạng thái {code} lùi hoặc lặp lại sau {line.delivery}"
    return None


def replay(codes_with_times: list[tuple[str, str]]) -> Line:
    """The line after every status, applied in Timestamp order (ties by rank)."""
    line = Line()
    for code, _ in sorted(codes_with_times, key=lambda item: order_key(item[0], item[1])):
        line = apply(line, code).line
    return line

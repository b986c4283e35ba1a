"""A recipient's line of statuses: forward only, 02 ends it, 13 answered by 15/16."""

from __future__ import annotations

from shared.exchange.status import Line, apply, replay


def test_forward_only() -> None:
    line = Line()
    for code in ("01", "03", "05"):
        step = apply(line, code)
        assert step.changed
        line = step.line
    back = apply(line, "03")
    assert not back.changed
    assert back.line == line
    assert "lùi" in (back.note or "")
    assert apply(line, "06").line.delivery == "06"


def test_rejection_ends_the_line() -> None:
    rejected = apply(apply(Line(), "01").line, "02").line
    assert rejected.delivery == "02"
    assert not apply(rejected, "03").changed
    late = apply(apply(Line(), "03").line, "02")
    assert not late.changed  # accepted already: no rejection afterwards


def test_recall_is_answered_once() -> None:
    line = apply(Line(), "01").line
    assert not apply(line, "15").changed  # an answer with no request
    asked = apply(line, "13").line
    answered = apply(asked, "15").line
    assert answered.recall == "15"
    assert not apply(answered, "16").changed
    assert answered.delivery == "01"


def test_timestamp_order_and_ties() -> None:
    # Out of order on arrival; 06 and 03 at the same second: 03 ranks first.
    arrivals = [
        ("06", "2024/03/05 10:00:00"),
        ("03", "2024/03/05 10:00:00"),
        ("01", "2024/03/05 09:00:00"),
    ]
    assert replay(arrivals).delivery == "06"
    # A rejection stamped before the arrival is applied first: the line ends at 02.
    assert replay([("01", "2024/03/05 09:00:00"), ("02", "2024/03/05 08:00:00")]).delivery == "02"
    unknown = apply(Line(), "09")
    assert not unknown.changed

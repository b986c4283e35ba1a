"""Pieces of the bus that need no broker."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.bus import Envelope
from shared.bus.consumer import RetryPolicy


def test_envelope_round_trips_vietnamese_text() -> None:
    event = Envelope(type="submission.ping", organ_id="000.00.32.H43", payload={"m": "Sở Tư pháp"})
    back = Envelope.from_json(event.to_json())
    assert back == event
    assert "Sở Tư pháp" in event.to_json()  # kept readable, not \\u-escaped


@pytest.mark.parametrize("raw", ["", "[]", '{"type": "x"}', "not json", '{"id":1,"type":2}'])
def test_malformed_envelopes_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any decoding failure
        Envelope.from_json(raw)


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(max_attempts=10, backoff_seconds=2, max_backoff_seconds=30)
    delays = [policy.delay(n) for n in range(1, 6)]
    assert delays == [timedelta(seconds=s) for s in (2, 4, 8, 16, 30)]

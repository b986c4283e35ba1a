"""shared.vn is a public API: its names stay importable from the package."""

from __future__ import annotations

import shared.vn


def test_public_names() -> None:
    assert sorted(shared.vn.__all__) == [
        "MAX_NUMBER",
        "WordStyle",
        "amount_in_words",
        "format_amount",
        "format_date",
        "nfc",
        "number_in_words",
        "place_date_line",
        "upper",
    ]
    for name in shared.vn.__all__:
        assert getattr(shared.vn, name) is not None

"""The web pages show and accept dates as dd/mm/yyyy; the API keeps ISO 8601."""

from __future__ import annotations

from datetime import UTC, date, datetime

from werkzeug.datastructures import MultiDict

from services.intake.web.forms import Form, iso_date, vn_date
from services.intake.web.views import _vn_time

SCHEMA = {
    "type": "object",
    "properties": {"issued_on": {"type": "string", "format": "date", "title": "Ngày"}},
    "required": ["issued_on"],
}


def test_dates_both_ways() -> None:
    assert vn_date("2024-03-05") == "05/03/2024"
    assert vn_date(date(2020, 1, 5)) == "05/01/2020"
    assert iso_date("5/3/2024") == "2024-03-05"
    assert iso_date("05/03/2024") == "2024-03-05"
    assert iso_date("2024-03-05") == "2024-03-05"
    assert iso_date("31/02/2024") is None
    assert iso_date("03-05-2024") is None
    # 23:30 UTC on 4 March is 06:30 on 5 March in Hà Nội.
    assert _vn_time(datetime(2024, 3, 4, 23, 30, tzinfo=UTC)) == "05/03/2024 06:30"


def test_the_form_takes_dd_mm_yyyy_and_refuses_impossible_dates() -> None:
    form = Form(SCHEMA)
    data, _, errors = form.parse(MultiDict({"data.issued_on": "29/02/2024"}))
    assert errors == {}
    assert data == {"issued_on": "2024-02-29"}
    _, raw, errors = form.parse(MultiDict({"data.issued_on": "30/02/2024"}))
    assert "ngày/tháng/năm" in errors["data.issued_on"]
    assert raw["data.issued_on"] == "30/02/2024"  # shown back as typed

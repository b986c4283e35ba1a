"""The submission models, property-based: valid reports round-trip, bad amounts never pass."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from services.docgen.documents.forms import rate
from services.intake.submissions.models import (
    MonthlyReport,
    SubmissionRequest,
    template_of,
)
from services.intake.submissions.text import normalise_text
from shared.vn.legacy import from_unicode

EXAMPLES = Path(__file__).resolve().parents[3] / "services" / "docgen" / "templates" / "examples"
BASE = json.loads((EXAMPLES / "bao-cao-giai-ngan.json").read_text(encoding="utf-8"))
BASE.pop("number")
BASE.pop("totals")

money = st.integers(min_value=0, max_value=10**15)


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    plan, previous, this_month = draw(money), draw(money), draw(money)
    row: dict[str, Any] = {
        "name": draw(st.sampled_from(["Đường liên xã", "Trường Tiểu học Kha Sơn", "Kè sông Cầu"])),
        "plan": str(plan),
        "previous": str(previous),
        "this_month": str(this_month),
    }
    if draw(st.booleans()):
        row["cumulative"] = str(previous + this_month)
    share = rate(Decimal(previous + this_month), Decimal(plan))
    if share is not None and draw(st.booleans()):
        row["cumulative_rate"] = str(share)
    return row


@st.composite
def monthly_reports(draw: st.DrawFn) -> dict[str, Any]:
    year = draw(st.integers(min_value=2021, max_value=2099))
    month = draw(st.integers(min_value=1, max_value=12))
    day = draw(st.integers(min_value=1, max_value=28))
    document = {
        **BASE,
        "year": year,
        "month": month,
        "issued_on": f"{year:04d}-{month:02d}-{day:02d}",
        "projects": draw(st.lists(projects(), min_size=1, max_size=5)),
    }
    return {
        "kind": "monthly_report",
        "obligation_id": "an-giang.tien-do-giai-ngan.thang",
        "reporter": draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
        "period": f"{year:04d}-{month:02d}",
        "document": document,
    }


@settings(max_examples=60, deadline=None)
@given(monthly_reports())
def test_any_valid_monthly_report_round_trips(raw: dict[str, Any]) -> None:
    report = SubmissionRequest.model_validate(raw).root
    assert isinstance(report, MonthlyReport)
    assert template_of(report) == "bao-cao-giai-ngan"
    dumped = report.model_dump(mode="json")
    again = SubmissionRequest.model_validate(json.loads(json.dumps(dumped))).root
    assert again == report
    assert again.model_dump(mode="json") == dumped


MONEY_FIELDS = ["plan", "previous", "this_month", "total_investment"]


@settings(max_examples=60, deadline=None)
@given(
    monthly_reports(),
    st.sampled_from(MONEY_FIELDS),
    st.integers(min_value=-(10**15), max_value=-1),
)
def test_any_negative_amount_is_refused(raw: dict[str, Any], field: str, amount: int) -> None:
    raw["document"]["projects"][0][field] = str(amount)
    with pytest.raises(ValidationError) as caught:
        SubmissionRequest.model_validate(raw)
    locations = [error["loc"] for error in caught.value.errors()]
    assert ("monthly_report", "document", "projects", 0, field) in locations


@settings(max_examples=30, deadline=None)
@given(monthly_reports(), st.integers(min_value=1, max_value=11))
def test_period_must_match_the_document(raw: dict[str, Any], shift: int) -> None:
    month = (raw["document"]["month"] - 1 + shift) % 12 + 1
    raw["period"] = f"{raw['document']['year']:04d}-{month:02d}"
    with pytest.raises(ValidationError):
        SubmissionRequest.model_validate(raw)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_every_string_leaves_the_door_in_nfc(text: str) -> None:
    cleaned, _ = normalise_text({"a": [text, {"b": text}]})
    for value in (cleaned["a"][0], cleaned["a"][1]["b"]):
        assert unicodedata.is_normalized("NFC", value)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_field_is_reported_with_its_path(encoding: str) -> None:
    subject = "báo cáo tình hình thực hiện và giải ngân vốn đầu tư công"
    data = {"document": {"paragraphs": ["Kính gửi", from_unicode(subject, encoding)]}}
    cleaned, converted = normalise_text(data)
    assert cleaned["document"]["paragraphs"][1] == subject
    assert converted == [{"field": "document.paragraphs.1", "encoding": encoding}]


def test_payment_forms_pick_their_template() -> None:
    for form in ("mau-03a-tt", "mau-04a-tt", "mau-03-qtda"):
        data = json.loads((EXAMPLES / f"{form}.json").read_text(encoding="utf-8"))
        parsed = SubmissionRequest.model_validate(
            {"kind": "payment", "form": form, "document": data}
        )
        assert template_of(parsed.root) == form

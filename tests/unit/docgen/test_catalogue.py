"""The template catalogue: versions by effective date, examples that validate."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from services.docgen.catalogue import NoVersionInForce, UnknownTemplate, default_catalogue
from services.docgen.catalogue.catalogue import parse_catalogue
from tests.conftest import REPO


def _catalogue(*versions: dict[str, Any]) -> dict[str, Any]:
    return {
        "templates": [
            {
                "id": "mau-thu",
                "title": "Mẫu thử",
                "kind": "form",
                "model": "CongVan",
                "example": "x.json",
                "versions": list(versions),
            }
        ]
    }


def _version(version_id: str, valid_from: str, valid_to: str | None = None) -> dict[str, Any]:
    return {
        "id": version_id,
        "legal_basis": f"căn cứ {version_id}",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "files": version_id,
    }


def test_a_successor_closes_its_predecessor_the_day_before() -> None:
    catalogue = parse_catalogue(
        _catalogue(_version("nd99", "2022-01-01"), _version("nd254", "2025-09-26"))
    )
    template = catalogue.get("mau-thu")
    assert template.version_on(date(2022, 1, 1)).id == "nd99"
    assert template.version_on(date(2025, 9, 25)).id == "nd99"
    assert template.version_on(date(2025, 9, 26)).id == "nd254"
    assert template.version_on(date(2030, 1, 1)).id == "nd254"
    assert template.versions[0].valid_to == date(2025, 9, 25)


def test_a_date_before_every_version_is_a_clear_error() -> None:
    template = parse_catalogue(_catalogue(_version("nd99", "2022-01-01"))).get("mau-thu")
    with pytest.raises(NoVersionInForce, match="31/12/2021"):
        template.version_on(date(2021, 12, 31))


def test_a_closed_history_refuses_later_dates() -> None:
    template = parse_catalogue(
        _catalogue(_version("cu", "2020-01-01", "2021-12-31"))
    ).get("mau-thu")
    assert template.version_on(date(2021, 12, 31)).id == "cu"
    with pytest.raises(NoVersionInForce):
        template.version_on(date(2022, 1, 1))


@pytest.mark.parametrize("valid_to", ["2024-06-30", "2025-12-31"])
def test_gaps_and_overlaps_are_refused_at_load(valid_to: str) -> None:
    with pytest.raises(ValueError, match="overlap or gap"):
        parse_catalogue(
            _catalogue(_version("a", "2022-01-01", valid_to), _version("b", "2025-01-01"))
        )


def test_a_template_cannot_name_arbitrary_code() -> None:
    data = _catalogue(_version("a", "2022-01-01"))
    data["templates"][0]["model"] = "os.system"
    with pytest.raises(ValueError, match="unknown model"):
        parse_catalogue(data)


def test_unknown_template_is_a_lookup_error() -> None:
    with pytest.raises(UnknownTemplate):
        default_catalogue().get("khong-co")


@pytest.mark.parametrize("template", list(default_catalogue()), ids=lambda t: t.id)
def test_every_shipped_template_has_a_valid_example(template) -> None:  # type: ignore[no-untyped-def]
    example = REPO / template.example
    data = json.loads(example.read_text(encoding="utf-8"))
    document = template.model.model_validate(data)
    assert template.version_on(document.issued_on)
    assert all(v.legal_basis for v in template.versions)

"""OrganIds are ASCII, whole: look-alike digits name no body, anywhere one is parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from services.docgen.issuing.models import Recipient
from shared.auth import TokenStore
from shared.db import make_engine, migrate
from shared.edxml import Organization, PacketInvalid
from shared.organ import is_organ_id
from tests.unit.edxml.conftest import RECIPIENT, sample_bytes

LOOK_ALIKES = [
    "000.00.３２.H43",  # fullwidth digits
    "٠٠٠.٠٠.٣٢.H43",  # Arabic-Indic digits
    "000.00.32.H４３",
    "000.00.32.H43\n",  # a trailing newline: the regex '$' would let it through
    "000.00.32.Ｈ43",  # fullwidth letter
]


def test_ascii_organ_ids_are_taken() -> None:
    assert is_organ_id("000.00.32.H43")
    assert is_organ_id("001.00.20.T02")


@pytest.mark.parametrize("organ_id", LOOK_ALIKES)
def test_look_alike_digits_are_refused(organ_id: str, tmp_path: Path) -> None:
    assert not is_organ_id(organ_id)
    url = f"sqlite:///{tmp_path}/auth.sqlite3"
    migrate.upgrade("auth", url)
    with pytest.raises(ValueError, match="not an OrganId"):
        TokenStore(make_engine(url)).create(organ_id, ["clerk"])
    if organ_id.strip() != organ_id:  # the API strips white space, then checks
        assert Recipient(organ_id=organ_id, name="X").organ_id == organ_id.strip()
    else:
        with pytest.raises(ValidationError):
            Recipient(organ_id=organ_id, name="UBND huyện X")
    with pytest.raises(PacketInvalid, match="mã định danh"):
        sample_bytes(recipients=[Organization(organ_id=organ_id, organ_name="UBND tỉnh")])
    assert sample_bytes(recipients=[RECIPIENT])  # the same packet with an ASCII id is written

"""The reference folder is reachable the way CI provides it, and its text is handled right."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from shared.text import nfc

pytestmark = pytest.mark.reference


def test_seed_documents_survive_nfc(reference_dir: Path) -> None:
    seeds = sorted((reference_dir / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        normalised = nfc(text)
        assert unicodedata.is_normalized("NFC", normalised)
        assert nfc(normalised) == normalised
        # the same words typed with combining marks come back identical
        decomposed = unicodedata.normalize("NFD", normalised)
        assert decomposed != normalised
        assert nfc(decomposed) == normalised

"""Upper case keeping Vietnamese diacritics, NFC in and out."""

from __future__ import annotations

import unicodedata

import pytest

from shared.text import nfc as text_nfc
from shared.vn import nfc, upper

# Vowel letters as base letter + vowel mark (breve, circumflex, horn); tone marks:
# none, grave (huyền), acute (sắc), tilde (ngã), hook above (hỏi), dot below (nặng).
_VOWELS = [
    ("a", ""),
    ("a", "\u0306"),
    ("a", "\u0302"),
    ("e", ""),
    ("e", "\u0302"),
    ("i", ""),
    ("o", ""),
    ("o", "\u0302"),
    ("o", "\u031b"),
    ("u", ""),
    ("u", "\u031b"),
    ("y", ""),
]
_TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def _letters() -> list[tuple[str, str]]:
    pairs = []
    for base, mark in _VOWELS:
        for tone in _TONES:
            lower = unicodedata.normalize("NFC", base + mark + tone)
            capital = unicodedata.normalize("NFC", base.upper() + mark + tone)
            pairs.append((lower, capital))
    pairs.append(("đ", "Đ"))
    return pairs


LETTERS = _letters()


def test_the_letter_set_is_complete_and_precomposed() -> None:
    assert len(LETTERS) == 12 * 6 + 1
    assert len({lower for lower, _ in LETTERS}) == len(LETTERS)
    for lower, capital in LETTERS:
        assert len(lower) == 1, unicodedata.name(lower[0])
        assert len(capital) == 1
        assert unicodedata.name(lower).startswith("LATIN SMALL LETTER")
        assert unicodedata.name(capital).startswith("LATIN CAPITAL LETTER")


@pytest.mark.parametrize(("lower", "capital"), LETTERS, ids=[c for _, c in LETTERS])
def test_upper_keeps_every_diacritic(lower: str, capital: str) -> None:
    assert upper(lower) == capital
    assert upper(lower) == unicodedata.normalize("NFC", lower).upper()
    decomposed = unicodedata.normalize("NFD", lower)
    assert upper(decomposed) == capital  # NFC out even for NFD in
    assert upper(capital) == capital


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ủy ban nhân dân xã Tân Phú", "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ"),
        ("sở tài nguyên và môi trường", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
        ("quyết định", "QUYẾT ĐỊNH"),
        ("kt. chủ tịch", "KT. CHỦ TỊCH"),
        ("Số 12/qđ-ubnd", "SỐ 12/QĐ-UBND"),
        ("hòa / hoà", "HÒA / HOÀ"),  # tone placement is kept as written
        ("", ""),
    ],
)
def test_upper_phrases(text: str, expected: str) -> None:
    assert upper(text) == expected
    assert upper(unicodedata.normalize("NFD", text)) == expected
    assert unicodedata.is_normalized("NFC", upper(text))


def test_nfc_is_the_shared_text_function() -> None:
    assert nfc is text_nfc
    assert nfc("e\u0302\u0301") == "ế"

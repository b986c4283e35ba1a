"""Legacy Vietnamese encodings (TCVN3/ABC, VNI-Windows) read as Latin-1 mojibake."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.vn.legacy import (
    TCVN3_VN2_CAPITALS,
    analyse,
    detect,
    from_unicode,
    normalise_legacy,
    to_unicode,
)

_BASES = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
LOWER = [
    unicodedata.normalize("NFC", unicodedata.normalize("NFD", b) + t)
    for b in _BASES
    for t in _TONES
]
LETTERS = [*LOWER, "đ"]
# The 134 precomposed (non-ASCII) Vietnamese letters, both cases.
ALL_134 = [c for c in (*LETTERS, *(c.upper() for c in LETTERS)) if not c.isascii()]

# A varied corpus of ordinary Vietnamese: headers, names, addresses, sentences, amounts.
VIETNAMESE = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Ủy ban nhân dân huyện Hữu Lũng",
    "ỦY BAN NHÂN DÂN TỈNH AN GIANG",
    "Nguyễn Văn Bình",
    "Trần Thị Thu Hương",
    "Số 12, đường Trần Hưng Đạo, phường Mỹ Bình, thành phố Long Xuyên, tỉnh An Giang",
    "Thôn Đồng Bục, xã Đồng Tân, huyện Hữu Lũng, tỉnh Lạng Sơn",
    "Trước ngày 20 hàng tháng, chủ đầu tư phải cập nhật báo cáo đánh giá tình hình thực hiện.",
    "Tổng số tiền: 1.234.567.890 đồng (Bằng chữ: Một tỷ hai trăm ba mươi bốn triệu đồng).",
    "Thuở ấy, khuya khoắt, người ta quyết định xoong nồi.",
    "Hỗ trợ 40.000.000 đ cho mỗi hộ nghèo xây dựng nhà ở; quyết toán trong 15 ngày.",
    "Kính gửi: Các chủ đầu tư, các cơ quan, phòng, ban, ngành.",
    "BÁO CÁO TIẾN ĐỘ THỰC HIỆN VÀ GIẢI NGÂN VỐN ĐẦU TƯ CÔNG THÁNG 3 NĂM 2024",
    "Nơi nhận: Như trên; Lưu: VT, LĐTBXH.",
    "Giỗ Tổ Hùng Vương, Tết Nguyên đán, Quốc khánh.",
]
FOREIGN = [
    "Où est la gare ? Le café est près de l'hôtel.",
    "Déjà vu, naïve, résumé, façade, Noël, Zoë, voilà.",
    "Über schöne Straßen fährt der Müller für König.",
    "Señor José está en el año 2024, más o menos.",
    "São Paulo e Brasília: não, irmão, mãe.",
    "The quick brown fox jumps over the lazy dog.",
    "Invoice no. 2024/17 — total 1,234.50 EUR (VAT 10%).",
    "Crème brûlée à la française, coût: 12 €.",
]


def test_the_134_letters() -> None:
    assert len(set(ALL_134)) == 134
    assert all(len(c) == 1 for c in ALL_134)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_lower_case_letter_round_trips(encoding: str) -> None:
    # Some letters keep their own code point: VNI í ì Í Ì, TCVN3 ý (0xFD).
    assert {c for c in ALL_134 if from_unicode(c, encoding) == c} <= {"í", "ì", "Í", "Ì", "ý"}
    for letter in LETTERS:
        word = f"b{letter}n"
        assert to_unicode(from_unicode(word, encoding), encoding) == word


def test_every_capital_round_trips_in_vni() -> None:
    for letter in LETTERS:
        capital = letter.upper()
        for word in (f"B{capital}N", f"{capital}n", capital):
            assert to_unicode(from_unicode(word, "vni"), "vni") == word


def test_tcvn3_capitals_round_trip_in_all_caps_words() -> None:
    # VN3 has no codes for capitals with a tone mark: the H-font convention shares the
    # lower-case code, and the other capitals of the word tell the case back.
    for letter in LETTERS:
        word = f"B{letter.upper()}N"
        assert to_unicode(from_unicode(word, "tcvn3"), "tcvn3") == word


def test_tcvn3_table_samples() -> None:
    assert to_unicode("Hµ Néi", "tcvn3") == "Hà Nội"
    assert to_unicode("§¾k L¾k", "tcvn3") == "Đắk Lắk"
    assert to_unicode("Tr\xadêng", "tcvn3") == "Trường"  # ư is the soft hyphen 0xAD
    assert to_unicode("¡ ¢ £ ¤ ¥ ¦ §", "tcvn3") == "Ă Â Ê Ô Ơ Ư Đ"
    assert to_unicode("¨ © ª « ¬ \xad ®", "tcvn3") == "ă â ê ô ơ ư đ"


def test_tcvn3_vn2_capitals_are_decoded() -> None:
    for letter, code in TCVN3_VN2_CAPITALS.items():
        assert to_unicode(f"B{chr(code)}N", "tcvn3") == f"B{letter}N"
    assert len(TCVN3_VN2_CAPITALS) == 16


def test_tcvn3_all_caps_header() -> None:
    text = "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM"
    assert to_unicode(text, "tcvn3") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_tcvn3_case_guesses_and_their_limit() -> None:
    # A word with only an initial capital follows its neighbours.
    assert to_unicode("§éc lËp - Tù do - H¹nh phóc", "tcvn3") == "Độc lập - Tự do - Hạnh phúc"
    assert to_unicode("Hµ NéI", "tcvn3") == "HÀ NỘI"
    # A sentence starts with a capital.
    assert to_unicode("ñy ban nh©n d©n. ¦íc m¬.", "tcvn3") == "Ủy ban nhân dân. Ước mơ."
    # Documented limit: a capital toned vowel inside a sentence is lost.
    assert to_unicode("NguyÔn ThÞ ¸nh", "tcvn3") == "Nguyễn Thị ánh"


def test_vni_samples() -> None:
    assert to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam"
    )
    assert to_unicode("ÑAÉK LAÉK", "vni") == "ĐẮK LẮK"
    assert to_unicode("thöông, thuôû, Thò, kyõ, vò", "vni") == "thương, thuở, Thị, kỹ, vị"
    assert to_unicode("Aù", "vni") == "Á"  # a mark of the other case is accepted


def test_unicode_passes_through_as_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert to_unicode(decomposed, "unicode") == "Nguyễn"
    assert to_unicode(decomposed, " Unicode ") == "Nguyễn"


def test_unknown_encoding_is_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError, match="Bảng mã không được hỗ trợ"):
        to_unicode("x", "viqr")
    with pytest.raises(ValueError, match="Bảng mã"):
        from_unicode("x", "cp1258")


@pytest.mark.parametrize("text", VIETNAMESE + FOREIGN)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert detect(text) == "unicode"
    assert normalise_legacy(text) == (unicodedata.normalize("NFC", text), None)


@pytest.mark.parametrize("text", ["", "   ", "12/2024", "ABC-123", "ok"])
def test_ascii_and_empty_text_is_unicode(text: str) -> None:
    result = analyse(text)
    assert result.encoding == "unicode"
    assert result.confidence == 1.0


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("text", VIETNAMESE)
def test_corpus_round_trips_through_detection(text: str, encoding: str) -> None:
    legacy = from_unicode(text, encoding)
    assert legacy != text
    result = analyse(legacy)
    assert result.encoding == encoding
    assert 0.5 < result.confidence <= 1.0
    assert normalise_legacy(legacy) == (text, encoding)


def test_short_fields_are_detected() -> None:
    assert detect("NguyÔn") == "tcvn3"
    assert detect("Nguyeãn") == "vni"
    assert detect("Hueá") == "vni"
    # Valid both ways ("Lê" in VNI, "Leõ" in TCVN3): no verdict, so Unicode.
    assert detect("Leâ") == "unicode"
    # One decoded letter is not enough: "où" could be French or VNI "ó".
    assert detect("où") == "unicode"


def test_mixed_text_needs_a_clear_majority() -> None:
    # Two Unicode words against one legacy word: stays Unicode.
    assert detect("Nguyễn Văn NguyÔn") == "unicode"
    assert analyse("Nguyễn Văn NguyÔn").tcvn3_words == 1


_syllable = st.sampled_from(
    [
        "Nguyễn",
        "Văn",
        "hộ",
        "nghèo",
        "đường",
        "Quốc",
        "khánh",
        "tháng",
        "giải",
        "ngân",
        "thuở",
        "khuya",
        "người",
        "quyết",
        "định",
        "ĐẦU",
        "TƯ",
        "CÔNG",
        "và",
        "của",
        "12",
        "2024",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_syllable, min_size=1, max_size=12), st.sampled_from(["tcvn3", "vni"]))
def test_property_unicode_never_flagged_and_vni_round_trips(words: list[str], enc: str) -> None:
    text = " ".join(words)
    assert detect(text) == "unicode"
    if enc == "vni":
        assert to_unicode(from_unicode(text, "vni"), "vni") == text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="latin-1"), max_size=40))
def test_property_conversion_is_total_and_nfc(text: str) -> None:
    for enc in ("tcvn3", "vni", "unicode"):
        out = to_unicode(text, enc)
        assert unicodedata.is_normalized("NFC", out)
    encoding = detect(text)
    assert encoding in ("unicode", "tcvn3", "vni")

"""Numbers and VND amounts in words (forms reference §5.2, §5.3, §5.6).

The round-trip tests read the words back with a strict parser written here, from the
rules, independently of shared.vn.words: it refuses a missing "không trăm", a missing
"linh", "năm"/"một"/"bốn" where "lăm"/"mốt"/"tư" belong, and the reverse.
"""

from __future__ import annotations

import dataclasses
import functools
import random
from decimal import Decimal
from typing import Any

import pytest

from shared.vn import MAX_NUMBER, WordStyle, amount_in_words, number_in_words

ACCOUNTING = WordStyle()
SOUTHERN = WordStyle(thousand="ngàn", odd="lẻ", billion="tỉ", four="bốn")


# ---------------------------------------------------------------- reverse parser


class Unparsable(ValueError):
    pass


_PLAIN = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}


def _after_muoi(style: WordStyle) -> dict[str, int]:
    """Units allowed after "mươi" (tens ≥ 20)."""
    units = {w: v for w, v in _PLAIN.items() if v not in (1, 4, 5)}
    units.update({"mốt": 1, style.four: 4, "lăm": 5})
    return units


_AFTER_MUOI_1 = {w: v for w, v in _PLAIN.items() if v != 5} | {"lăm": 5}


def parse_words(text: str, style: WordStyle = ACCOUNTING) -> int:
    """Words → int, strictly per §5.2; raises Unparsable on anything else."""
    if text != text.strip() or "  " in text:
        raise Unparsable(f"stray spaces in {text!r}")
    tokens = text.split(" ")
    if tokens == ["không"]:
        return 0
    value = _parse_big(tokens, style, leading=True)
    if value == 0:
        raise Unparsable(text)
    return value


def _parse_big(tokens: list[str], style: WordStyle, *, leading: bool) -> int:
    if style.billion in tokens:
        cut = len(tokens) - 1 - tokens[::-1].index(style.billion)
        head, tail = tokens[:cut], tokens[cut + 1 :]
        if not head:
            raise Unparsable(f"{style.billion} without a count: {tokens}")
        count = _parse_big(head, style, leading=leading)
        return count * 10**9 + _parse_below_billion(tail, style, leading=False)
    if not tokens:
        raise Unparsable("empty")
    return _parse_below_billion(tokens, style, leading=leading)


def _parse_below_billion(tokens: list[str], style: WordStyle, *, leading: bool) -> int:
    total, rest = 0, tokens
    for scale, word in ((10**6, "triệu"), (10**3, style.thousand)):
        if word in rest:
            cut = rest.index(word)
            total += scale * _parse_group(rest[:cut], style, full=not leading)
            rest = rest[cut + 1 :]
            leading = False
    if rest:
        total += _parse_group(rest, style, full=not leading)
    return total


def _parse_group(tokens: list[str], style: WordStyle, *, full: bool) -> int:
    """One 3-digit group, 1–999; ``full``: a non-leading group, read with its hundreds."""
    hundreds: int | None = None
    tail = tokens
    if len(tokens) >= 2 and tokens[1] == "trăm":
        hundreds = {"không": 0, **_PLAIN}.get(tokens[0])
        if hundreds is None or (hundreds == 0 and not full):
            raise Unparsable(f"bad hundreds: {tokens}")
        tail = tokens[2:]
    elif full:
        raise Unparsable(f"non-leading group without hundreds: {tokens}")
    value = (hundreds or 0) * 100 + _parse_tens_and_units(tail, style, hundreds is not None)
    if value == 0:
        raise Unparsable(f"empty group: {tokens}")
    return value


def _parse_tens_and_units(tail: list[str], style: WordStyle, after_hundreds: bool) -> int:
    """0–99 after an optional "… trăm": linh/lẻ + unit, mười …, … mươi …, or a lone unit."""
    value = _valid_tails(style, after_hundreds).get(tuple(tail))
    if value is None:
        raise Unparsable(tail)
    return value


@functools.cache
def _valid_tails(style: WordStyle, after_hundreds: bool) -> dict[tuple[str, ...], int]:
    """Every allowed 0–99 reading, built from the §5.2 rules."""
    valid: dict[tuple[str, ...], int] = {(): 0, ("mười",): 10}
    if after_hundreds:
        valid |= {(style.odd, word): unit for word, unit in _PLAIN.items()}
    else:
        valid |= {(word,): unit for word, unit in _PLAIN.items()}
    valid |= {("mười", word): 10 + unit for word, unit in _AFTER_MUOI_1.items()}
    for tens_word, tens in _PLAIN.items():
        if tens >= 2:
            valid[(tens_word, "mươi")] = tens * 10
            for word, unit in _after_muoi(style).items():
                valid[(tens_word, "mươi", word)] = tens * 10 + unit
    return valid


@pytest.mark.parametrize(
    "text",
    [
        "một nghìn linh năm",  # missing "không trăm"
        "một trăm năm",  # missing "linh"
        "hai mươi một",  # "mốt" after mươi
        "hai mươi năm",  # "lăm" after mươi
        "mười năm",
        "mười mốt",
        "mười tư",
        "không trăm mười",  # leading group
        "một triệu không trăm",
        "một linh năm",
        "tỷ",
        "một nghìn triệu",
        "mười linh",
        "một mươi",
    ],
)
def test_parser_refuses_what_the_rules_forbid(text: str) -> None:
    with pytest.raises(Unparsable):
        parse_words(text)


# ---------------------------------------------------------------- expected strings

# §5.6 test list, then the §5.3 edge cases, then further cases of each §5.2 rule.
CASES = [
    (0, "không"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (1_000, "một nghìn"),
    (1_001, "một nghìn không trăm linh một"),
    (1_005, "một nghìn không trăm linh năm"),
    (1_010, "một nghìn không trăm mười"),
    (1_015, "một nghìn không trăm mười lăm"),
    (10_005, "mười nghìn không trăm linh năm"),
    (100_005, "một trăm nghìn không trăm linh năm"),
    (1_000_000, "một triệu"),
    (1_000_000_000_000, "một nghìn tỷ"),
    # §5.3
    (1_000_005, "một triệu không trăm linh năm"),
    (1_000_010, "một triệu không trăm mười"),
    (1_000_015, "một triệu không trăm mười lăm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_010_000, "một triệu không trăm mười nghìn"),
    (1_001_001, "một triệu không trăm linh một nghìn không trăm linh một"),
    (1_000_000_001, "một tỷ không trăm linh một"),
    (1_000_000_017, "một tỷ không trăm mười bảy"),
    (2_000_001_000, "hai tỷ không trăm linh một nghìn"),
    (15_000_005, "mười lăm triệu không trăm linh năm"),
    (
        123_456_789_012,
        "một trăm hai mươi ba tỷ bốn trăm năm mươi sáu triệu "
        "bảy trăm tám mươi chín nghìn không trăm mười hai",
    ),
    (2_000_000_000_005, "hai nghìn tỷ không trăm linh năm"),
    (1_200_000_000_000, "một nghìn hai trăm tỷ"),
    (54_000, "năm mươi tư nghìn"),
    # further cases per rule
    (1, "một"),
    (4, "bốn"),
    (9, "chín"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (31, "ba mươi mốt"),
    (44, "bốn mươi tư"),
    (50, "năm mươi"),
    (55, "năm mươi lăm"),
    (90, "chín mươi"),
    (91, "chín mươi mốt"),
    (94, "chín mươi tư"),
    (95, "chín mươi lăm"),
    (99, "chín mươi chín"),
    (111, "một trăm mười một"),
    (114, "một trăm mười bốn"),
    (121, "một trăm hai mươi mốt"),
    (150, "một trăm năm mươi"),
    (500, "năm trăm"),
    (505, "năm trăm linh năm"),
    (999, "chín trăm chín mươi chín"),
    (1_050, "một nghìn không trăm năm mươi"),
    (1_100, "một nghìn một trăm"),
    (7_304, "bảy nghìn ba trăm linh bốn"),
    (20_021, "hai mươi nghìn không trăm hai mươi mốt"),
    (45_000_000, "bốn mươi lăm triệu"),
    (300_000_045, "ba trăm triệu không trăm bốn mươi lăm"),
    (1_000_000_000, "một tỷ"),
    (1_001_000_000, "một tỷ không trăm linh một triệu"),
    (9_000_000_900, "chín tỷ chín trăm"),
    (100_000_000_000, "một trăm tỷ"),
    (1_001_000_000_000, "một nghìn không trăm linh một tỷ"),
    (10**15, "một triệu tỷ"),
    (10**15 + 1, "một triệu tỷ không trăm linh một"),
    (10**18, "một tỷ tỷ"),
    (10**18 + 24, "một tỷ tỷ không trăm hai mươi tư"),
    # the count of tỷ is itself a number: (21 tỷ + 1) tỷ
    (21 * 10**18 + 10**9, "hai mươi mốt tỷ không trăm linh một tỷ"),
    (21 * 10**18 + 1, "hai mươi mốt tỷ tỷ không trăm linh một"),
    (10**27, "một tỷ tỷ tỷ"),
    (
        2**63 - 1,
        "chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn "
        "không trăm ba mươi sáu tỷ tám trăm năm mươi tư triệu "
        "bảy trăm bảy mươi lăm nghìn tám trăm linh bảy",
    ),
]


@pytest.mark.parametrize(("n", "expected"), CASES)
def test_number_in_words(n: int, expected: str) -> None:
    assert number_in_words(n) == expected
    assert parse_words(expected) == n


@pytest.mark.parametrize(("n", "expected"), CASES)
def test_amount_in_words_is_capitalised_and_ends_in_dong(n: int, expected: str) -> None:
    assert amount_in_words(n) == expected[0].upper() + expected[1:] + " đồng"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "Không đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (54_000, "Năm mươi tư nghìn đồng"),
        (Decimal("1000.00"), "Một nghìn đồng"),
        (Decimal("2E+3"), "Hai nghìn đồng"),
        (Decimal("-0"), "Không đồng"),
        (Decimal("0.000"), "Không đồng"),
        (Decimal("3005000.0"), "Ba triệu không trăm linh năm nghìn đồng"),
        (Decimal(MAX_NUMBER), number_in_words(MAX_NUMBER).capitalize() + " đồng"),
        (True + 0, "Một đồng"),  # an int made from a bool is an int
    ],
)
def test_amount_in_words_examples(n: int | Decimal, expected: str) -> None:
    assert amount_in_words(n) == expected


@pytest.mark.parametrize(
    ("style", "n", "expected"),
    [
        (SOUTHERN, 105, "một trăm lẻ năm"),
        (SOUTHERN, 24, "hai mươi bốn"),
        (SOUTHERN, 14, "mười bốn"),
        (SOUTHERN, 1_005, "một ngàn không trăm lẻ năm"),
        (SOUTHERN, 2_000_001_000, "hai tỉ không trăm lẻ một ngàn"),
        (SOUTHERN, 1_200_000_000_000, "một ngàn hai trăm tỉ"),
        (WordStyle(odd="lẻ"), 1_000_005, "một triệu không trăm lẻ năm"),
        (WordStyle(four="bốn"), 54_000, "năm mươi bốn nghìn"),
        (WordStyle(thousand="ngàn"), 21_000, "hai mươi mốt ngàn"),
        (WordStyle(billion="tỉ"), 10**18, "một tỉ tỉ"),
    ],
)
def test_word_style_choices(style: WordStyle, n: int, expected: str) -> None:
    assert number_in_words(n, style) == expected
    assert parse_words(expected, style) == n


def test_whole_suffix_and_style_in_amounts() -> None:
    assert amount_in_words(2_500_000, WordStyle(whole_suffix="chẵn")) == (
        "Hai triệu năm trăm nghìn đồng chẵn"
    )
    assert amount_in_words(105, SOUTHERN) == "Một trăm lẻ năm đồng"


def test_default_style_is_accounting_style() -> None:
    assert WordStyle() == WordStyle(
        thousand="nghìn", billion="tỷ", odd="linh", four="tư", whole_suffix=""
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("odd", "le"), ("thousand", "ngan"), ("billion", "ti"), ("four", "4"), ("whole_suffix", "x")],
)
def test_word_style_refuses_unknown_spellings(field: str, value: str) -> None:
    kwargs: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match="không hợp lệ"):
        WordStyle(**kwargs)


def test_word_style_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ACCOUNTING.odd = "lẻ"  # type: ignore[misc]


# ---------------------------------------------------------------- refusals

REFUSED: list[tuple[object, type[Exception], str]] = [
    (-1, ValueError, "âm"),
    (Decimal("-5"), ValueError, "âm"),
    (Decimal("1.5"), ValueError, "thập phân"),
    (Decimal("1000.01"), ValueError, "thập phân"),
    (Decimal("NaN"), ValueError, "hữu hạn"),
    (Decimal("sNaN"), ValueError, "hữu hạn"),
    (Decimal("-Infinity"), ValueError, "hữu hạn"),
    (1.5, TypeError, "float"),
    (1.0, TypeError, "float"),
    (True, TypeError, "bool"),
    (False, TypeError, "bool"),
    ("1000", TypeError, "str"),
    (None, TypeError, "NoneType"),
    ([1], TypeError, "list"),
    (MAX_NUMBER + 1, ValueError, "quá lớn"),
    (Decimal(MAX_NUMBER + 1), ValueError, "quá lớn"),
    (Decimal("1E+1000000"), ValueError, "quá lớn"),
]


@pytest.mark.parametrize(("value", "error", "words"), REFUSED)
@pytest.mark.parametrize("function", [number_in_words, amount_in_words])
def test_refusals_explain_in_vietnamese_with_the_value(
    function: Any, value: object, error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        function(value)
    message = str(caught.value)
    assert words in message
    assert repr(value) in message
    assert ("Số tiền" if function is amount_in_words else "Số") in message


def test_max_number_is_read() -> None:
    words = number_in_words(MAX_NUMBER)
    assert words.count("tỷ") == 3  # 999… tỷ 999… tỷ 999… tỷ 999…
    assert parse_words(words) == MAX_NUMBER


# ---------------------------------------------------------------- round trips


def _round_trip_failures(numbers: list[int], style: WordStyle = ACCOUNTING) -> list[str]:
    failures = []
    for n in numbers:
        words = number_in_words(n, style)
        try:
            back = parse_words(words, style)
        except Unparsable as exc:
            failures.append(f"{n}: {words!r} does not parse ({exc})")
            continue
        if back != n:
            failures.append(f"{n}: {words!r} reads back as {back}")
    return failures


def _zero_heavy(rng: random.Random, max_digits: int) -> int:
    """A number whose digits favour 0, 1, 4 and 5, where the special words live."""
    length = rng.randint(1, max_digits)
    return int("".join(rng.choice("00000114455123456789") for _ in range(length)))


def test_round_trip_every_number_below_twenty_thousand() -> None:
    assert _round_trip_failures(list(range(20_000)))[:10] == []


def test_round_trip_sampled_numbers() -> None:
    rng = random.Random(20_240_105)
    numbers = [rng.randrange(100_001) for _ in range(5_000)]
    numbers += [rng.randrange(10**9, 10**18 + 1) for _ in range(5_000)]
    numbers += [rng.randrange(MAX_NUMBER + 1) for _ in range(1_000)]
    numbers += [_zero_heavy(rng, 36) for _ in range(10_000)]
    numbers += [10**k + d for k in range(36) for d in (-1, 0, 1, 5, 10, 24)]
    assert _round_trip_failures(numbers)[:10] == []


def test_round_trip_southern_style() -> None:
    rng = random.Random(7)
    numbers = list(range(2_000)) + [_zero_heavy(rng, 30) for _ in range(3_000)]
    assert _round_trip_failures(numbers, SOUTHERN)[:10] == []


def test_words_are_distinct_for_distinct_numbers() -> None:
    texts = {number_in_words(n) for n in range(20_000)}
    assert len(texts) == 20_000

"""Vietnamese text typed in the legacy TCVN3 (ABC) and VNI encodings, read as mojibake.

District offices still type in fonts such as .VnTime (TCVN 5712:1993 VN3, "ABC") or
VNI-Times (VNI-Windows). Pasted into a Unicode form, each legacy byte arrives as the
Latin-1/cp1252 character of the same code ("Céng hßa", "Coäng hoøa"). All the bytes
both encodings use for letters lie in 0xA0–0xFF, where cp1252 and Latin-1 agree.

- :func:`detect` / :func:`analyse` — "unicode", "tcvn3" or "vni" (with a confidence);
- :func:`to_unicode` — legacy mojibake → NFC Unicode; :func:`from_unicode` the inverse;
- :func:`normalise_legacy` — what intake calls on every text field.

Detection works per word: a word that is not a valid Vietnamese syllable as it stands
but becomes one once decoded votes for that encoding; valid Vietnamese words and
foreign words (French, German, …) vote against. A legacy verdict needs a clear
majority, so ordinary Unicode text, English and French stay "unicode".

Limits (the standards themselves lose information):

- TCVN3 (VN3) has codes for the 67 lower-case letters and only 7 upper-case ones
  (Ă Â Ê Ô Ơ Ư Đ); a capital with a tone mark (Ấ, Ộ…) was typed with the lower-case
  code in an upper-case "H" font (.VnTimeH). The font is lost in the text, so the
  case is guessed: a word whose other letters are all capitals is upper-cased
  ("CéNG" → "CỘNG"), a word with no other cased letter follows its neighbours on the
  line, and a word at the start of a sentence gets its capital. A capital toned
  vowel elsewhere ("ông Ên" for "ông Ấn") comes out lower-case.
- The 16 capitals VN2 adds in 0xA0–0xFF (Ắ Ằ Ẳ Ẵ Ấ Ầ Ẩ Ẫ Ế Ề Ể Ễ Ố Ồ Ổ Ỗ) are decoded;
  VN1's capitals in the C0/C1 control ranges and VN2's spacing tone marks
  (0xB0–0xB4) are not: there Word's smart quotes and "°", "±" would be taken for
  letters.
- VNI capitals are exact (the mark after a capital is itself a capital); a mark of
  the other case ("Aù") is accepted as well.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from shared.text import nfc

__all__ = [
    "LEGACY_ENCODINGS",
    "Detection",
    "Encoding",
    "LegacyEncoding",
    "analyse",
    "detect",
    "from_unicode",
    "normalise_legacy",
    "to_unicode",
]

Encoding = Literal["unicode", "tcvn3", "vni"]
LegacyEncoding = Literal["tcvn3", "vni"]
LEGACY_ENCODINGS: tuple[LegacyEncoding, ...] = ("tcvn3", "vni")

# ---------------------------------------------------------------------------------------
# Tables. Tones in the order of the rows below: none, huyền, sắc, hỏi, ngã, nặng.
# Checked against glibc's TCVN5712-1 converter (VN1, whose 0xA0–0xFF half is VN3 plus
# the VN2 capitals) and the VNI-Windows tables of the xvnkb and Unikey input methods.
# ---------------------------------------------------------------------------------------

_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")

#: Vowel bases as Unicode (base letter + vowel mark), in the order of the rows below.
_BASES: dict[str, str] = {
    "a": "a",
    "ă": "a\u0306",
    "â": "a\u0302",
    "e": "e",
    "ê": "e\u0302",
    "i": "i",
    "o": "o",
    "ô": "o\u0302",
    "ơ": "o\u031b",
    "u": "u",
    "ư": "u\u031b",
    "y": "y",
}

#: TCVN3 (VN3) codes of the lower-case letters, one row per base, six tones per row.
TCVN3_LOWER: dict[str, tuple[int, int, int, int, int, int]] = {
    "a": (0x61, 0xB5, 0xB8, 0xB6, 0xB7, 0xB9),
    "ă": (0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB),
    "e": (0x65, 0xCC, 0xD0, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6),
    "i": (0x69, 0xD7, 0xDD, 0xD8, 0xDC, 0xDE),
    "o": (0x6F, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4),
    "ô": (0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE),
    "u": (0x75, 0xEF, 0xF3, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9),
    "y": (0x79, 0xFA, 0xFD, 0xFB, 0xFC, 0xFE),
}

#: The seven capitals VN3 has, and đ.
TCVN3_OTHER: dict[str, int] = {
    "Ă": 0xA1,
    "Â": 0xA2,
    "Ê": 0xA3,
    "Ô": 0xA4,
    "Ơ": 0xA5,
    "Ư": 0xA6,
    "Đ": 0xA7,
    "đ": 0xAE,
}

#: Capitals with tone marks that VN2 (and VN1) place in gaps of VN3's upper half.
TCVN3_VN2_CAPITALS: dict[str, int] = {
    "Ằ": 0xAF,
    "Ẳ": 0xBA,
    "Ẵ": 0xBF,
    "Ắ": 0xC0,
    "Ầ": 0xC1,
    "Ẩ": 0xC2,
    "Ẫ": 0xC3,
    "Ấ": 0xC4,
    "Ề": 0xC5,
    "Ể": 0xCD,
    "Ễ": 0xD9,
    "Ế": 0xDA,
    "Ồ": 0xDB,
    "Ổ": 0xE0,
    "Ỗ": 0xF0,
    "Ố": 0xFF,
}

#: VNI-Windows spelling of the lower-case letters (capitals: the same, upper-cased).
VNI_LOWER: dict[str, tuple[str, str, str, str, str, str]] = {
    "a": ("a", "aø", "aù", "aû", "aõ", "aï"),
    "ă": ("aê", "aè", "aé", "aú", "aü", "aë"),
    "â": ("aâ", "aà", "aá", "aå", "aã", "aä"),
    "e": ("e", "eø", "eù", "eû", "eõ", "eï"),
    "ê": ("eâ", "eà", "eá", "eå", "eã", "eä"),
    "i": ("i", "ì", "í", "æ", "ó", "ò"),
    "o": ("o", "oø", "où", "oû", "oõ", "oï"),
    "ô": ("oâ", "oà", "oá", "oå", "oã", "oä"),
    "ơ": ("ô", "ôø", "ôù", "ôû", "ôõ", "ôï"),
    "u": ("u", "uø", "uù", "uû", "uõ", "uï"),
    "ư": ("ö", "öø", "öù", "öû", "öõ", "öï"),
    "y": ("y", "yø", "yù", "yû", "yõ", "î"),
}
VNI_OTHER: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}


def _letter(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", _BASES[base] + tone)


def _build_tables() -> tuple[
    dict[str, str], dict[str, str], frozenset[str], dict[str, str], dict[str, str]
]:
    """Encoders (Unicode letter → legacy text) and decoders (legacy text → letter)."""
    tcvn3_enc: dict[str, str] = {}
    tcvn3_dec: dict[str, str] = {}
    ambiguous: set[str] = set()
    vni_enc: dict[str, str] = {}
    vni_dec: dict[str, str] = {}
    for base, codes in TCVN3_LOWER.items():
        for tone, code in zip(_TONES, codes, strict=True):
            if code < 0x80:
                continue
            lower = _letter(base, tone)
            tcvn3_enc[lower] = chr(code)
            tcvn3_dec[chr(code)] = lower
            if tone:  # a capital with a tone mark shares the lower-case code (H fonts)
                tcvn3_enc[lower.upper()] = chr(code)
                ambiguous.add(chr(code))
    for letter, code in TCVN3_OTHER.items():
        tcvn3_enc[letter] = chr(code)
        tcvn3_dec[chr(code)] = letter
    for letter, code in TCVN3_VN2_CAPITALS.items():
        tcvn3_dec[chr(code)] = letter
    for base, spellings in VNI_LOWER.items():
        for tone, spelling in zip(_TONES, spellings, strict=True):
            lower = _letter(base, tone)
            if spelling == lower:
                continue
            vni_enc[lower] = spelling
            vni_enc[lower.upper()] = spelling.upper()
            vni_dec[spelling] = lower
            vni_dec[spelling.upper()] = lower.upper()
            if len(spelling) == 2:  # lenient: a mark of the other case
                vni_dec.setdefault(spelling[0] + spelling[1].upper(), lower)
                vni_dec.setdefault(spelling[0].upper() + spelling[1], lower.upper())
    for letter, spelling in VNI_OTHER.items():
        vni_enc[letter] = spelling
        vni_dec[spelling] = letter
    return tcvn3_enc, tcvn3_dec, frozenset(ambiguous), vni_enc, vni_dec


_TCVN3_ENC, _TCVN3_DEC, _TCVN3_AMBIGUOUS, _VNI_ENC, _VNI_DEC = _build_tables()

# ---------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…]\s*$|\n\s*$|^\s*$")


def _check_encoding(encoding: str) -> str:
    name = encoding.strip().lower()
    if name not in ("unicode", "tcvn3", "vni"):
        raise ValueError(
            f"Bảng mã không được hỗ trợ: {encoding!r} (chỉ nhận unicode, tcvn3 hoặc vni)"
        )
    return name


def _decode_vni(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in _VNI_DEC:
            out.append(_VNI_DEC[pair])
            i += 2
            continue
        out.append(_VNI_DEC.get(text[i], text[i]))
        i += 1
    return "".join(out)


def _decode_tcvn3(text: str, *, fix_case: bool) -> str:
    chars = [_TCVN3_DEC.get(c, c) for c in text]
    if not fix_case:
        return "".join(chars)
    ambiguous = [c in _TCVN3_AMBIGUOUS for c in text]
    # Words: maximal runs of letters; decide each word's case from its unambiguous letters.
    words: list[tuple[int, int, bool | None]] = []
    i = 0
    while i < len(chars):
        if not chars[i].isalpha():
            i += 1
            continue
        j = i
        while j < len(chars) and chars[j].isalpha():
            j += 1
        evidence = [
            k for k in range(i, j) if not ambiguous[k] and chars[k].lower() != chars[k].upper()
        ]
        upper: bool | None = None
        if any(chars[k].islower() for k in evidence):
            upper = False
        elif any(k > i for k in evidence):
            upper = True  # capitals beyond the first letter: an all-caps word
        words.append((i, j, upper))  # None: no evidence, or only an initial capital
        i = j
    for index, (start, end, decided) in enumerate(words):
        upper = _neighbour_case(chars, words, index) if decided is None else decided
        if upper:
            for k in range(start, end):
                if ambiguous[k]:
                    chars[k] = chars[k].upper()
        elif ambiguous[start] and _SENTENCE_END.search("".join(chars[:start])):
            chars[start] = chars[start].upper()
    return "".join(chars)


def _neighbour_case(
    chars: list[str], words: list[tuple[int, int, bool | None]], index: int
) -> bool:
    """The case of the nearest decided word on the same line (previous first)."""
    start, end, _ = words[index]
    for other in (*reversed(words[:index]), *words[index + 1 :]):
        o_start, o_end, upper = other
        between = chars[o_end:start] if o_end <= start else chars[end:o_start]
        if "\n" in between:
            continue
        if upper is not None:
            return upper
    return False


def to_unicode(text: str, encoding: str) -> str:
    """Convert TCVN3 or VNI mojibake to NFC Unicode ("Hµ Néi" → "Hà Nội").

    ``encoding`` is "tcvn3", "vni" or "unicode" (then the text is only normalised).
    Characters outside the encoding's table are kept as they are.
    """
    name = _check_encoding(encoding)
    value = nfc(text)
    if name == "tcvn3":
        return nfc(_decode_tcvn3(value, fix_case=True))
    if name == "vni":
        return nfc(_decode_vni(value))
    return value


def from_unicode(text: str, encoding: str) -> str:
    """Spell Unicode text the way a TCVN3 or VNI font would show it as Latin-1.

    The inverse of :func:`to_unicode`, used to build test data and to explain a
    conversion. In TCVN3 a capital with a tone mark takes the lower-case code (the
    convention of the upper-case "H" fonts). Characters without a code are kept.
    """
    name = _check_encoding(encoding)
    value = nfc(text)
    table = _TCVN3_ENC if name == "tcvn3" else _VNI_ENC if name == "vni" else {}
    return "".join(table.get(c, c) for c in value)


# ---------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------

_ONSET_LIST = "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x"
_RHYME_LIST = """
    a ac ach ai am an ang anh ao ap at au ay
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    y yêm yên yêng yêt yêu
    o oc oi om on ong op ot oong ooc
    oa oac oach oai oam oan oang oanh oao oap oat oay
    oăc oăm oăn oăng oăt
    oe oem oen oeo oet
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
    uân uâng uât uây uê uêch uênh uơ
    uy uya uych uyên uyêt uyn uynh uyp uyt uyu
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
"""
_ONSETS = frozenset(_ONSET_LIST.split())
_RHYMES = frozenset(_RHYME_LIST.split())
_STOP_CODAS = ("c", "ch", "p", "t")
_TONE_MARKS = frozenset(_TONES[1:])
_SPLIT = re.compile(r"[\s\x21-\x40\x5b-\x60\x7b-\x7e\u2010-\u206f]+")


def _is_syllable(word: str) -> bool:
    """Whether ``word`` is one Vietnamese syllable (onset, rhyme, at most one tone)."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    if tones and bare.endswith(_STOP_CODAS) and tones[0] not in ("\u0301", "\u0323"):
        return False
    if bare in _RHYMES:
        return True
    return any(
        bare.startswith(onset) and bare[len(onset) :] in _RHYMES
        for onset in _ONSETS
        if len(onset) < len(bare)
    ) or bare in ("gi", "qu")


def _words(text: str) -> Iterable[str]:
    return (w for w in _SPLIT.split(text) if w and not w.isascii())


@dataclass(frozen=True)
class Detection:
    """The verdict of :func:`analyse` and the word votes behind it."""

    encoding: Encoding
    confidence: float
    unicode_words: int
    tcvn3_words: int
    vni_words: int
    foreign_words: int


def analyse(text: str) -> Detection:
    """Guess the encoding of ``text`` with a confidence in [0, 1] and the votes.

    Only words with a non-ASCII character vote. A legacy verdict needs at least two
    legacy words and twice as many as the Unicode and foreign ones together; a single
    legacy word is enough only when nothing votes against it and it decodes to two
    letters or more (so French "où" is not taken for VNI "ó"). Words that are
    Vietnamese both as they stand and decoded ("tù" / TCVN3 "tự") do not vote, but
    legacy words must be at least half as many as they are.
    """
    value = nfc(text)
    unicode_words = foreign = ambiguous = 0
    votes: dict[LegacyEncoding, int] = {"tcvn3": 0, "vni": 0}
    exclusive: dict[LegacyEncoding, int] = {"tcvn3": 0, "vni": 0}
    longest: dict[LegacyEncoding, int] = {"tcvn3": 0, "vni": 0}
    for word in _words(value):
        decoded = {"tcvn3": _decode_tcvn3(word, fix_case=True), "vni": _decode_vni(word)}
        valid = [
            enc for enc in LEGACY_ENCODINGS if decoded[enc] != word and _is_syllable(decoded[enc])
        ]
        if _is_syllable(word):
            if valid:
                ambiguous += 1  # "tù", "phóc": Vietnamese either way, no vote
            else:
                unicode_words += 1
            continue
        if not valid:
            foreign += 1
        for enc in valid:
            votes[enc] += 1
            longest[enc] = max(longest[enc], sum(c.isalpha() for c in decoded[enc]))
            if len(valid) == 1:
                exclusive[enc] += 1
    best: LegacyEncoding = "tcvn3" if exclusive["tcvn3"] >= exclusive["vni"] else "vni"
    other: LegacyEncoding = "vni" if best == "tcvn3" else "tcvn3"
    legacy = votes[best]
    against = unicode_words + foreign + exclusive[other]
    total = legacy + against
    is_legacy = exclusive[best] > exclusive[other] and (
        (legacy >= 2 and legacy >= 2 * against and 2 * legacy >= ambiguous)
        or (legacy == 1 and against == 0 and longest[best] >= 2)
    )
    if is_legacy:
        return Detection(best, legacy / total, unicode_words, votes["tcvn3"], votes["vni"], foreign)
    confidence = 1.0 if total == 0 else 1 - legacy / total
    return Detection("unicode", confidence, unicode_words, votes["tcvn3"], votes["vni"], foreign)


def detect(text: str) -> Encoding:
    """Return "unicode", "tcvn3" or "vni": the encoding ``text`` was most likely typed in."""
    return analyse(text).encoding


def normalise_legacy(text: str) -> tuple[str, LegacyEncoding | None]:
    """NFC Unicode text and the legacy encoding it was converted from (None if none).

    Intake calls this on every text field and flags a submission with a conversion.
    """
    encoding = detect(text)
    if encoding == "unicode":
        return nfc(text), None
    return to_unicode(text, encoding), encoding

"""Liberation Serif for the PDFs: found once, cut down to Vietnamese once, measured.

Times New Roman is not on Debian; Liberation Serif has the same metrics, so a
page set in it breaks lines where Word would with Times. WeasyPrint subsets
every embedded face per document; the full faces (~2,600 glyphs each) make
that the slowest part of a render. Reduced here, once, to the Latin and
Vietnamese repertoire (~35 KB a face), and kept in a cache directory keyed by
the source font and the repertoire, the per-document work becomes small.

Text widths (for the rules under headings and the Kính gửi indent of the DOCX)
come from the same faces' advance widths: Times New Roman's, as Word would
measure them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final, Literal

from shared.config import default_var_dir

Face = Literal["regular", "bold", "italic", "bold-italic"]
FACES: Final[dict[Face, str]] = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold-italic": "LiberationSerif-BoldItalic.ttf",
}
FAMILY: Final = "Liberation Serif"

# Where Debian (fonts-liberation2, then the older fonts-liberation) puts them.
SYSTEM_DIRS: Final = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)

# Code points kept: Vietnamese and the typography around it. Every glyph kept is
# work again in each document (WeasyPrint subsets what it embeds): the whole of
# Latin Extended-A/B and U+1E00–1EFF made each face ~80 KB and the write ~50 %
# slower; this set gives ~35 KB. Anything else (Ł, ő, Greek …)
# still prints, in the system's full Liberation Serif, which fontconfig offers
# next (see pdf.py), at that document's extra cost only.
REPERTOIRE: Final[tuple[tuple[int, int], ...]] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement (À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý, «, », ×, º …)
    (0x0102, 0x0103),  # Ă ă
    (0x0110, 0x0111),  # Đ đ
    (0x0128, 0x0129),  # Ĩ ĩ
    (0x0168, 0x0169),  # Ũ ũ
    (0x01A0, 0x01A1),  # Ơ ơ
    (0x01AF, 0x01B0),  # Ư ư
    (0x0300, 0x0303),  # combining grave, acute, circumflex, tilde (text that arrives decomposed)
    (0x0306, 0x0306),  # combining breve
    (0x0309, 0x0309),  # combining hook above
    (0x031B, 0x031B),  # combining horn
    (0x0323, 0x0323),  # combining dot below
    (0x1EA0, 0x1EF9),  # Latin Extended Additional: Ạ … ỹ, the Vietnamese precomposed letters
    (0x2000, 0x206F),  # General Punctuation (– — ‘ ’ “ ” … ‰ ′)
    (0x20A0, 0x20CF),  # Currency (₫ U+20AB, €)
    (0x2100, 0x2122),  # Letterlike (№, ™)
    (0x2190, 0x2199),  # arrows
    (0x2212, 0x2212),  # minus
    (0x2248, 0x2248),  # ≈
    (0x2260, 0x2265),  # ≠ ≤ ≥
    (0x25A0, 0x25CF),  # squares and circles for check boxes
    (0xFB01, 0xFB02),  # fi, fl
)
_CACHE_FORMAT = "3"  # bump when the subsetting options change


class FontsUnavailable(RuntimeError):
    """Liberation Serif is not installed (Debian package fonts-liberation2)."""


def system_font_dir(search: tuple[Path, ...] = SYSTEM_DIRS) -> Path:
    for folder in search:
        if all((folder / name).is_file() for name in FACES.values()):
            return folder
    raise FontsUnavailable(
        "Không tìm thấy phông Liberation Serif (gói Debian fonts-liberation2) trong "
        + ", ".join(str(p) for p in search)
    )


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``<var dir>/cache/fonts``: ``$VANTHU_VAR_DIR``, or ``./var`` like the services."""
    return default_var_dir(environ) / "cache" / "fonts"


@dataclass(frozen=True)
class FontSet:
    """The four reduced faces: file paths in the cache, and their bytes."""

    paths: dict[Face, Path]

    def data(self) -> dict[Face, bytes]:
        return {face: path.read_bytes() for face, path in self.paths.items()}


_lock = threading.Lock()


def _unicodes() -> list[int]:
    return [cp for start, end in REPERTOIRE for cp in range(start, end + 1)]


def _subset(source: Path, target: Path) -> None:
    from fontTools import subset  # noqa: PLC0415 - only on the first use of a cache

    options = subset.Options()
    options.layout_features = ["*"]  # keep kerning and mark positioning
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # WeasyPrint drops hinting anyway (hinting=False)
    options.drop_tables = [*options.drop_tables, "DSIG", "FFTM"]
    # Write to a private name, then rename: another process may be doing the same.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".subset-", suffix=".ttf")
    try:
        with subset.load_font(str(source), options) as font, os.fdopen(fd, "wb") as out:
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=_unicodes())
            subsetter.subset(font)
            subset.save_font(font, out, options)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def reduced_fonts(cache_dir: Path | None = None, source_dir: Path | None = None) -> FontSet:
    """The four faces reduced to the repertoire, made on first use and reused after.

    A cache entry's name carries a digest of its source file and of the
    repertoire, so a font upgrade or a new repertoire makes new files rather
    than serving stale ones.
    """
    source = source_dir or system_font_dir()
    folder = cache_dir or default_cache_dir()
    paths: dict[Face, Path] = {}
    with _lock:
        folder.mkdir(parents=True, exist_ok=True)
        for face, name in FACES.items():
            src = source / name
            digest = hashlib.sha256()
            digest.update(_CACHE_FORMAT.encode())
            digest.update(repr(REPERTOIRE).encode())
            digest.update(src.read_bytes())
            target = folder / f"{src.stem}.{digest.hexdigest()[:16]}.ttf"
            if not target.is_file():
                _subset(src, target)
            paths[face] = target
    return FontSet(paths)


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True)
class _Metrics:
    advances: dict[int, int]  # code point → advance width in font units
    units_per_em: int
    fallback: int  # advance used for characters the face does not have


@cache
def _metrics(face: Face) -> _Metrics | None:
    try:
        folder = system_font_dir()
    except FontsUnavailable:
        return None
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - measuring is rare and cached

    with TTFont(folder / FACES[face], lazy=True) as font:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        upm = font["head"].unitsPerEm
        advances = {cp: hmtx[glyph][0] for cp, glyph in cmap.items()}
    return _Metrics(advances, upm, advances.get(ord("n"), upm // 2))


def text_width_mm(text: str, size_pt: float, face: Face = "regular") -> float:
    """Width of one line of ``text`` set in Times New Roman (Liberation Serif) metrics.

    Without the fonts it falls back to an average advance (half an em, 0.58 em
    bold), close enough for rule lengths and indents.
    """
    metrics = _metrics(face)
    if metrics is None:
        per_char = 0.58 if face.startswith("bold") else 0.5
        return len(text) * per_char * size_pt * 25.4 / 72
    units = sum(metrics.advances.get(ord(ch), metrics.fallback) for ch in text)
    return units / metrics.units_per_em * size_pt * 25.4 / 72

"""Effective formatting in a WordprocessingML document, read from the raw XML.

python-docx answers what is set directly on a run or a style; a layout check
needs what Word shows, so properties are resolved through the layers Word
applies, lowest first: document defaults (w:docDefaults), the paragraph style
and its w:basedOn chain, the character style and its chain, then the run's
own w:rPr. Theme fonts (w:asciiTheme, w:hAnsiTheme) are looked up in the
theme part. Table-style and numbering formatting are not applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Final

from lxml import etree

W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A: Final = "http://schemas.openxmlformats.org/drawingml/2006/main"
R: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_STYLE_DEPTH: Final = 20
DEFAULT_SIZE_PT: Final = 10.0  # Word's size when nothing sets one


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def attr(el: etree._Element | None, name: str) -> str | None:
    if el is None:
        return None
    value = el.get(w(name))
    return None if value is None else str(value)


def on(el: etree._Element | None) -> bool | None:
    """A toggle property (w:b, w:i, w:caps): None when absent."""
    if el is None:
        return None
    return attr(el, "val") not in ("0", "false", "off", "none")


def twips(el: etree._Element | None, name: str) -> int | None:
    value = attr(el, name)
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class RunProps:
    ascii: str | None = None
    h_ansi: str | None = None
    size: float = DEFAULT_SIZE_PT
    bold: bool = False
    italic: bool = False
    caps: bool = False
    color: str | None = None


@dataclass(frozen=True)
class ParaProps:
    jc: str | None = None
    first_line: int | None = None  # twips; negative for a hanging indent
    before: int = 0  # twips
    after: int = 0
    line: int | None = None
    line_rule: str = "auto"
    center_tab: bool = False


@dataclass
class Run:
    text: str
    props: RunProps


@dataclass
class TextLine:
    """One visual line of a paragraph (paragraphs split at w:br / w:cr)."""

    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def shown(self) -> str:
        """The text as displayed: w:caps makes it upper case."""
        return "".join(r.text.upper() if r.props.caps else r.text for r in self.runs)

    @property
    def inked(self) -> list[Run]:
        """Runs that print something."""
        return [r for r in self.runs if r.text.strip()]


class Styles:
    def __init__(self, styles: etree._Element | None, theme: etree._Element | None) -> None:
        self._by_id: dict[str, etree._Element] = {}
        self._default: dict[str, str] = {}
        self._run_defaults = RunProps()
        self._para_defaults = ParaProps()
        self._theme = _theme_fonts(theme)
        self._run_cache: dict[tuple[str | None, str | None], RunProps] = {}
        self._para_cache: dict[str | None, ParaProps] = {}
        if styles is None:
            return
        for style in styles.iter(w("style")):
            style_id = attr(style, "styleId")
            if style_id is None:
                continue
            self._by_id.setdefault(style_id, style)
            kind = attr(style, "type") or "paragraph"
            if attr(style, "default") in ("1", "true", "on"):
                self._default.setdefault(kind, style_id)
        defaults = styles.find(w("docDefaults"))
        if defaults is not None:
            self._run_defaults = self._apply_run(
                RunProps(), defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
            )
            self._para_defaults = _apply_para(
                ParaProps(), defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
            )

    # ------------------------------------------------------------ styles

    def _chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and its bases, base first; cycles and depth bounded."""
        chain: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(chain) < MAX_STYLE_DEPTH:
            seen.add(style_id)
            style = self._by_id.get(style_id)
            if style is None:
                break
            chain.append(style)
            style_id = attr(style.find(w("basedOn")), "val")
        chain.reverse()
        return chain

    def paragraph_style(self, p: etree._Element) -> str | None:
        return attr(p.find(f"{w('pPr')}/{w('pStyle')}"), "val") or self._default.get("paragraph")

    # ------------------------------------------------------------ runs

    def _apply_run(self, props: RunProps, rpr: etree._Element | None) -> RunProps:
        if rpr is None:
            return props
        changes: dict[str, object] = {}
        fonts = rpr.find(w("rFonts"))
        if fonts is not None:
            for slot, plain, themed in (
                ("ascii", "ascii", "asciiTheme"),
                ("h_ansi", "hAnsi", "hAnsiTheme"),
            ):
                theme_name = attr(fonts, themed)
                if theme_name is not None and theme_name in self._theme:
                    changes[slot] = self._theme[theme_name]
                elif attr(fonts, plain) is not None:
                    changes[slot] = attr(fonts, plain)
        size = twips(rpr.find(w("sz")), "val")
        if size is not None and size > 0:
            changes["size"] = size / 2
        for slot, tag in (("bold", "b"), ("italic", "i"), ("caps", "caps")):
            value = on(rpr.find(w(tag)))
            if value is not None:
                changes[slot] = value
        color = attr(rpr.find(w("color")), "val")
        if color is not None:
            changes["color"] = color
        return replace(props, **changes) if changes else props  # type: ignore[arg-type]

    def run_props(self, p_style: str | None, r: etree._Element) -> RunProps:
        c_style = attr(r.find(f"{w('rPr')}/{w('rStyle')}"), "val")
        key = (p_style, c_style)
        base = self._run_cache.get(key)
        if base is None:
            base = self._run_defaults
            for style in self._chain(p_style):
                base = self._apply_run(base, style.find(w("rPr")))
            for style in self._chain(c_style):
                base = self._apply_run(base, style.find(w("rPr")))
            self._run_cache[key] = base
        return self._apply_run(base, r.find(w("rPr")))

    # ------------------------------------------------------------ paragraphs

    def para_props(self, p: etree._Element) -> ParaProps:
        p_style = self.paragraph_style(p)
        base = self._para_cache.get(p_style)
        if base is None:
            base = self._para_defaults
            for style in self._chain(p_style):
                base = _apply_para(base, style.find(w("pPr")))
            self._para_cache[p_style] = base
        return _apply_para(base, p.find(w("pPr")))


def _apply_para(props: ParaProps, ppr: etree._Element | None) -> ParaProps:
    if ppr is None:
        return props
    changes: dict[str, object] = {}
    jc = attr(ppr.find(w("jc")), "val")
    if jc is not None:
        changes["jc"] = jc
    ind = ppr.find(w("ind"))
    if ind is not None:
        hanging = twips(ind, "hanging")
        first = twips(ind, "firstLine")
        if hanging is not None and hanging > 0:
            changes["first_line"] = -hanging
        elif first is not None:
            changes["first_line"] = first
    spacing = ppr.find(w("spacing"))
    if spacing is not None:
        for slot in ("before", "after"):
            auto = on_attr(spacing, f"{slot}Autospacing")
            value = twips(spacing, slot)
            if auto:
                changes[slot] = 280  # Word's automatic spacing: 14 pt
            elif value is not None:
                changes[slot] = max(value, 0)
        line = twips(spacing, "line")
        if line is not None:
            changes["line"] = line
            changes["line_rule"] = attr(spacing, "lineRule") or "auto"
    tabs = ppr.find(w("tabs"))
    if tabs is not None:
        changes["center_tab"] = any(attr(t, "val") == "center" for t in tabs.iter(w("tab")))
    return replace(props, **changes) if changes else props  # type: ignore[arg-type]


def on_attr(el: etree._Element, name: str) -> bool:
    return attr(el, name) in ("1", "true", "on")


def _theme_fonts(theme: etree._Element | None) -> dict[str, str]:
    if theme is None:
        return {}
    fonts: dict[str, str] = {}
    for scheme, prefix in (("majorFont", "major"), ("minorFont", "minor")):
        latin = theme.find(f".//{{{A}}}{scheme}/{{{A}}}latin")
        face = latin.get("typeface") if latin is not None else None
        if face:
            for suffix in ("HAnsi", "Ascii"):
                fonts[f"{prefix}{suffix}"] = str(face)
    return fonts


# ---------------------------------------------------------------- text

# Containers whose runs belong to the paragraph they sit in.
_RUN_CONTAINERS: Final = frozenset(
    w(t)
    for t in (
        "hyperlink",
        "fldSimple",
        "ins",
        "smartTag",
        "customXml",
        "sdt",
        "sdtContent",
        "moveTo",
        "bdo",
        "dir",
    )
)


def runs_of(p: etree._Element) -> Iterator[etree._Element]:
    """The paragraph's runs in order, deleted text left out."""
    stack = [iter(p)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.tag == w("r"):
            yield child
        elif child.tag in _RUN_CONTAINERS:
            stack.append(iter(child))


def lines_of(p: etree._Element, styles: Styles) -> list[TextLine]:
    """The paragraph's text split into lines at breaks, each run with its formatting."""
    p_style = styles.paragraph_style(p)
    lines = [TextLine()]
    for r in runs_of(p):
        props = styles.run_props(p_style, r)
        for child in r:
            tag = child.tag
            if tag == w("t"):
                lines[-1].runs.append(Run(child.text or "", props))
            elif tag == w("tab"):
                lines[-1].runs.append(Run("\t", props))
            elif tag in (w("br"), w("cr")):
                lines.append(TextLine())
            elif tag == w("noBreakHyphen"):
                lines[-1].runs.append(Run("-", props))
    return lines


def field_codes(p: etree._Element) -> list[str]:
    """Field instructions in the paragraph: w:fldSimple and complex fields."""
    codes = [str(f.get(w("instr")) or "") for f in p.iter(w("fldSimple"))]
    current: list[str] = []
    for el in p.iter(w("fldChar"), w("instrText")):
        if el.tag == w("instrText"):
            current.append(el.text or "")
        elif attr(el, "fldCharType") == "begin":
            current = []
        elif attr(el, "fldCharType") in ("separate", "end") and current:
            codes.append("".join(current))
            current = []
    return codes


def is_page_field(code: str) -> bool:
    words = code.split()
    return bool(words) and words[0].upper() == "PAGE"

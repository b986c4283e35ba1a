"""Faster stand-ins for WeasyPrint hot spots, byte for byte the same output.

``draw_first_line`` (``weasyprint.draw.text``) writes each line of text to the
PDF: for every glyph it reads Pango's glyph record through cffi, one field at
a time (four or five small cdata objects per glyph), which made it the largest
single cost of drawing a page. The version here reads a run's glyph records
in one go (``struct.iter_unpack`` over the C array) and otherwise does exactly
what WeasyPrint's does, in the same order, with the same arithmetic, so the
content streams, fonts and widths come out identical (checked by rendering
every catalogue example with and without it: the PDFs are the same bytes).

It is installed only over the exact function it was written from: the source
of WeasyPrint's function is hashed and compared with the version known here,
and anything unexpected (another WeasyPrint, another Pango glyph layout)
leaves WeasyPrint untouched. Lines it does not handle — ``text-overflow:
ellipsis``, ``block-ellipsis``, colour (emoji) fonts — go to WeasyPrint's own.
"""

from __future__ import annotations

import hashlib
import inspect
import struct
import threading
from typing import Any

# sha256 (first 16 hex digits) of inspect.getsource() of the functions replaced or
# inlined here, as in WeasyPrint 70.0.
_KNOWN_SOURCES = {
    "weasyprint.draw.text.draw_first_line": "1bb8eae6d88e71b1",
    "weasyprint.layout.percent.resolve_percentages": "71673078096fcf87",
    "weasyprint.layout.percent.resolve_one_percentage": "4cfaa9ad134e4f7b",
    "weasyprint.layout.percent.percentage": "ebe404ccd9da50bf",
}
_GLYPH = struct.Struct("=IiiiI")  # PangoGlyphInfo: glyph, geometry (width, x, y), attr

_installed = False
_lock = threading.Lock()


def install() -> bool:
    """Put the faster functions in place, once per process; whether they are."""
    global _installed  # noqa: PLW0603 - once per process, by design
    with _lock:
        if not _installed:
            try:
                _installed = _install()
            except (ImportError, AttributeError, OSError, TypeError):
                _installed = False
        return _installed


def _unchanged(function: Any) -> bool:
    """``function`` is the very code the stand-in was written from."""
    name = f"{function.__module__}.{function.__qualname__}"
    source = inspect.getsource(function).encode()
    return _KNOWN_SOURCES.get(name) == hashlib.sha256(source).hexdigest()[:16]


def _install() -> bool:
    import sys  # noqa: PLC0415

    from weasyprint.draw import text  # noqa: PLC0415 - WeasyPrint is the engine's to load
    from weasyprint.layout import percent  # noqa: PLC0415
    from weasyprint.text.ffi import ffi  # noqa: PLC0415

    if getattr(text.draw_first_line, "_vanthu_fast", False):
        return True
    originals = (
        text.draw_first_line,
        percent.resolve_percentages,
        percent.resolve_one_percentage,
        percent.percentage,
    )
    if not all(_unchanged(f) for f in originals):
        return False
    if (
        ffi.sizeof("PangoGlyphInfo") != _GLYPH.size
        or ffi.offsetof("PangoGlyphInfo", "geometry") != 4
        or ffi.offsetof("PangoGlyphInfo", "attr") != 16
        or ffi.sizeof("gint") != 4
    ):
        return False
    text.draw_first_line = _make_fast(text.draw_first_line)
    # Every layout module imported the function by name: replace each reference.
    original, fast = percent.resolve_percentages, _make_resolve_percentages(percent)
    for name, module in list(sys.modules.items()):
        if (
            name.startswith("weasyprint.")
            and getattr(module, "resolve_percentages", None) is original
        ):
            setattr(module, "resolve_percentages", fast)  # noqa: B010 - a module's global
    return True


def _make_resolve_percentages(percent: Any) -> Any:  # noqa: PLR0915 - WeasyPrint's shape
    """``resolve_percentages`` with ``resolve_one_percentage`` and ``percentage`` inlined.

    The same values set in the same order: only the two calls per property go.
    """
    from weasyprint.formatting_structure.boxes import Box, PageBox  # noqa: PLC0415

    percentage = percent.percentage
    adjust_box_sizing = percent.adjust_box_sizing
    check_math = percent.check_math
    inf = percent.inf

    def resolve(box: Any, style: Any, name: str, refer_to: Any) -> None:
        value = style[name]
        if value is None or value == "auto":
            result = value
        else:
            unit = getattr(value, "unit", None)
            if unit is None:
                result = percentage(value, style, refer_to)
            elif unit == "%":
                result = refer_to * value.value / 100
            else:  # px
                result = value.value
        setattr(box, name, result)
        if result == "auto" and name in ("min_width", "min_height"):
            setattr(box, name, 0)

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        """Set used values as attributes of the box object."""
        if isinstance(containing_block, Box):
            cb_width = containing_block.width
            cb_height = containing_block.height
        else:
            cb_width, cb_height = containing_block
        maybe_height = cb_height if isinstance(box, PageBox) else cb_width
        style = box.style
        resolve(box, style, "margin_left", cb_width)
        resolve(box, style, "margin_right", cb_width)
        resolve(box, style, "margin_top", maybe_height)
        resolve(box, style, "margin_bottom", maybe_height)
        resolve(box, style, "padding_left", cb_width)
        resolve(box, style, "padding_right", cb_width)
        resolve(box, style, "padding_top", maybe_height)
        resolve(box, style, "padding_bottom", maybe_height)
        resolve(box, style, "width", cb_width)
        resolve(box, style, "min_width", cb_width)
        resolve(box, style, "max_width", cb_width)

        if cb_height == "auto":
            height = style["height"]
            if height == "auto" or check_math(height) or height.unit == "%":
                box.height = "auto"
            else:
                assert height.unit.lower() == "px"
                box.height = height.value
            resolve(box, style, "min_height", 0)
            resolve(box, style, "max_height", inf)
        else:
            resolve(box, style, "height", cb_height)
            resolve(box, style, "min_height", cb_height)
            resolve(box, style, "max_height", cb_height)

        collapse = style["border_collapse"] == "collapse"
        for prop in _BORDER_WIDTHS:
            if not (collapse and hasattr(box, prop)):
                setattr(box, prop, style[prop])

        adjust_box_sizing(box, "width")
        adjust_box_sizing(box, "height")

    resolve_percentages.__doc__ = percent.resolve_percentages.__doc__
    return resolve_percentages


_BORDER_WIDTHS = tuple(f"border_{side}_width" for side in ("top", "right", "bottom", "left"))


def _make_fast(original: Any) -> Any:  # noqa: PLR0915 - WeasyPrint's shape
    from weasyprint.logger import LOGGER  # noqa: PLC0415
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango  # noqa: PLC0415

    glyph_empty = pango.PANGO_GLYPH_EMPTY
    unknown_flag = pango.PANGO_GLYPH_UNKNOWN_FLAG
    null = ffi.NULL
    old_pango = pango.pango_version() < 14802
    iter_unpack = _GLYPH.iter_unpack

    def draw_first_line(  # noqa: PLR0912, PLR0915 - WeasyPrint's, line for line
        stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any
    ) -> Any:
        if text_overflow == "ellipsis" or block_ellipsis != "none":
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        # Don't draw lines with only invisible characters.
        if not textbox.text.strip():
            return []
        if textbox.style["font_size"] < 1e-6:  # default float precision used by pydyf
            return []

        pango_layout = textbox.pango_layout
        pango.pango_layout_set_single_paragraph_mode(pango_layout.layout, True)
        first_line, _ = pango_layout.get_first_line()

        # The runs, and the font of each change of font, registered in the order
        # WeasyPrint's loop registers them (``add_font`` makes each font once).
        runs: list[tuple[Any, Any, Any, Any]] = []
        previous_pango_font = None
        font: Any = None
        font_size: Any = None
        run = first_line.runs[0]
        while run != null:
            glyph_item = run.data
            run = run.next
            pango_font = glyph_item.item.analysis.font
            if pango_font != previous_pango_font:
                previous_pango_font = pango_font
                font, font_size = stream.add_font(pango_font)
                if font.png or font.svg or font.colr:
                    # Colour glyphs are drawn as images: WeasyPrint's own code does that.
                    return original(stream, textbox, text_overflow, block_ellipsis, matrix)
                runs.append((glyph_item, pango_font, font, font_size))
            else:
                runs.append((glyph_item, pango_font, None, None))

        stream.set_text_matrix(*matrix.values)
        string = ""
        for glyph_item, pango_font, new_font, new_size in runs:
            glyph_string = glyph_item.glyphs
            num_glyphs = glyph_string.num_glyphs
            clusters = glyph_string.log_clusters
            utf8_text = None

            if new_font is not None:
                font, font_size = new_font, new_size
                if old_pango or font.png:
                    font_size = textbox.style["font_size"]
                if string:
                    stream.show_text(string)
                string = ""
                stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
            widths = font.widths
            to_unicode = font.to_unicode
            bitmap = font.bitmap
            # What a plain glyph (no rise, not empty, not missing) adds to the TJ
            # string depends on the font, the size, the glyph, its advance and its
            # x offset only, once the glyph's width and text are known: kept per font.
            fragments = font.__dict__.setdefault("_vanthu_fragments", {})
            string += "<"
            records = bytes(ffi.buffer(glyph_string.glyphs, num_glyphs * _GLYPH.size))
            for i, (glyph_id, width, x_offset, y_offset, _attr) in enumerate(iter_unpack(records)):
                if not y_offset:
                    fragment = fragments.get((font_size, glyph_id, width, x_offset))
                    if fragment is not None:
                        string += fragment
                        continue

                # Display zero-width empty glyph.
                if glyph_id == glyph_empty:
                    string += f">{-width / font_size}<"
                    continue

                # Display .notdef and log warning for missing glyphs.
                plain = True
                if glyph_id & unknown_flag:
                    plain = False
                    codepoint = glyph_id - unknown_flag
                    LOGGER.warning(
                        ".notdef glyph rendered for Unicode string unsupported by fonts: "
                        '"%s" (U+%04X)',
                        chr(codepoint),
                        codepoint,
                    )
                    glyph_id = font.get_unused_glyph_id(codepoint)  # noqa: PLW2901
                    widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                    if 0 not in widths:
                        widths[0] = widths[glyph_id]

                # Create mapping between glyphs and Unicode codepoints.
                if glyph_id not in to_unicode:
                    item = glyph_item.item
                    offset = item.offset
                    t1 = clusters[i]
                    if item.analysis.level % 2:  # rtl
                        t2 = item.length if i == 0 else clusters[i - 1]
                    else:
                        t2 = item.length if i == num_glyphs - 1 else clusters[i + 1]
                    utf8_text = utf8_text or pango_layout.text.encode()
                    to_unicode[glyph_id] = utf8_text[offset + t1 : offset + t2].decode()

                # Set horizontal and vertical offsets.
                offset = x_offset / font_size
                rise = y_offset / 1000
                if rise:
                    plain = False
                    if string[-1] == "<":
                        string = string[:-1]
                    else:
                        string += ">"
                    if string:
                        stream.show_text(string)
                    stream.set_text_rise(-rise)
                    string = ""
                    if offset:
                        string = f"{-offset}"
                    string += f"<{glyph_id:02x}>" if bitmap else f"<{glyph_id:04x}>"
                    stream.show_text(string)
                    stream.set_text_rise(0)
                    string = "<"
                    fragment = ""
                else:
                    fragment = f">{-offset}<" if offset else ""
                    fragment += f"{glyph_id:02x}" if bitmap else f"{glyph_id:04x}"

                # Get glyph logical widths.
                if glyph_id in widths:
                    logical_width = widths[glyph_id]
                else:
                    pango.pango_font_get_glyph_extents(
                        pango_font, glyph_id, stream.ink_rect, stream.logical_rect
                    )
                    logical_width = widths[glyph_id] = round(
                        stream.logical_rect.width * 1000 * FROM_UNITS / font_size
                    )

                # Set kerning, word spacing, letter spacing.
                kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
                if kerning:
                    fragment += f">{int(kerning)}<"
                string += fragment
                if plain:
                    fragments[font_size, glyph_id, width, x_offset] = fragment

            # Close the last glyphs list, remove if empty.
            if string[-1] == "<":
                string = string[:-1]
            else:
                string += ">"

        # Draw text.
        stream.show_text(string)
        return []

    draw_first_line._vanthu_fast = True  # type: ignore[attr-defined]
    draw_first_line.__doc__ = original.__doc__
    return draw_first_line

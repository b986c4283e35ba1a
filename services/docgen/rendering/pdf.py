"""PDF rendering: HTML/CSS templates, a sandboxed Jinja, WeasyPrint.

WeasyPrint is imported by the engine's constructor, never at module import:
the web app may import this module before gunicorn forks, and WeasyPrint's
native state (Pango, fontconfig) must be created in the process that renders.

Per process, once: the four Liberation Serif faces reduced to Vietnamese (see
``fonts``), one ``FontConfiguration`` holding them, every stylesheet parsed.
Per document: render the Jinja template, lay out, write. Renders are
serialised by a lock: the font configuration and WeasyPrint's caches are not
meant for threads (render in processes to use more cores).
"""

from __future__ import annotations

import ctypes.util
import gc
import re
import threading
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from services.docgen.rendering import layout
from services.docgen.rendering.assets import Asset, AssetResolver, weasyprint_fetcher
from services.docgen.rendering.fonts import FAMILY, reduced_fonts

TEMPLATE_NAME = "document.html"
TIMES = "Times New Roman"  # what the stylesheets ask for first
PDFA_VARIANT = "pdf/a-2b"

# The reduced faces go by a family of their own: declared as "Liberation Serif"
# they would tie with the system's full faces and lose (fontconfig keeps system
# fonts first), and declared as "Times New Roman" the PDF would call them Times.
SUBSET_FAMILY = f"{FAMILY} Vietnamese"
_FACES = {
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bold-italic": ("bold", "italic"),
}
# Asked for Times New Roman, or Liberation Serif, fontconfig offers the reduced
# faces next: after a real Times New Roman where one is installed, before the
# system's full Liberation Serif (which still serves characters they lack).
_PREFER_SUBSET = f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <match target="pattern">
    <test name="family"><string>{TIMES}</string></test>
    <edit name="family" mode="append" binding="strong"><string>{SUBSET_FAMILY}</string></edit>
  </match>
  <match target="pattern">
    <test name="family"><string>{FAMILY}</string></test>
    <edit name="family" mode="prepend" binding="strong"><string>{SUBSET_FAMILY}</string></edit>
  </match>
</fontconfig>
""".encode()


def template_environment(templates_root: Path) -> ImmutableSandboxedEnvironment:
    """Jinja for the HTML templates: sandboxed, autoescaping, strict about names."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(templates_root),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The page grid, for templates that size columns (`layout.OVERDUE_COLUMNS`).
    env.globals["layout"] = {k: getattr(layout, k) for k in dir(layout) if k.isupper()}
    return env


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (as it was after).

    A layout allocates hundreds of thousands of objects (boxes, styles, text
    fragments) that mostly live until the end of the render: each automatic
    collection on the way walks them all again, and they made a quarter of the
    time of a 5-page table. Whatever cyclic garbage the render leaves is
    collected by the next automatic collection after it, once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class PdfEngine:
    """Renders ``<templates>/<files>/document.html`` to PDF; one instance per process."""

    def __init__(self, templates_root: Path, *, font_cache_dir: Path | None = None) -> None:
        import weasyprint  # noqa: PLC0415 - see the module docstring
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

        self._weasyprint = weasyprint
        self._root = templates_root
        self._env = template_environment(templates_root)
        fonts = reduced_fonts(font_cache_dir)
        assets: dict[str, Asset] = {}
        faces = []
        for face, path in fonts.paths.items():
            url = AssetResolver.url(f"fonts/{path.name}")
            assets[url] = Asset(path.read_bytes(), "font/ttf")
            weight, style = _FACES[face]
            faces.append(
                f'@font-face {{ font-family: "{SUBSET_FAMILY}"; src: url("{url}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
        self.resolver = AssetResolver(assets)
        self._fetcher = weasyprint_fetcher(self.resolver)
        self._font_config = FontConfiguration()
        self._font_css = self._css("\n".join(faces))
        self.prefers_subset = _prefer_subset()
        self._html = _html_class(weasyprint, templates_root)
        self._stylesheets: dict[str, list[Any]] = {}
        self._lock = threading.RLock()

    def _css(self, text: str) -> Any:
        return self._weasyprint.CSS(
            string=text, font_config=self._font_config, url_fetcher=self._fetcher
        )

    def stylesheets(self, files: str) -> list[Any]:
        """The fonts, the shared sheets the version folder names, its own, the template's.

        A version folder lists shared stylesheets (``templates/shared/<name>.css``) one
        name a line in ``shared.txt``, so form families laid out alike share one sheet.
        """
        with self._lock:
            sheets = self._stylesheets.get(files)
            if sheets is None:
                folder = self._root / files
                listing = folder.parent / "shared.txt"
                names = listing.read_text("utf-8").split() if listing.exists() else []
                paths = [self._root / "shared" / f"{name}.css" for name in names]
                paths += sorted(folder.parent.glob("*.css")) + sorted(folder.glob("*.css"))
                sheets = [self._font_css] + [self._css(p.read_text("utf-8")) for p in paths]
                self._stylesheets[files] = sheets
            return sheets

    def render_html(self, files: str, context: dict[str, Any]) -> str:
        return self._env.get_template(f"{files}/{TEMPLATE_NAME}").render(context)

    def render(self, files: str, context: dict[str, Any], *, pdfa: bool = False) -> bytes:
        return self.html_to_pdf(self.render_html(files, context), files, pdfa=pdfa)

    def html_to_pdf(self, html: str, files: str, *, pdfa: bool = False) -> bytes:
        """Lay out ``html`` with the stylesheets of the template folder ``files``."""
        options: dict[str, Any] = {"pdf_identifier": True}
        if pdfa:
            options["pdf_variant"] = PDFA_VARIANT
        with self._lock, warnings.catch_warnings(), gc_paused():
            # WeasyPrint opens its sRGB profile for PDF/A and leaves the file to the
            # garbage collector (the bytes are read; only the warning is left over).
            warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
            document = self._html(string=html, url_fetcher=self._fetcher)
            pdf: bytes = document.write_pdf(
                stylesheets=self.stylesheets(files),
                font_config=self._font_config,
                finisher=compress_streams_once,
                **options,
            )
        return pdf


# ------------------------------------------------------------ writing the PDF

COMPRESSION_LEVEL = 9  # pydyf's own


def compress_streams_once(document: Any, pdf: Any) -> None:
    """A WeasyPrint ``finisher``: deflate each stream of the PDF now, once.

    pydyf deflates a stream (at level 9) each time its bytes are asked for, and
    with ``pdf_identifier`` they are asked for twice: to write the object, then
    again for the MD5 of the file identifier, so every page's content and every
    font were compressed twice. Here each stream's data is replaced by its
    deflated bytes with the ``/FlateDecode`` filter stated and ``compress`` off:
    pydyf then writes exactly what it would have written (same bytes, same
    dictionary order), without compressing anything again. Streams pydyf makes
    while writing (the object stream, the cross-reference stream) are left to it.
    """
    to_bytes = getattr(_pydyf(), "_to_bytes", None)
    if to_bytes is None:  # another pydyf: leave the streams to it
        return
    stream_class = _pydyf().Stream
    for item in pdf.objects:
        if not isinstance(item, stream_class) or not item.compress or item.free == "f":
            continue
        raw = b"\n".join(to_bytes(part) for part in item.stream)
        deflate = zlib.compressobj(level=COMPRESSION_LEVEL)
        item.stream = [deflate.compress(raw) + deflate.flush()]
        item.extra = dict(item.extra)  # pydyf copies it too: the caller's stays untouched
        item.extra["Filter"] = "/FlateDecode"
        item.compress = False


@cache
def _pydyf() -> Any:
    import pydyf  # noqa: PLC0415 - WeasyPrint's own dependency, loaded with it

    return pydyf


# ------------------------------------------------- the user-agent stylesheet

# Elements the HTML parser adds where the markup leaves them out.
_IMPLIED = frozenset({"html", "head", "body", "tbody", "colgroup"})
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
# A type selector: a name not inside [...] (removed first), not a pseudo-class or
# function (:is, ::marker), not part of a class, id or longer name.
_TYPE = re.compile(r"(?<![-\w.#:])([a-z][a-z0-9]*)(?![-\w(])")
_PSEUDO = re.compile(r"::?[-\w]+")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")


def template_tags(templates_root: Path) -> frozenset[str]:
    """Every element name the HTML templates can produce (the values are autoescaped)."""
    tags = set(_IMPLIED)
    for path in templates_root.rglob("*.html"):
        tags.update(t.lower() for t in _TAG.findall(path.read_text("utf-8")))
    return frozenset(tags)


def reduced_ua_css(source: str, tags: frozenset[str]) -> str:
    """WeasyPrint's HTML user-agent stylesheet without the selectors no template can match.

    Every element is matched against every stylesheet of the cascade, so the
    ~250 rules for lists, forms, headings … cost in each document. A selector
    naming an element the templates never produce cannot match and is left
    out; a selector naming none (``[hidden]``, ``::marker``) is kept, and so is
    every rule with a selector list inside ``:is()`` that names a produced one.
    What is kept is the same rules in the same order: the cascade is unchanged.
    The ``@counter-style`` rules are left out: WeasyPrint keeps them apart.
    """
    import tinycss2  # noqa: PLC0415 - WeasyPrint's own dependency

    kept = []
    for rule in tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "counter-style":
            continue  # already in WeasyPrint's UA_COUNTER_STYLE, which every document copies
        if rule.type != "qualified-rule":
            kept.append(rule.serialize())
            continue
        prelude = tinycss2.serialize(rule.prelude)
        if "(" in prelude:
            names = set(_TYPE.findall(_PSEUDO.sub("", _ATTRIBUTE.sub("", prelude))))
            if not names or names & tags:
                kept.append(rule.serialize())
            continue
        selectors = [
            selector.strip()
            for selector in prelude.split(",")
            if set(_TYPE.findall(_PSEUDO.sub("", _ATTRIBUTE.sub("", selector)))) <= tags
        ]
        if selectors:
            kept.append(f"{', '.join(selectors)} {{{tinycss2.serialize(rule.content)}}}")
    return "\n".join(kept)


def _html_class(weasyprint: Any, templates_root: Path) -> Any:
    """``weasyprint.HTML`` with the user-agent stylesheet cut down to the templates' elements.

    Falls back to WeasyPrint's own class (the full stylesheet) should anything
    here not be as expected.
    """
    try:
        from weasyprint.html import UA_FORM_STYLESHEET  # noqa: PLC0415 - see the module docstring

        source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text("utf-8")
        sheet = weasyprint.CSS(string=reduced_ua_css(source, template_tags(templates_root)))
    except (ImportError, OSError, ValueError):
        return weasyprint.HTML

    class HTML(weasyprint.HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet, UA_FORM_STYLESHEET] if forms else [sheet]

    return HTML


_rules_loaded = False
_rules_lock = threading.Lock()


def _prefer_subset() -> bool:
    """Load the substitution rules above into fontconfig, once per process.

    Pango's FreeType font map substitutes font patterns with fontconfig's
    *current* configuration, not the one WeasyPrint builds per
    FontConfiguration, so that is where the rules go (a process-wide change:
    they name a family only our FontConfiguration has, meaningless to any
    other user). Should this fail, rendering stays correct, on the system's
    full faces, only slower.
    """
    global _rules_loaded  # noqa: PLW0603 - once per process, by design
    with _rules_lock:
        if not _rules_loaded:
            try:
                from cffi import FFI  # noqa: PLC0415 - WeasyPrint's own dependency

                ffi = FFI()
                ffi.cdef(
                    "typedef struct _FcConfig FcConfig;"
                    "FcConfig *FcConfigGetCurrent (void);"
                    "int FcConfigParseAndLoadFromMemory "
                    "(FcConfig *config, const unsigned char *buffer, int complain);"
                )
                # The library WeasyPrint already loaded: same process, same configuration.
                name = "libfontconfig.so.1"
                lib: Any = ffi.dlopen(ctypes.util.find_library("fontconfig") or name)
                config = lib.FcConfigGetCurrent()
                if config != ffi.NULL:
                    _rules_loaded = bool(
                        lib.FcConfigParseAndLoadFromMemory(config, _PREFER_SUBSET, 1)
                    )
            except (ImportError, OSError, AttributeError):
                _rules_loaded = False
        return _rules_loaded

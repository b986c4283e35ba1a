"""Rendering documents: vanthu's ``Renderer`` against docxtpl, WeasyPrint and LibreOffice.

Two documents, each rendered N times (``--docgen-n``) by a warmed ``Renderer``
(its font cache in a temporary folder): a 2-page công văn (``cong-van``, its
paragraphs repeated until the PDF has 2 full pages) and a ~5-page form (the
``kind: form`` template whose example makes the most pages, among those with
both ``document.docx`` and ``document.html``, its table rows repeated until
the PDF has 5 full pages; without one, a công văn made 5 pages long, and the
output says FALLBACK). The page counts are read back from the PDFs.

docx      ``Renderer.render(id, data, "docx")`` (validation, context, docxtpl on
          the cached template) against docxtpl used plainly: ``DocxTemplate(path)``
          read afresh, ``render(context)`` with the same context (validated with
          the model, ``build_context``), saved to a BytesIO. The plain run gets a
          bare jinja2 Environment holding only the ``twips`` filter the templates use.
pdf       ``Renderer.render(id, data, "pdf")`` against WeasyPrint with default
          options and the system fonts, in a spawned process of its own (free of
          the fontconfig rules our engine loads): the same HTML
          (``PdfEngine.render_html``), the same CSS files,
          ``HTML(string=...).write_pdf(stylesheets=[...])``.
soffice   where ``soffice`` is on PATH: N copies of the rendered DOCX converted by
          one ``soffice --headless --convert-to pdf`` batch (after one warm-up
          conversion, with a throwaway profile); per document = batch time ÷ N.
scaling   the 2-page PDF workload, 2N documents, in one worker process against
          two (N each), started with 'spawn', each making and warming its own
          Renderer before a common start signal; throughput two ÷ one, with the
          load average.

Every loop is bounded by its count and by ``--docgen-seconds``; temporary
folders and the processes started here are removed and stopped afterwards.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import multiprocessing
import os
import queue
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import (
    PROJECT_ROOT,
    Deadline,
    UnavailableError,
    fmt_ms,
    fmt_ratio,
    percentile,
    print_table,
    rate,
    ratio,
    temp_dir,
)
from services.docgen.catalogue import Template, default_catalogue
from services.docgen.rendering import Renderer, build_context
from services.docgen.rendering.layout import twips

SHORT_ID = "cong-van"
SHORT_PAGES = 2
LONG_PAGES = 5
WARMUP = 3
MAX_GROW = 60  # renders spent at most finding a body of the wanted length
SOFFICE_TIMEOUT = 600.0
WORKER_START_TIMEOUT = 120.0
DERIVED = frozenset({"total", "totals"})  # form fields checked against the rows, if stated


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("docgen")
    group.add_argument(
        "--docgen-n",
        type=int,
        default=30,
        help="renders of each document per measurement, and copies in the soffice batch (30)",
    )
    group.add_argument(
        "--docgen-seconds",
        type=float,
        default=120.0,
        help="time budget per measurement; a run past it stops and says so (120)",
    )
    group.add_argument(
        "--docgen-scaling",
        type=int,
        default=2,
        help="worker processes for the scaling measurement; below 2 skips it (2)",
    )


# ---------------------------------------------------------------- documents --


def page_count(pdf: bytes) -> int:
    """Pages of a PDF, with pdfplumber (a dev dependency) or poppler's pdfinfo."""
    try:
        import pdfplumber  # noqa: PLC0415 - optional, only to count

        with pdfplumber.open(io.BytesIO(pdf)) as document:
            return len(document.pages)
    except ImportError:
        pass
    tool = shutil.which("pdfinfo")
    if tool is None:
        return 0
    done = subprocess.run([tool, "-"], input=pdf, capture_output=True, timeout=60, check=False)
    for line in done.stdout.decode(errors="replace").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


@dataclass
class Workload:
    label: str
    template_id: str
    files: str
    data: dict[str, Any]
    context: dict[str, Any]
    pages: int
    has_docx: bool
    note: str = ""


def _example(template: Template) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROJECT_ROOT / template.example).read_text("utf-8"))
    return data


def _pages_of(renderer: Renderer, template_id: str, data: dict[str, Any]) -> int:
    return page_count(renderer.render(template_id, data, "pdf"))


def _grow(
    renderer: Renderer,
    template_id: str,
    make: Callable[[int], dict[str, Any]],
    start: int,
    pages: int,
) -> tuple[dict[str, Any], int]:
    """The largest ``make(k)`` still of ``pages`` pages (or the nearest below), k from ``start``.

    Doubles k until the document runs past ``pages``, then bisects: about
    2·log2(k) renders, never more than MAX_GROW.
    """
    best, best_pages = make(start), _pages_of(renderer, template_id, make(start))
    if best_pages > pages:
        return best, best_pages
    low, high = start, None
    k, tries = start, 1
    while tries < MAX_GROW:
        k = k * 2 if high is None else (low + high) // 2
        if high is not None and k <= low:
            break
        tries += 1
        try:
            data = make(k)
            got = _pages_of(renderer, template_id, data)
        except ValueError:  # pydantic's ValidationError: the model allows no more
            high = k
            continue
        if got <= pages:
            low, best, best_pages = k, data, got
        else:
            high = k
    return best, best_pages


def _cong_van(renderer: Renderer, pages: int, label: str, note: str = "") -> Workload:
    template = renderer.catalogue.get(SHORT_ID)
    example = _example(template)
    body, last = example["paragraphs"][:-1] or example["paragraphs"], example["paragraphs"][-1:]

    def make(count: int) -> dict[str, Any]:
        return {**example, "paragraphs": [body[i % len(body)] for i in range(count)] + last}

    data, got = _grow(renderer, SHORT_ID, make, len(body), pages)
    return _workload(renderer, label, template, data, pages=got, note=note)


def _workload(
    renderer: Renderer,
    label: str,
    template: Template,
    data: dict[str, Any],
    *,
    pages: int,
    note: str,
) -> Workload:
    document = template.model.model_validate(data)
    version = template.version_on(document.issued_on)  # type: ignore[attr-defined]
    context = build_context(document)
    has_docx = (renderer.templates / version.files / "document.docx").is_file()
    return Workload(label, template.id, version.files, data, context, pages, has_docx, note)


def _longest_list(data: dict[str, Any]) -> str | None:
    """The list to repeat: table rows (a list of objects) first, then the one holding most text."""
    lists = {k: v for k, v in data.items() if isinstance(v, list) and v}
    if not lists:
        return None
    return max(
        lists,
        key=lambda k: (
            all(isinstance(row, dict) for row in lists[k]),
            len(json.dumps(lists[k], ensure_ascii=False)),
        ),
    )


def _grow_form(
    renderer: Renderer, template: Template, example: dict[str, Any], pages: int
) -> tuple[dict[str, Any], int, str]:
    """The form's example with its table rows repeated towards LONG_PAGES; data, pages, note."""
    key = _longest_list(example)
    if key is None or pages >= LONG_PAGES:
        return example, pages, f"form '{template.id}', its example"
    rows = example[key]
    # A stated total is checked against the rows: leave it to be computed.
    base = {k: v for k, v in example.items() if k not in DERIVED}

    def make(count: int) -> dict[str, Any]:
        return {**base, key: [rows[i % len(rows)] for i in range(count)]}

    data, pages = _grow(renderer, template.id, make, len(rows), LONG_PAGES)
    return data, pages, f"form '{template.id}', its '{key}' repeated to {len(data[key])}"


def _form(renderer: Renderer) -> Workload:
    """The longest complete form of the catalogue grown to ~LONG_PAGES, or a long công văn."""
    problems: list[str] = []
    candidates: list[tuple[int, Template, dict[str, Any]]] = []
    for template in renderer.catalogue:
        if template.kind != "form":
            continue
        folder = renderer.templates / template.versions[-1].files
        missing = [f for f in ("document.docx", "document.html") if not (folder / f).is_file()]
        if missing:
            problems.append(f"{template.id}: no {' or '.join(missing)}")
            continue
        try:
            example = _example(template)
            candidates.append((_pages_of(renderer, template.id, example), template, example))
        except Exception as exc:  # a template being written may not render yet
            problems.append(f"{template.id}: {type(exc).__name__}: {str(exc)[:80]}")
    # The longest first; the first grown to LONG_PAGES wins, else the longest grown.
    candidates.sort(key=lambda c: (-c[0], c[1].id))
    grown: list[tuple[int, Template, dict[str, Any], str]] = []
    for count, template, example in candidates:
        data, pages, note = _grow_form(renderer, template, example, count)
        grown.append((pages, template, data, note))
        if pages >= LONG_PAGES:
            break
    if grown:
        pages, template, example, note = max(grown, key=lambda g: g[0])
        others = [f"{g[1].id} {g[0]}" for g in grown if g[1] is not template]
        if others:
            note += f" (grown no further: {', '.join(others)} page(s))"
        if pages < LONG_PAGES:
            note += f"; SHORT: {pages} of the {LONG_PAGES} pages wanted"
        if problems:
            note += f"; left out: {'; '.join(problems)}"
        return _workload(renderer, f"{template.id} form", template, example, pages=pages, note=note)
    why = "; ".join(problems) or "the catalogue has no template of kind 'form'"
    return _cong_van(
        renderer,
        LONG_PAGES,
        f"{SHORT_ID} (long)",
        note=f"FALLBACK: no complete form template ({why}); a công văn made "
        f"{LONG_PAGES} pages long instead",
    )


# --------------------------------------------------------------- measuring --


@dataclass
class Measurement:
    wanted: int
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def per_doc(self) -> float:
        return self.seconds / self.count if self.count else float("nan")

    @property
    def complete(self) -> bool:
        return self.count == self.wanted and not self.error


def measure(call: Callable[[], object], n: int, seconds: float) -> Measurement:
    """WARMUP calls, then ``n`` timed ones (fewer if the budget runs out)."""
    deadline = Deadline(seconds)
    result = Measurement(n)
    try:
        for _ in range(WARMUP):
            call()
        started = time.perf_counter()
        for _ in range(n):
            if deadline.expired():
                break
            begun = time.perf_counter()
            call()
            result.latencies.append(time.perf_counter() - begun)
        result.seconds = time.perf_counter() - started
    except Exception as exc:  # reported as a PROBLEM line
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def _plain_docxtpl(path: Path, context: dict[str, Any]) -> Callable[[], bytes]:
    from docxtpl import DocxTemplate  # noqa: PLC0415
    from jinja2 import Environment  # noqa: PLC0415

    env = Environment(autoescape=True)
    env.filters["twips"] = lambda mm: twips(float(mm))

    def call() -> bytes:
        template = DocxTemplate(path)
        template.render(context, jinja_env=env)
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()

    return call


def _weasyprint_job(renderer: Renderer, work: Workload) -> tuple[str, str, list[str]]:
    """The HTML our engine lays out (``PdfEngine.render_html``), its base URL, its CSS files."""
    html = renderer.pdf.render_html(work.files, work.context)
    folder = renderer.templates / work.files
    css = [str(p) for p in sorted(folder.parent.glob("*.css")) + sorted(folder.glob("*.css"))]
    return html, str(folder) + os.sep, css


def _default_weasyprint(job: tuple[str, str, list[str], int, float], results: Any) -> None:
    """In a process of its own, free of our fontconfig rules: default WeasyPrint, timed."""
    html, base, css, n, seconds = job
    try:
        import weasyprint  # noqa: PLC0415 - in the spawned process only

        def call() -> bytes:
            pdf: bytes = weasyprint.HTML(string=html, base_url=base).write_pdf(stylesheets=css)
            return pdf

        sample = call()
        m = measure(call, n, seconds)
        results.put((sample, m.latencies, m.seconds, m.error))
    except Exception as exc:  # sent back to the parent
        results.put((b"", [], 0.0, f"{type(exc).__name__}: {exc}"))


def measure_default_weasyprint(
    job: tuple[str, str, list[str]], n: int, seconds: float
) -> tuple[bytes, Measurement]:
    """``_default_weasyprint`` in a spawned process; its first PDF and its measurement."""
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    process = ctx.Process(target=_default_weasyprint, args=((*job, n, seconds), results))
    result = Measurement(n)
    sample = b""
    try:
        process.start()
        sample, result.latencies, result.seconds, result.error = results.get(
            timeout=seconds + WORKER_START_TIMEOUT
        )
    except queue.Empty:
        result.error = "the WeasyPrint process did not answer in time"
    finally:
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()
            process.join(timeout=10)
    return sample, result


def _fonts(pdf: bytes) -> str:
    try:
        import pdfplumber  # noqa: PLC0415

        with pdfplumber.open(io.BytesIO(pdf)) as document:
            names = {c["fontname"].split("+")[-1] for c in document.pages[0].chars}
        return ", ".join(sorted(names)) or "-"
    except ImportError:
        return "?"


# ---------------------------------------------------------------- soffice --


def _soffice_batch(tool: str, folder: Path, docx: bytes, n: int) -> tuple[float, int]:
    """Seconds for one warm ``soffice`` batch converting ``n`` copies; pages of one output."""
    profile = folder / "profile"
    source, out = folder / "in", folder / "out"
    source.mkdir(exist_ok=True)
    base = [
        tool,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
    ]

    def convert(files: list[Path]) -> float:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        begun = time.perf_counter()
        done = subprocess.run(
            [*base, str(out), *map(str, files)],
            capture_output=True,
            text=True,
            timeout=SOFFICE_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - begun
        made = len(list(out.glob("*.pdf")))
        if done.returncode != 0 or made != len(files):
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
            raise UnavailableError(
                f"soffice made {made} of {len(files)} PDFs (exit {done.returncode}) {tail}"
            )
        return elapsed

    files = []
    for i in range(n):
        path = source / f"doc{i:04d}.docx"
        path.write_bytes(docx)
        files.append(path)
    convert(files[:1])  # the profile, the fonts, the disk cache
    elapsed = convert(files)
    return elapsed, page_count((out / "doc0000.pdf").read_bytes())


# ---------------------------------------------------------------- scaling --


def _worker(
    job: tuple[str, dict[str, Any], str, int, float], ready: Any, go: Any, results: Any
) -> None:
    """One rendering process: its own Renderer, warmed, then ``count`` PDFs after ``go``."""
    template_id, data, font_cache, count, seconds = job
    try:
        renderer = Renderer(font_cache_dir=Path(font_cache))
        renderer.warm(("pdf",))
        for _ in range(WARMUP):
            renderer.render(template_id, data, "pdf")
        ready.put(os.getpid())
        if not go.wait(WORKER_START_TIMEOUT):
            results.put((os.getpid(), 0, 0.0, 0.0, "no start signal"))
            return
        deadline = Deadline(seconds)
        started = time.monotonic()
        done = 0
        for _ in range(count):
            if deadline.expired():
                break
            renderer.render(template_id, data, "pdf")
            done += 1
        results.put((os.getpid(), done, started, time.monotonic(), ""))
    except Exception as exc:  # sent back to the parent
        ready.put(os.getpid())
        results.put((os.getpid(), 0, 0.0, 0.0, f"{type(exc).__name__}: {exc}"))


@dataclass
class Scaling:
    workers: int
    wanted: int
    count: int = 0
    seconds: float = 0.0
    error: str = ""

    @property
    def rate(self) -> float:
        return rate(self.count, self.seconds)


def run_workers(
    work: Workload, font_cache: Path, workers: int, total: int, seconds: float
) -> Scaling:
    """``total`` PDFs shared by ``workers`` spawned processes; wall time from the common start."""
    ctx = multiprocessing.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    go = ctx.Event()
    shares = [total // workers + (i < total % workers) for i in range(workers)]
    processes = [
        ctx.Process(
            target=_worker,
            args=(
                (work.template_id, work.data, str(font_cache), share, seconds),
                ready,
                go,
                results,
            ),
            daemon=True,
        )
        for share in shares
    ]
    outcome = Scaling(workers, total)
    try:
        for process in processes:
            process.start()
        for _ in processes:
            ready.get(timeout=WORKER_START_TIMEOUT)
        go.set()
        got = [results.get(timeout=seconds + 60) for _ in processes]
        errors = [g[4] for g in got if g[4]]
        outcome.count = sum(g[1] for g in got)
        outcome.seconds = max(g[3] for g in got) - min(g[2] for g in got)
        outcome.error = "; ".join(errors)
    except queue.Empty:
        outcome.error = "a worker did not answer in time"
    finally:
        go.set()
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
    return outcome


# -------------------------------------------------------------------- main --


@dataclass
class Row:
    label: str
    runs: list[Measurement] = field(default_factory=list)

    @property
    def best(self) -> Measurement:
        done = [m for m in self.runs if m.count]
        return min(done, key=lambda m: m.per_doc) if done else self.runs[0]

    def problems(self, work: str) -> list[str]:
        return [
            f"{work}, {self.label} run {i}: {m.count} of {m.wanted} done "
            f"({m.error or 'time budget ran out'})"
            for i, m in enumerate(self.runs, 1)
            if not m.complete
        ]


@dataclass
class Report:
    tables: list[tuple[Workload, list[Row]]] = field(default_factory=list)
    ratios: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _fmt_rate(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.1f}"


def _cells(row: Row, pages: int) -> list[str]:
    m = row.best
    docs = rate(m.count, m.seconds)
    return [
        row.label,
        fmt_ms(percentile(m.latencies, 50)),
        fmt_ms(percentile(m.latencies, 95)),
        _fmt_rate(docs),
        _fmt_rate(docs * pages),
    ]


def _soffice(work: Workload, docx: bytes, n: int, repeat: int, report: Report) -> float:
    """LibreOffice's seconds per page (NaN when skipped); its line goes to the notes."""
    tool = shutil.which("soffice")
    if tool is None:
        report.notes.append(f"{work.label}: LibreOffice skipped (soffice not on PATH)")
        return float("nan")
    best, pages = float("inf"), 0
    try:
        for _ in range(repeat):
            with temp_dir("soffice") as folder:
                elapsed, pages = _soffice_batch(tool, folder, docx, n)
            best = min(best, elapsed)
    except (UnavailableError, subprocess.TimeoutExpired, OSError) as exc:
        report.problems.append(f"{work.label}: LibreOffice failed ({exc})")
        return float("nan")
    per_page = best / n / max(pages, 1)
    report.notes.append(
        f"{work.label}: LibreOffice {n} DOCX → PDF in one warm batch {best:.2f} s, "
        f"{best / n * 1000:.1f} ms per document, its PDF {pages} page(s), "
        f"{per_page * 1000:.1f} ms per page"
    )
    return per_page


def _compare(renderer: Renderer, work: Workload, args: argparse.Namespace, report: Report) -> None:
    n, seconds, repeat = args.docgen_n, args.docgen_seconds, args.repeat

    def ours_docx() -> bytes:
        return renderer.render(work.template_id, work.data, "docx")

    def ours_pdf() -> bytes:
        return renderer.render(work.template_id, work.data, "pdf")

    job = _weasyprint_job(renderer, work)
    default_pdf, our_pdf = b"", ours_pdf()
    rows = {
        k: Row(k) for k in ("docxtpl afresh", "vanthu docx", "WeasyPrint default", "vanthu pdf")
    }
    plain_docx = None
    if work.has_docx:
        plain_docx = _plain_docxtpl(renderer.templates / work.files / "document.docx", work.context)
    else:
        report.notes.append(f"{work.label}: DOCX rows skipped (the template has no document.docx)")
    for _ in range(repeat):  # baseline and vanthu alternating
        if plain_docx is not None:
            rows["docxtpl afresh"].runs.append(measure(plain_docx, n, seconds))
            rows["vanthu docx"].runs.append(measure(ours_docx, n, seconds))
        default_pdf, default = measure_default_weasyprint(job, n, seconds)
        rows["WeasyPrint default"].runs.append(default)
        rows["vanthu pdf"].runs.append(measure(ours_pdf, n, seconds))
    if default_pdf:
        report.notes.append(
            f"{work.label}: fonts on page 1 — vanthu {_fonts(our_pdf)}; WeasyPrint default "
            f"{_fonts(default_pdf)}; default PDF {page_count(default_pdf)} page(s), "
            f"{len(default_pdf) // 1024} KB, ours {len(our_pdf) // 1024} KB"
        )
    shown = [row for row in rows.values() if row.runs]
    for row in shown:
        report.problems += row.problems(work.label)
    soffice_per_page = float("nan")
    if plain_docx is not None:
        soffice_per_page = _soffice(work, ours_docx(), n, repeat, report)
    else:
        report.notes.append(f"{work.label}: LibreOffice skipped (no DOCX to convert)")
    report.tables.append((work, shown))

    ours = rows["vanthu pdf"].best.per_doc
    docx_ratio = float("nan")
    if plain_docx is not None:
        docx_ratio = ratio(rows["vanthu docx"].best.per_doc, rows["docxtpl afresh"].best.per_doc)
    report.ratios.append(
        [
            work.label,
            f"{fmt_ratio(docx_ratio)} (≤ 0.33)",
            f"{fmt_ratio(ratio(ours, rows['WeasyPrint default'].best.per_doc))} (≤ 0.50)",
            fmt_ratio(ratio(ours / max(work.pages, 1), soffice_per_page)),
        ]
    )


def _scaling(work: Workload, font_cache: Path, args: argparse.Namespace, report: Report) -> None:
    workers, total = args.docgen_scaling, args.docgen_n * args.docgen_scaling
    if workers < 2:
        report.notes.append("scaling: skipped (--docgen-scaling below 2)")
        return
    one: list[Scaling] = []
    many: list[Scaling] = []
    before = os.getloadavg()
    for _ in range(args.repeat):
        one.append(run_workers(work, font_cache, 1, total, args.docgen_seconds))
        many.append(run_workers(work, font_cache, workers, total, args.docgen_seconds))
    after = os.getloadavg()
    for s in one + many:
        if s.error or s.count != s.wanted:
            report.problems.append(
                f"scaling, {s.workers} process(es): {s.count} of {s.wanted} done "
                f"({s.error or 'time budget ran out'})"
            )
    best_one, best_many = max(one, key=lambda s: s.rate), max(many, key=lambda s: s.rate)
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    report.notes += [
        f"scaling ({work.label} PDF, {total} documents, 'spawn' processes): 1 process "
        f"{_fmt_rate(best_one.rate)} docs/s, {workers} processes {_fmt_rate(best_many.rate)} "
        f"docs/s — ratio {fmt_ratio(ratio(best_many.rate, best_one.rate))} "
        f"(target ≥ {0.9 * workers:.1f} on {workers} cores; {affinity} usable here)",
        f"scaling runs: 1 process {', '.join(_fmt_rate(s.rate) for s in one)}; {workers} "
        f"processes {', '.join(_fmt_rate(s.rate) for s in many)} docs/s; load average "
        f"{before[0]:.2f} before, {after[0]:.2f} after (1 minute), "
        f"{before[1]:.2f} / {after[1]:.2f} (5 minutes)",
    ]


def _print(report: Report, repeat: int) -> None:
    for work, shown in report.tables:
        print()
        print(f"{work.label}, {work.pages} page(s):")
        print_table(
            ["measurement", "p50 ms", "p95 ms", "docs/s", "pages/s"],
            [_cells(row, work.pages) for row in shown],
        )
    print()
    print_table(
        ["document", "vanthu/docxtpl", "vanthu/WeasyPrint", "vanthu/LibreOffice per page"],
        report.ratios,
    )
    print()
    for line in report.notes:
        print(line)
    if repeat > 1:
        for work, shown in report.tables:
            for row in shown:
                runs = ", ".join(fmt_ms(m.per_doc) for m in row.runs)
                print(f"{work.label}, {row.label}: runs {runs} ms per document")
    if report.problems:
        print()
    for problem in report.problems:
        print(f"PROBLEM: {problem}")


def run(args: argparse.Namespace) -> bool:
    """Print the docgen tables; False when a measurement went wrong."""
    n, repeat = args.docgen_n, args.repeat
    if n < 1 or repeat < 1 or args.docgen_seconds <= 0:
        raise SystemExit("bench docgen: --docgen-n, --repeat and --docgen-seconds must be positive")
    print(
        f"== docgen: {n} renders per measurement (after {WARMUP} warm-up); best of {repeat} run(s)"
    )
    report = Report()
    with temp_dir("docgen") as folder:
        font_cache = folder / "fonts"
        renderer = Renderer(default_catalogue(), font_cache_dir=font_cache)
        began = time.perf_counter()
        renderer.warm()
        report.notes.append(
            f"Renderer.warm() with an empty font cache: {time.perf_counter() - began:.2f} s"
        )
        short = _cong_van(renderer, SHORT_PAGES, f"{SHORT_ID} (short)")
        works = [short, _form(renderer)]
        for work in works:
            print(f"{work.label}: {work.pages} page(s)" + (f" — {work.note}" if work.note else ""))
            if work.pages == 0:
                report.problems.append(f"{work.label}: could not count the PDF's pages")
        for work in works:
            _compare(renderer, work, args, report)
        _scaling(short, font_cache, args, report)
    _print(report, repeat)
    return not report.problems

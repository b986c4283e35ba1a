"""Keeping files: ``ArchiveService.ingest`` and fixity against raw minio calls.

A private SeaweedFS (``shared.devstack.seaweed``) and a SQLite database in a
temporary folder; PDFs signed twice (leader, then body) with the test PKI, its
root configured as the trust root so every ingest runs the full validation.

ingest    ``ArchiveService.ingest`` of the same signed PDF under distinct
          source ids (so each call makes a record): signature validation,
          SHA-256, schedule lookup, the pending row, ``put_object`` with a
          COMPLIANCE lock or legal hold, the stored mark — against raw
          ``put_object`` of the same bytes to fresh keys of the same bucket.
          For a ~200 KB and a ~5 MB PDF; records/s and MB/s.
fixity    ``run_fixity`` over the records just made (read each version back,
          re-hash, compare, list versions, record the verdict) against raw
          ``get_object`` + SHA-256 of the same objects; MB/s.

Loops are bounded by count and by ``--archive-seconds`` per measurement.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

import weasyprint
from minio import Minio
from PIL import Image

from bench import Deadline, fmt_ratio, print_table, rate, ratio, temp_dir
from services.archive.fixity import run_fixity
from services.archive.orm import tables
from services.archive.service import ArchiveService, DocumentFields, FileToKeep
from shared import storage
from shared.config import load
from shared.db import migrate
from shared.devstack.ports import free_port
from shared.devstack.seaweed import SeaweedFS
from shared.runtime import ServiceContext
from tests.support.pki import default_pki, sign_pdf

MB = 1_000_000
BUCKET = "vanthu-bench-archive"
ACCESS_KEY = "vanthu-bench"
SECRET_KEY = "vanthu-bench-secret"  # noqa: S105 - a throw-away local server
ORGAN = "000.00.99.B01"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("archive")
    group.add_argument(
        "--archive-n", type=int, default=40, help="ingests of the ~200 KB PDF per run (40)"
    )
    group.add_argument(
        "--archive-large-n", type=int, default=8, help="ingests of the ~5 MB PDF per run (8)"
    )
    group.add_argument(
        "--archive-seconds",
        type=float,
        default=60.0,
        help="time budget per archive measurement, seconds (60)",
    )


def signed_pdf(size: int) -> bytes:
    """A real PDF of about ``size`` bytes (a page of text and a noise image), signed twice.

    The image is random pixels, so it does not compress: the file is as large as asked.
    """
    side = max(int(((size - 20_000) / 3) ** 0.5), 8)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    png = BytesIO()
    image.save(png, format="PNG", compress_level=1)
    data = base64.b64encode(png.getvalue()).decode("ascii")
    html = (
        "<html lang='vi'><body><p>QUYẾT ĐỊNH Về việc lưu trữ</p>"
        f"<img style='width: 15cm' src='data:image/png;base64,{data}'></body></html>"
    )
    return sign_pdf(sign_pdf(weasyprint.HTML(string=html).write_pdf(), "leader"), "body")


def item(pdf: bytes, source_id: str) -> FileToKeep:
    return FileToKeep(
        organ_id=ORGAN,
        direction="out",
        source="upload",
        source_id=source_id,
        file_name="van-ban.pdf",
        media_type="application/pdf",
        content=pdf,
        fields=DocumentFields(type_name="Công văn", subject="Về việc đo hiệu năng lưu trữ"),
        actor="bench",
    )


@dataclass
class Run:
    count: int
    seconds: float
    complete: bool

    def per_second(self) -> float:
        return rate(self.count, self.seconds)


def measure(call: Callable[[int], object], n: int, seconds: float) -> Run:
    deadline = Deadline(seconds)
    started = time.perf_counter()
    done = 0
    for i in range(n):
        if deadline.expired():
            break
        call(i)
        done += 1
    return Run(done, time.perf_counter() - started, done == n)


@dataclass
class Results:
    rows: list[list[str]] = field(default_factory=list)
    per_run: list[str] = field(default_factory=list)
    ok: bool = True


def _ingest(
    service: ArchiveService, client: Minio, label: str, pdf: bytes, *, n: int,
    args: argparse.Namespace, results: Results,
) -> None:  # fmt: skip
    service.ingest(item(pdf, f"warm-{label}"))
    best_raw = best_ours = float("nan")
    for attempt in range(max(args.repeat, 1)):
        tag = uuid.uuid4().hex[:8]

        def raw(i: int, tag: str = tag) -> object:
            return client.put_object(BUCKET, f"raw/{tag}/{i}.pdf", io.BytesIO(pdf), len(pdf))

        def ours(i: int, tag: str = tag) -> object:
            result = service.ingest(item(pdf, f"{tag}-{i}"))
            if result.record.state != "stored":
                raise RuntimeError("ingest left the record pending")
            return result

        r = measure(raw, n, args.archive_seconds)
        o = measure(ours, n, args.archive_seconds)
        complete = r.complete and o.complete
        results.ok = results.ok and complete
        results.per_run.append(
            f"{label} run {attempt + 1}: raw {r.per_second():.1f}/s, "
            f"vanthu {o.per_second():.1f}/s" + ("" if complete else " (time budget exceeded)")
        )
        best_raw = r.per_second() if attempt == 0 else max(best_raw, r.per_second())
        best_ours = o.per_second() if attempt == 0 else max(best_ours, o.per_second())
    mb = len(pdf) / MB
    results.rows.append(
        [
            f"ingest {label} ({len(pdf):,} B)",
            f"{best_raw:.1f}",
            f"{best_raw * mb:.1f}",
            f"{best_ours:.1f}",
            f"{best_ours * mb:.1f}",
            fmt_ratio(ratio(best_ours, best_raw)),
        ]
    )


def _fixity(service: ArchiveService, args: argparse.Namespace, results: Results) -> None:
    stored = service.stored_records(ORGAN)
    total_mb = sum(r.size for r in stored) / MB
    best_raw = best_ours = float("nan")
    for attempt in range(max(args.repeat, 1)):
        started = time.perf_counter()
        for row in stored:
            digest = hashlib.sha256()
            for chunk in service.store.chunks(row.object_key, row.version_id):
                digest.update(chunk)
        raw_rate = total_mb / (time.perf_counter() - started)
        report = run_fixity(service, organ_id=ORGAN)
        results.ok = results.ok and report.passed
        ours = report.bytes_read / MB / max(report.seconds, 1e-9)
        results.per_run.append(
            f"fixity run {attempt + 1}: raw {raw_rate:.1f} MB/s, vanthu {ours:.1f} MB/s "
            f"({report.checked} objects)"
        )
        best_raw = raw_rate if attempt == 0 else max(best_raw, raw_rate)
        best_ours = ours if attempt == 0 else max(best_ours, ours)
    results.rows.append(
        [
            f"fixity ({len(stored)} objects, {total_mb:.0f} MB)",
            "-",
            f"{best_raw:.1f}",
            "-",
            f"{best_ours:.1f}",
            fmt_ratio(ratio(best_ours, best_raw)),
        ]
    )


def run(args: argparse.Namespace) -> bool:
    print("archive: ingest (validate + hash + record + put under lock) and fixity, vs raw minio")
    results = Results()
    with temp_dir("archive") as root:
        server = SeaweedFS(
            root / "weed", s3_port=free_port(), access_key=ACCESS_KEY, secret_key=SECRET_KEY
        )
        server.start()
        try:
            roots = root / "roots.pem"
            roots.write_bytes(default_pki().root.pem)
            (root / "var").mkdir()
            config = load("archive", {"VANTHU_VAR_DIR": str(root / "var")}).replace(
                s3_endpoint=server.endpoint,
                s3_access_key=ACCESS_KEY,
                s3_secret_key=SECRET_KEY,
                s3_bucket=BUCKET,
                signature_trust_roots=str(roots),
            )
            migrate.upgrade("archive", config.database_url)
            context = ServiceContext(config, tables)
            try:
                service = ArchiveService(context)
                client = service.store.client
                storage.ensure_bucket(client, BUCKET)
                for label, size, n in (
                    ("~200 KB", 200_000, args.archive_n),
                    ("~5 MB", 5_000_000, args.archive_large_n),
                ):
                    _ingest(
                        service, client, label, signed_pdf(size), n=n, args=args, results=results
                    )
                _fixity(service, args, results)
            finally:
                context.dispose()
        finally:
            server.stop()
    print_table(
        ["measurement", "raw/s", "raw MB/s", "vanthu/s", "vanthu MB/s", "ratio"], results.rows
    )
    print()
    for line in results.per_run:
        print(line)
    return results.ok

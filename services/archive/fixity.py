"""Fixity: re-read every kept object version, re-hash it, compare with the database.

A version the archive stored cannot be changed under object lock, but someone
with write access can put a *newer* version on the same key; that is flagged
too (``newer_version``), since it means the bucket was written behind the
archive's back. Missing versions and hash mismatches fail the run.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from services.archive import bootstrap
from services.archive.service import ArchiveService
from shared.config import Config


@dataclass
class FixityReport:
    checked: int = 0
    ok: int = 0
    mismatched: int = 0
    missing: int = 0
    newer_version: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not (self.mismatched or self.missing or self.newer_version)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "checked": self.checked,
            "ok": self.ok,
            "mismatched": self.mismatched,
            "missing": self.missing,
            "newer_version": self.newer_version,
            "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3),
            "problems": self.problems,
        }

    def lines(self) -> list[str]:
        out = [
            f"Kiểm tra toàn vẹn: {self.checked} tệp, {self.bytes_read:,} byte, "
            f"{self.seconds:.1f} s — đạt {self.ok}, sai băm {self.mismatched}, "
            f"mất {self.missing}, có phiên bản mới hơn {self.newer_version}",
        ]
        out += [
            f"  {p['problem']:14} {p['record_id']}  {p['object_key']}  {p.get('detail', '')}"
            for p in self.problems
        ]
        out.append("KẾT QUẢ: ĐẠT" if self.passed else "KẾT QUẢ: KHÔNG ĐẠT")
        return out


def _bar(done: int, total: int, stream: TextIO) -> None:
    width = 30
    filled = width * done // total if total else width
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        stream.write("\n")
    stream.flush()


def run_fixity(
    service: ArchiveService, *, organ_id: str | None = None, progress: TextIO | None = None
) -> FixityReport:
    report = FixityReport()
    started = time.monotonic()
    rows = service.stored_records(organ_id)
    verdicts: dict[str, str] = {}
    for index, row in enumerate(rows, 1):
        back = service.store.readback(row.object_key, row.version_id)
        report.checked += 1
        report.bytes_read += back.size
        verdict = "ok"
        if back.sha256 is None:
            verdict = "missing"
            detail = "không đọc được phiên bản đã lưu"
        elif back.sha256 != row.sha256 or back.size != row.size:
            verdict = "mismatched"
            detail = f"băm {back.sha256} ≠ {row.sha256}"
        elif back.newer_versions:
            verdict = "newer_version"
            detail = f"{back.newer_versions} phiên bản ghi sau bản lưu trữ"
        if verdict == "ok":
            report.ok += 1
        else:
            setattr(report, verdict, getattr(report, verdict) + 1)
            report.problems.append(
                {
                    "record_id": row.id,
                    "organ_id": row.organ_id,
                    "object_key": row.object_key,
                    "version_id": row.version_id,
                    "problem": verdict,
                    "detail": detail,
                }
            )
        verdicts[row.id] = verdict
        if progress is not None:
            _bar(index, len(rows), progress)
    if progress is not None and not rows:
        _bar(0, 0, progress)
    service.mark_fixity(verdicts)
    report.seconds = time.monotonic() - started
    return report


def main(config: Config, organ_id: str | None = None, as_json: bool = False) -> int:
    """``vanthu fixity``: exit 0 when every object matches, 1 otherwise."""
    context = bootstrap.context(config)
    try:
        report = run_fixity(ArchiveService(context), organ_id=organ_id, progress=sys.stderr)
    finally:
        context.dispose()
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines()))
    return 0 if report.passed else 1

"""``vanthu archive verify FILE.pdf [--trust-root CERT.pem ...]``: the report as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

DEFAULT_MAX_BYTES = 200 * 1024 * 1024

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_REFUSED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``archive verify``; pair with :func:`run`."""
    parser.add_argument("file", help="the PDF to verify")
    parser.add_argument(
        "--trust-root",
        action="append",
        default=[],
        metavar="CERT.pem",
        help="trusted root certificate, PEM (bundles allowed) or DER; repeatable",
    )
    parser.add_argument(
        "--allow-fetching",
        action="store_true",
        help="fetch OCSP/CRL/intermediates over the network (off by default)",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse larger files (default {DEFAULT_MAX_BYTES})",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``verify_command`` from parsed :func:`add_arguments` options."""
    return verify_command(
        args.file,
        trust_roots=args.trust_root,
        allow_fetching=args.allow_fetching,
        max_bytes=args.max_bytes,
    )


def verify_command(
    path: str,
    *,
    trust_roots: list[str],
    json_out: TextIO | None = None,
    err_out: TextIO | None = None,
    allow_fetching: bool = False,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> int:
    """Print the report of ``path`` as JSON; exit 0, 1 (a signature is broken) or 2 (refused)."""
    # pyHanko takes ~0.4 s to import: only this command pays for it, not every `vanthu`.
    from shared.signatures.reading import too_large  # noqa: PLC0415
    from shared.signatures.report import InvalidPdf  # noqa: PLC0415
    from shared.signatures.verify import load_trust_roots, verify_pdf  # noqa: PLC0415

    out = json_out or sys.stdout
    err = err_out or sys.stderr
    file = Path(path)
    try:
        roots = load_trust_roots(Path(root).read_bytes() for root in trust_roots)
    except (OSError, ValueError) as exc:
        print(f"Không đọc được chứng thư số gốc: {exc}", file=err)
        return EXIT_REFUSED
    try:
        size = file.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise too_large(size, max_bytes)
        report = verify_pdf(
            file.read_bytes(),
            trust_roots=roots,
            allow_fetching=allow_fetching,
            max_bytes=max_bytes,
        )
    except OSError as exc:
        print(f"Không đọc được tệp {path}: {exc.strerror or exc}", file=err)
        return EXIT_REFUSED
    except InvalidPdf as exc:
        print(f"{path}: [{exc.code}] {exc.reason}", file=err)
        return EXIT_REFUSED
    json.dump({"file": path, **report.to_dict()}, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return EXIT_BROKEN if report.status == "broken" else EXIT_OK

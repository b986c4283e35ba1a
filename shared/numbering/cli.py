"""``vanthu registers …``: the registers for IT officers and scripts.

docgen keeps the outgoing registers (sổ văn bản đi), intake the incoming ones
(sổ văn bản đến); ``--service`` chooses which database is meant.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from shared.clock import vietnam_date
from shared.numbering import printing
from shared.numbering.registers import BodySettings, NumberingError, Registers, Series
from shared.numbering.sheets import sheet
from shared.runtime import ServiceContext

DIRECTION = {"docgen": "out", "intake": "in"}


def add_arguments(sub: Any) -> None:
    """Register ``registers create|list|show|print|settings`` under ``sub``."""
    registers = sub.add_parser("registers", help="sổ văn bản đi (docgen) / đến (intake)")
    commands = registers.add_subparsers(dest="registers_command", required=True)

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = commands.add_parser(name, help=help_)
        p.add_argument(
            "--service",
            choices=sorted(DIRECTION),
            default="docgen",
            help="docgen: văn bản đi (default); intake: văn bản đến",
        )
        p.set_defaults(func=run)
        return p

    create = command("create", "create a register (a series of numbers) for a body")
    create.add_argument("--body", required=True, help="OrganId, e.g. 000.00.32.H43")
    create.add_argument("--code", required=True, help="short id, e.g. hanh-chinh")
    create.add_argument("--name", required=True, help="e.g. 'Văn bản hành chính'")
    create.add_argument(
        "--series",
        choices=[s.value for s in Series],
        default=None,
        help="default: administrative (docgen) or incoming (intake)",
    )
    create.add_argument("--types", default="", help="types it takes, e.g. 'QĐ' (default: all)")
    create.add_argument("--issuer-abbreviation", default=None, help="a council's abbreviation")

    listing = command("list", "list a body's registers")
    listing.add_argument("--body", required=True)

    show = command("show", "show a register, its counter and counts for a year")
    show.add_argument("register_id")
    show.add_argument("--year", type=int, default=None)

    out = command("print", "print a register (PDF or XLSX) for a date range")
    out.add_argument("register_id")
    out.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
    out.add_argument("--year", type=int, default=None)
    out.add_argument("--from", dest="date_from", type=date.fromisoformat, default=None)
    out.add_argument("--to", dest="date_to", type=date.fromisoformat, default=None)
    out.add_argument("--output", required=True)

    settings = command("settings", "set a body's names and abbreviations")
    settings.add_argument("--body", required=True)
    settings.add_argument("--name", required=True, help="TÊN CƠ QUAN, TỔ CHỨC")
    settings.add_argument("--parent-name", default=None, help="cơ quan chủ quản trực tiếp")
    settings.add_argument("--abbreviation", required=True, help="e.g. UBND")
    settings.add_argument(
        "--unit",
        action="append",
        default=[],
        metavar="ABBR=NAME",
        help="a drafting unit, e.g. 'VP=Văn phòng' (repeatable)",
    )


def _context(service: str) -> tuple[ServiceContext, Registers]:
    bootstrap = importlib.import_module(f"services.{service}.bootstrap")
    orm = importlib.import_module(f"services.{service}.orm")
    context: ServiceContext = bootstrap.context()
    return context, Registers(orm.numbering, clock=context.clock)


def run(args: argparse.Namespace) -> int:
    context, registers = _context(args.service)
    try:
        result = _COMMANDS[args.registers_command](args, context, registers)
    except NumberingError as exc:
        print(f"vanthu registers: {exc.message} ({exc.code})", file=sys.stderr)
        return 1
    finally:
        context.dispose()
    if result is not None:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


def _create(args: argparse.Namespace, context: ServiceContext, registers: Registers) -> Any:
    direction = DIRECTION[args.service]
    series = args.series or ("administrative" if direction == "out" else "incoming")
    with context.uow() as uow:
        register = registers.create(
            uow.session,
            organ_id=args.body,
            direction=direction,
            code=args.code,
            name=args.name,
            series=series,
            document_types=[t for t in args.types.split(",") if t],
            issuer_abbreviation=args.issuer_abbreviation,
            created_by="cli",
        )
        uow.commit()
    return _describe(register)


def _list(args: argparse.Namespace, context: ServiceContext, registers: Registers) -> Any:
    with context.uow() as uow:
        found = registers.for_body(uow.session, args.body, DIRECTION[args.service])
    return [_describe(r) for r in found]


def _find(context: ServiceContext, registers: Registers, register_id: str) -> Any:
    """A register by id, whatever its body (the CLI is the operator's tool)."""
    with context.uow() as uow:
        row = uow.session.execute(
            registers.t.registers.select().where(registers.t.registers.c.id == register_id)
        ).first()
        if row is None:
            raise NumberingError("unknown_register", "Không tìm thấy sổ này.", status=404)
        return registers.get(uow.session, register_id, row.organ_id)


def _show(args: argparse.Namespace, context: ServiceContext, registers: Registers) -> Any:
    register = _find(context, registers, args.register_id)
    year = args.year or vietnam_date(context.clock()).year
    with context.uow() as uow:
        state = registers.year_state(uow.session, register, year)
        counts = registers.counts(uow.session, register, year)
    return {**_describe(register), "year": vars(state), "counts": counts}


def _print(args: argparse.Namespace, context: ServiceContext, registers: Registers) -> Any:
    register = _find(context, registers, args.register_id)
    year = args.year or (args.date_from or args.date_to or vietnam_date(context.clock())).year
    date_from = args.date_from or date(year, 1, 1)
    date_to = args.date_to or date(year, 12, 31)
    if date_from.year != year or date_to.year != year or date_from > date_to:
        raise NumberingError("invalid_range", "Khoảng ngày phải nằm trong một năm, từ ≤ đến.")
    cover, rows = sheet(context, registers, register, year, date_from, date_to)
    render = printing.register_pdf if args.format == "pdf" else printing.register_xlsx
    Path(args.output).write_bytes(render(cover, rows))
    print(f"{args.output}: {len(rows)} dòng, năm {year}", file=sys.stderr)
    return None


def _settings(args: argparse.Namespace, context: ServiceContext, registers: Registers) -> Any:
    units = {}
    for item in args.unit:
        abbreviation, sep, name = item.partition("=")
        if not sep or not name.strip():
            raise NumberingError("invalid_unit", f"--unit cần dạng VIẾT_TẮT=Tên: {item!r}")
        units[abbreviation.strip()] = name.strip()
    settings = BodySettings(
        organ_id=args.body,
        name=args.name,
        parent_name=args.parent_name,
        abbreviation=args.abbreviation,
        units=units,
    )
    with context.uow() as uow:
        registers.save_settings(uow.session, settings)
        uow.commit()
    return {"organ_id": settings.organ_id, "abbreviation": settings.abbreviation, "units": units}


def _describe(register: Any) -> dict[str, Any]:
    return {
        "id": register.id,
        "organ_id": register.organ_id,
        "direction": register.direction,
        "code": register.code,
        "name": register.name,
        "series": register.series.value,
        "document_types": list(register.document_types),
        "issuer_abbreviation": register.issuer_abbreviation,
        "active": register.active,
    }


_COMMANDS = {
    "create": _create,
    "list": _list,
    "show": _show,
    "print": _print,
    "settings": _settings,
}

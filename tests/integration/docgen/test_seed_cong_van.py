"""Seed 001 — a real công văn of UBND huyện Sông Hình — rebuilt from the reference folder.

The data is read from the seed at run time (nothing of its text lives in the
repository), rendered, and the PDF must give back the seed's subject,
recipients, every body paragraph in order, the Nơi nhận items and the
signature block, column by column; where the seed deviates from the decree
("Số: 79 /UBND", "- Lưu VT.", en dashes in the motto) the output follows the decree.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from services.docgen.layout_lint import lint
from services.docgen.rendering import Renderer

pytestmark = pytest.mark.reference

SEED = "seeds/001_81a66b1075c2ca50.txt"
TOP_MARGIN = 20 / 25.4 * 72  # 20 mm in PDF points


def normalise(text: str) -> str:
    """Compare text, not typesetting: NFC, one space, one kind of dash, no markup."""
    text = unicodedata.normalize("NFC", text).replace("**", "")
    text = re.sub("[\u2012\u2013\u2014\u2212]", "-", text)
    text = re.sub(r"(?<=\S)([/-])\s+", r"\1", text)  # a line may break after "1225/"
    return re.sub(r"\s+", " ", text).strip()


def seed_data(seed: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The seed as our data model, and what the PDF must show."""
    lines = [line.strip() for line in seed.replace("**", "").splitlines()]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]

    def find(prefix: str) -> int:
        return next(i for i, b in enumerate(blocks) if b[0].startswith(prefix))

    issuer = blocks[0]
    number = re.match(r"Số:\s*(\d+)\s*/\s*(\S+)", blocks[find("Số:")][0])
    assert number, "the seed's number line"
    place, day, month, year = re.match(
        r"(.+), ngày (\d+) tháng (\d+) năm (\d{4})", blocks[find("Số:") + 1][0]
    ).groups()  # type: ignore[union-attr]
    subject = " ".join(blocks[find("V/v")])[len("V/v") :].strip()
    recipients_at = find("Kính gửi")
    recipient = blocks[recipients_at][0].split(":", 1)[1].strip().rstrip(".")
    noi_nhan = find("Nơi nhận")
    paragraphs = [" ".join(b) for b in blocks[recipients_at + 1 : noi_nhan]]
    items = [line.lstrip("- ").rstrip(";.") for line in blocks[noi_nhan + 1]]
    archive = items.pop()  # "Lưu VT" in the seed
    assert archive.replace(":", "").split() == ["Lưu", "VT"]
    authority, title = blocks[noi_nhan + 2]
    signer_name = blocks[noi_nhan + 3][0]
    data = {
        "issuer": {
            "parent": None,
            "name": "\n".join(issuer),
            "abbreviation": number.group(2),
            "place": place,
        },
        "number": int(number.group(1)),
        "notation": number.group(2),
        "issued_on": date(int(year), int(month), int(day)).isoformat(),
        "subject": subject,
        "recipients": [recipient],
        "paragraphs": paragraphs,
        "signer": {"authority": [authority], "title": title, "name": signer_name},
        "distribution": {"recipients": items, "archive": ["VT"]},
    }
    expected = {
        "subject": [subject],
        "recipients": [recipient],
        "paragraphs": paragraphs,
        "noi_nhan": [f"- {item};" for item in items] + ["- Lưu: VT."],
        "signature": [authority, title, signer_name],
    }
    return data, expected


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(normalise(needle), position)
        assert found >= 0, f"missing or out of order: {needle[:80]!r}"
        position = found + len(normalise(needle))


@pytest.fixture(scope="module")
def rendered(
    reference_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, dict[str, list[str]]]:
    seed = (reference_dir / SEED).read_text(encoding="utf-8")
    data, expected = seed_data(seed)
    renderer = Renderer(font_cache_dir=tmp_path_factory.mktemp("fonts"))
    out = tmp_path_factory.mktemp("seed001")
    pdf, docx = out / "cong-van-79.pdf", out / "cong-van-79.docx"
    pdf.write_bytes(renderer.render("cong-van", data, "pdf"))
    docx.write_bytes(renderer.render("cong-van", data, "docx"))
    return pdf, docx, expected


def test_pdf_gives_back_the_seed_column_by_column(
    rendered: tuple[Path, Path, dict[str, list[str]]],
) -> None:
    pdf_path, _, expected = rendered
    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages
        # Page numbers sit in the top margin; leave them out of the running text.
        body = [page.crop((0, TOP_MARGIN, page.width, page.height)) for page in pages]
        whole = normalise(" ".join(page.extract_text() or "" for page in body))
        assert_in_order(whole, expected["subject"] + expected["recipients"])
        assert_in_order(whole, expected["paragraphs"])
        assert "Độc lập - Tự do - Hạnh phúc" in whole  # the decree's hyphens
        assert "Số: 79/UBND" in whole  # no space before the slash

        # The closing block is two columns side by side: read each on its own.
        last = next(p for p in reversed(pages) if "Nơi nhận" in (p.extract_text() or ""))
        label = next(w for w in last.extract_words() if w["text"].startswith("Nơi"))
        middle = last.width / 2
        left = last.crop((0, label["top"], middle, last.height)).extract_text() or ""
        right = last.crop((middle, label["top"] - 2, last.width, last.height)).extract_text()
    assert_in_order(normalise(left), ["Nơi nhận:", *expected["noi_nhan"]])
    assert_in_order(normalise(right or ""), expected["signature"])


@pytest.mark.parametrize("which", [0, 1], ids=["pdf", "docx"])
def test_seed_rendering_passes_lint_layout(
    rendered: tuple[Path, Path, dict[str, list[str]]], which: int
) -> None:
    report = lint(rendered[which])
    assert report.ok, report.format_text()

"""The văn thư's web pages in a real headless Chromium, against the real stack.

Starts ``vanthu dev`` on free ports in a temporary var dir (like test_dev_stack),
creates a user with the CLI, then clicks through: sign in → choose Công văn →
change the subject → preview → issue (sees the number) → download the PDF, and
visits the registers, incoming, archive search and sign-out pages. Each page is
saved as a screenshot at 1366×768 under the test's tmp_path and, when
VANTHU_ARTEFACTS_DIR is set, copied there (``web-pages/``).

Debian 12's ``chromium`` package drives the browser (no browser download).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.devstack.ports import free_port
from tests.conftest import REPO
from tests.e2e.test_dev_stack import DevRun, Ports, _environ

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("VANTHU_CHROMIUM", "/usr/bin/chromium"))
USERNAME = "van.thu.e2e"
PASSWORD = "mat-khau-e2e-2026"
SUBJECT = "thử nghiệm trang web văn thư trên trình duyệt"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[dict[str, str], Ports]]:
    assert CHROMIUM.exists(), f"{CHROMIUM} missing: make test installs chromium (packages.txt)"
    ports = Ports(free_port(), free_port(), free_port(), free_port())
    env = _environ(tmp_path / "var", ports)
    env.update(
        {
            "VANTHU_INTAKE_URL": f"http://127.0.0.1:{ports.intake}",
            "VANTHU_DOCGEN_URL": f"http://127.0.0.1:{ports.docgen}",
            "VANTHU_ARCHIVE_URL": f"http://127.0.0.1:{ports.archive}",
        }
    )
    cli = [sys.executable, "-m", "shared.cli"]
    subprocess.run([*cli, "migrate", "all"], cwd=REPO, env=env, check=True)
    subprocess.run(
        [
            *cli,
            "users",
            "create",
            USERNAME,
            "--name",
            "Nguyễn Thị Văn Thư",
            "--body",
            "000.00.32.H43",
            "--roles",
            "clerk,leader",
            "--password-stdin",
        ],
        cwd=REPO,
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
    )
    run = DevRun(env, tmp_path / "dev.log")
    try:
        run.wait_ready()
        yield env, ports
    finally:
        assert run.interrupt() == 0, run.log_path.read_text()


class Shots:
    def __init__(self, page: Any, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, name: str) -> Path:
        """Screenshot the viewport; every page fits 1366 px wide and loads nothing foreign."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, f"{name}: {width}px wide, scrolls sideways at 1366×768"
        foreign = self.page.evaluate(
            "[...document.querySelectorAll('link[href], img[src], script[src], iframe[src]')]"
            ".map(e => e.href || e.src).filter(u => !u.startsWith(location.origin))"
        )
        assert foreign == [], f"{name}: loads {foreign}"
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


def _publish(folder: Path) -> None:
    target = os.environ.get("VANTHU_ARTEFACTS_DIR")
    if target:
        destination = Path(target) / "web-pages"
        shutil.rmtree(destination, ignore_errors=True)
        shutil.copytree(folder, destination)


def test_a_clerk_drafts_issues_and_downloads_in_a_real_browser(
    stack: tuple[dict[str, str], Ports], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    _, ports = stack
    base = f"http://127.0.0.1:{ports.intake}"
    folder = tmp_path / "screenshots"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--lang=vi"]
        )
        try:
            context = browser.new_context(
                viewport={"width": 1366, "height": 768}, locale="vi-VN", accept_downloads=True
            )
            page = context.new_page()
            page.set_default_timeout(30_000)
            shots = Shots(page, folder)
            try:
                page.goto(base + "/")
                expect(page).to_have_url(base + "/web/login?next=/web/")
                shots.take("dang-nhap")
                page.fill("#username", USERNAME)
                page.fill("#password", "mat-khau-sai")
                page.click("button:has-text('Đăng nhập')")
                expect(page.locator(".alert.error")).to_contain_text("không đúng")
                page.fill("#username", USERNAME)
                page.fill("#password", PASSWORD)
                page.click("button:has-text('Đăng nhập')")
                expect(page.locator(".body-name")).to_have_text("Ủy ban nhân dân huyện Sông Hình")
                shots.take("trang-chinh")

                page.click("nav >> text=Soạn văn bản mới")
                expect(page.locator("h1")).to_contain_text("chọn mẫu")
                shots.take("chon-mau")
                page.click("table.data >> a:text-is('Công văn')")
                expect(page.locator("h1")).to_contain_text("Công văn")
                shots.take("mau-cong-van")
                subject = page.locator("textarea[name='data.subject'], input[name='data.subject']")
                subject.fill(SUBJECT)
                shots.take("dien-mau")

                page.click("button:has-text('Xem trước')")
                expect(page.locator("h1")).to_contain_text("Bản dự thảo")
                page.wait_for_function(
                    "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
                )
                shots.take("xem-truoc")

                page.click("#issue")
                expect(page.locator("h1.number")).to_have_text("Số: 01/UBND-VP")
                expect(page.locator(".facts-table")).to_contain_text(SUBJECT)
                # The worker renders the numbered files; the page reloads itself till then.
                expect(page.locator("#download-pdf")).to_be_visible(timeout=60_000)
                shots.take("da-ban-hanh")
                with page.expect_download() as download_info:
                    page.click("#download-pdf")
                pdf = tmp_path / "van-ban.pdf"
                download_info.value.save_as(str(pdf))
                assert pdf.read_bytes()[:5] == b"%PDF-"
                text = subprocess.run(
                    ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
                ).stdout
                assert "01/UBND-VP" in text

                page.click("nav >> text=Sổ văn bản đi")
                expect(page.locator("table.data")).to_contain_text("01/UBND-VP")
                shots.take("so-van-ban-di")
                page.click("nav >> text=Văn bản đến liên thông")
                expect(page.locator("h1")).to_contain_text("Văn bản đến")
                shots.take("van-ban-den")
                page.click("nav >> text=Tra cứu lưu trữ")
                page.fill("input[name='q']", "văn thư")
                page.click("button:has-text('Tìm')")
                expect(page.locator("main")).to_contain_text(
                    # Either results, or a clear message while archive search is not there yet.
                    "văn thư"
                )
                shots.take("tra-cuu-luu-tru")
                page.click("nav >> text=Nhật ký thao tác")
                expect(page.locator("table.data")).to_contain_text("web.document.issue")
                shots.take("nhat-ky")

                page.click("button:has-text('Đăng xuất')")
                expect(page).to_have_url(base + "/web/login")
                page.goto(base + "/web/documents")
                expect(page).to_have_url(base + "/web/login?next=/web/documents")
                shots.take("da-dang-xuat")
            finally:
                _publish(folder)
                context.close()
        finally:
            browser.close()
    assert len(list(folder.glob("*.png"))) >= 10

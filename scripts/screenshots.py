"""Re-take the report and approval screenshots in docs/screenshots/ from a real run.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Kept out of the test suite so `make test` never rewrites committed files. It starts a throwaway
server (SQLite, offline provider), runs the Kettle & Crumb brief through the new-run form in Debian's
Chromium, ticks two tasks in the approval panel, approves the edited plan, then shoots the report at
desktop, phone and print widths and renders the PDF's first two pages with pdftoppm. It fails when a
page logs a console error or a CSP violation, so a screenshot never hides a broken page.
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from tests.browser.browsing import (  # noqa: E402
    BAKERY,
    CHROMIUM,
    CHROMIUM_ARGS,
    Session,
    open_session,
    run_id_from,
    start_brief_run,
)
from tests.support.server import CatalystServer, create_user, prepare_database  # noqa: E402

log = logging.getLogger("screenshots")

EXECUTIVE = "exec@example.com"
COMPANY = BAKERY["company"]
TO_CUT = [re.compile(r"^Launch event$"), re.compile(r"^Loyalty platform")]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
# A4 at 96 px per inch; print.css keeps 14 mm either side, which a screenshot has no @page to show.
A4_PRINT = {"width": 794, "height": 1123}
PAGE_MARGINS = "16mm 14mm"
SHOTS = ("approval-panel", "report-desktop", "report-phone", "report-print", "report-pdf-1", "report-pdf-2")


def tick_and_approve(page: Page, out: Path) -> None:
    """Two tasks ticked in the live panel: the panel is shot, then the edited plan approved."""
    expect(page.locator("#approval-panel")).to_be_visible(timeout=60_000)
    for pattern in TO_CUT:
        row = page.locator("#approval-tasks tr[data-task-row]").filter(
            has=page.locator("label.approval-task-title", has_text=pattern)
        )
        row.locator("input[data-task-id]").check()
    expect(page.locator('#approval-options [data-option="edit"]')).to_be_visible()
    page.fill("#approval-note", "Launch quietly; the loyalty platform can wait")
    page.locator("#approval-panel").scroll_into_view_if_needed()
    page.locator("#approval-panel").screenshot(path=str(out / "approval-panel.png"))
    page.click("#approve-edited")
    expect(page.locator("#run-status")).to_have_text("completed", timeout=120_000)


def settle(page: Page) -> None:
    """Charts re-layout after a resize; fonts and the layout settle before the shot."""
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(400)


def shoot_report(session: Session, run_id: str, out: Path) -> None:
    page = session.page
    session.goto(f"/runs/{run_id}/report")
    expect(page.locator("#r-decision")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    settle(page)
    page.screenshot(path=str(out / "report-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    settle(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 1:
        log.warning("the report scrolls sideways on a phone by %spx", overflow)
    page.screenshot(path=str(out / "report-phone.png"), full_page=True)

    session.goto(f"/runs/{run_id}/report/print")
    page.emulate_media(media="print")
    page.set_viewport_size(A4_PRINT)
    # The @page margins, as padding (through the CSSOM, which the CSP allows), so the shot reads as paper.
    page.evaluate("(margins) => { document.body.style.padding = margins; }", PAGE_MARGINS)
    settle(page)
    page.screenshot(path=str(out / "report-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size(DESKTOP)


def shoot_pdf(session: Session, run_id: str, out: Path, work: Path, keep: Path | None) -> None:
    """The PDF as WeasyPrint wrote it, its first two pages at 60 dpi (and the whole file when asked)."""
    response = session.page.request.get(session.url(f"/runs/{run_id}/report.pdf"))
    if not response.ok:
        raise RuntimeError(f"report.pdf answered {response.status}")
    pdf = work / "report.pdf"
    pdf.write_bytes(response.body())
    if keep is not None:
        shutil.copyfile(pdf, keep)
    prefix = work / "pdf-page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(prefix)], check=True)
    pages = sorted(work.glob("pdf-page-*.png"))
    if len(pages) < 2:
        raise RuntimeError(f"the PDF has {len(pages)} page(s); expected at least two")
    for number, page in enumerate(pages[:2], start=1):
        shutil.copyfile(page, out / f"report-pdf-{number}.png")


def take(browser: Browser, server: CatalystServer, out: Path, work: Path, keep: Path | None) -> None:
    session = open_session(browser, server.base_url, "screenshots")
    try:
        page = session.login(EXECUTIVE)
        session.goto("/runs/new")
        start_brief_run(page)
        run_id = run_id_from(page.url)
        tick_and_approve(page, out)
        shoot_report(session, run_id, out)
        shoot_pdf(session, run_id, out, work, keep)
        session.assert_clean()
    finally:
        session.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    parser.add_argument("--keep-pdf", type=Path, help="also save the whole report PDF here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not Path(CHROMIUM).exists():
        log.error("%s is not installed (apt-get install chromium)", CHROMIUM)
        return 1
    if shutil.which("pdftoppm") is None:
        log.error("pdftoppm is not installed (apt-get install poppler-utils)")
        return 1
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="catalyst-shots-") as tmp:
        work = Path(tmp)
        database = prepare_database(work, "sqlite")
        create_user(database, EXECUTIVE, "executive", org="Acme")
        server = CatalystServer(database, work, env={"OFFLINE_PACE_SECONDS": "0.02"}, name="screenshots")
        with server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                take(browser, server, out, work, args.keep_pdf)
            finally:
                browser.close()
    for name in SHOTS:
        log.info("wrote %s", out / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The class's page, `report.html`, opened from its file in Debian's headless chromium.

No server: the page is opened as an instructor opens it from the report folder, with every
request that is not for a file blocked and recorded, so a page that tried to fetch anything
fails. The full page is kept as `test-artifacts/grade_report.png`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Page, Route

from browser_support import VIEWPORT, artifacts_dir, chromium

pytestmark = pytest.mark.browser

SCREENSHOT = "grade_report.png"


def test_the_grade_report_opens_offline_and_links_to_each_submission(graded_class):
    """Playwright's synchronous API refuses a thread where an asyncio loop runs, and a test file
    run earlier in the same process (a notebook run, a widget) may have left one: the browser is
    driven from a thread of its own."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(_open_the_report, graded_class).result()


def _open_the_report(graded_class) -> None:
    with chromium() as browser:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        try:
            _check_the_report(graded_class, page)
        except BaseException:
            page.screenshot(path=str(artifacts_dir() / "grade_report-failed.png"))
            raise
        finally:
            context.close()


def _check_the_report(graded_class, page: Page) -> None:
    grades = graded_class.grades
    report = graded_class.out / "report.html"
    blocked: list[str] = []

    def only_files(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.goto(report.as_uri(), wait_until="load")
    assert page.title().startswith("Grades:")
    page.wait_for_load_state("networkidle")

    sections = page.locator("section.submission")
    assert sections.count() == len(grades.submissions)
    for i, row in enumerate(grades.submissions, start=1):
        section = page.locator(f"#s-{i}")
        assert section.is_visible(), f"s-{i}"
        assert row.group in section.locator("h2").inner_text()
        svgs = section.locator("svg")
        # Its mesh, or the circle that stopped its build; nothing for an answer refused unread.
        assert svgs.count() == (1 if row.projects or row.circle else 0), f"s-{i}"
    # The hostile group's name shows as the text it is, and no script ran.
    assert page.get_by_text("<script>alert(1)</script>", exact=False).count() >= 1
    assert page.locator("script").count() == 0

    boxes = page.locator("svg").evaluate_all(
        "svgs => svgs.map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert boxes and all(w > 0 and h > 0 for w, h in boxes), boxes
    # Each project box in the pictures is drawn (has a size), not only present in the markup.
    rects = page.locator("svg g.project rect").evaluate_all(
        "rs => rs.map(r => { const b = r.getBBox(); return b.width * b.height; })"
    )
    assert rects and all(area > 0 for area in rects)

    # Click a row of the submissions table halfway down the list: the page scrolls to its section.
    target = len(grades.submissions) // 2 + 1
    assert page.evaluate("window.scrollY") == 0
    page.locator(f'table.submissions a[href="#s-{target}"]').click()
    page.wait_for_function(f"location.hash === '#s-{target}'")
    page.wait_for_function(
        f"""() => {{
            const top = document.getElementById('s-{target}').getBoundingClientRect().top;
            return Math.abs(top) < 40;
        }}"""
    )
    assert page.evaluate("window.scrollY") > 500
    assert page.locator(f"#s-{target}").is_visible()
    assert page.evaluate(f"document.querySelector('#s-{target}:target') !== null")

    path = artifacts_dir() / SCREENSHOT
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.is_file() and path.stat().st_size > 50_000
    assert blocked == [], f"the page asked the network for {blocked}"

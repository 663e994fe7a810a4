"""Real-browser tests: JupyterLab in Debian's headless chromium, driven by Playwright.

Each test opens a notebook in a real JupyterLab server, runs it the way a participant would (the
Run menu), and checks what the page shows. Screenshots are kept in `test-artifacts/`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from browser_support import (
    VIEWPORT,
    JupyterLab,
    chromium,
    error_outputs,
    jupyter_lab,
    mermaid_svgs,
    open_notebook,
    run_all,
    screenshot,
    wait_for,
)
from mesh_workshop.council import load_game
from mesh_workshop.council.state import open_council
from mesh_workshop.paths import WORKSHOP_ENV, WORKSPACE_ENV

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def lab(workspace, tmp_path_factory) -> Iterator[JupyterLab]:
    """One JupyterLab server for the session, building into the test workspace.

    Its kernels save group work in a workshop folder of their own: `lab.env[WORKSHOP_ENV]`.
    """
    env = {
        WORKSPACE_ENV: str(workspace),
        WORKSHOP_ENV: str(tmp_path_factory.mktemp("browser-workshop")),
    }
    with jupyter_lab(tmp_path_factory.mktemp("jupyter"), env=env) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser, lab: JupyterLab, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser page. When the test fails, the page as it was is kept as
    `test-artifacts/<test>-failed.png`. Afterwards every kernel the test started is shut down."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    failed_before = request.session.testsfailed
    try:
        yield page
    finally:
        try:
            if request.session.testsfailed > failed_before:
                screenshot(page, f"{request.node.name}-failed")
        finally:
            context.close()
            lab.shut_down_kernels()


def test_a_group_decides_applies_and_reads_the_verdict_in_jupyterlab(
    lab: JupyterLab, page: Page, built_mesh
):
    notebook = open_notebook(page, lab, "03_breaking_change.ipynb")
    run_all(page)
    assert error_outputs(page) == []
    app = wait_for(notebook, ".rr-scenario-app")
    assert "A breaking change with conflicting needs" in app.inner_text()

    # First the tempting answer: keep the change in place, and trust a contract to save it.
    app.locator(".rr-lever-ship label", has_text="Keep it as merged").click()
    app.locator(".rr-lever-contract label", has_text="Enforce a contract").click()
    app.locator(".rr-apply-button").click()
    failed = wait_for(app, ".rr-result.rr-verdict-fail", timeout_ms=600_000)
    assert "Not solved yet" in failed.inner_text()
    assert "A data test found rows that break its rule" in failed.inner_text()
    # Long dbt test names wrap inside the verdict instead of running out of it.
    wide = failed.evaluate(
        """e => {
            const right = e.getBoundingClientRect().right;
            return [...e.querySelectorAll("code, em, p, li, td")]
                .filter(c => c.getBoundingClientRect().right > right + 1)
                .map(c => c.textContent.slice(0, 80));
        }"""
    )
    assert wide == [], "these run out of the verdict"
    failed.scroll_into_view_if_needed()
    screenshot(page, "03_breaking_change_contract_alone")

    # The table agrees: version 2 for those who ask, a contract, and a date for version 1.
    app.locator(".rr-lever-ship label", has_text="version 1 stays the default").click()
    app.locator(".rr-lever-sunset label", has_text="30 June 2027").click()
    app.locator(".rr-role-tabs .lm-TabBar-tab", has_text="Platform engineer").click()
    app.locator(".rr-notes-platform_engineer textarea").fill("Two versions until June.")
    app.locator(".rr-apply-button").click()

    result = wait_for(app, ".rr-result.rr-verdict-pass", timeout_ms=600_000)
    assert "Solved: all 4 success criteria are met" in result.inner_text()
    assert "Finance & marketing reads outcomes with transfers counted separately" in (
        result.inner_text()
    )
    # The picture of the group's mesh is redrawn after the verdict, with the changed model on it.
    lineage = app.locator(".rr-lineage")
    for _ in range(120):
        if "fct_animal_outcomes" in "".join(mermaid_svgs(lineage)):
            break
        page.wait_for_timeout(500)
    assert "fct_animal_outcomes" in "".join(mermaid_svgs(lineage))
    result.scroll_into_view_if_needed()
    screenshot(page, "03_breaking_change_solved")


def test_scenario_2_from_the_circle_to_a_solution_as_a_room_sees_it(
    lab: JupyterLab, page: Page, built_mesh
):
    """Scenario 2 played end to end: the tempting answer runs into a circle that the picture
    shows, then the hub solution passes; the verdict sits beside the button, and the previous
    verdict dims while the next check runs."""
    notebook = open_notebook(page, lab, "04_access_and_lineage.ipynb")
    run_all(page)
    assert error_outputs(page) == []
    app = wait_for(notebook, ".rr-scenario-app")
    # Every role's tab shows its name whole.
    labels = app.locator(".rr-role-tabs .lm-TabBar-tabLabel")
    assert labels.count() == 3
    cut = labels.evaluate_all("ls => ls.filter(l => l.scrollWidth > l.clientWidth + 1).length")
    assert cut == 0, labels.all_inner_texts()

    # Each team publishes what the other asked for: the two spokes would read each other.
    app.locator(".rr-lever-expenses label", has_text="Finance makes the intermediate").click()
    app.locator(".rr-lever-performance label", has_text="Rescue operations makes").click()
    button = app.locator(".rr-apply-button")
    button.click()
    result = wait_for(app, ".rr-result.rr-verdict-fail", timeout_ms=600_000)
    assert "Projects would read each other in a circle" in result.inner_text()
    # The verdict is beside the button, not a screen below it.
    button_box, result_box = button.bounding_box(), result.bounding_box()
    assert result_box["x"] > button_box["x"] + button_box["width"]
    assert result_box["y"] < button_box["y"]
    # The picture draws the circle: thick red arrows labelled "reads" between the two spokes.
    lineage = app.locator(".rr-lineage")
    for _ in range(120):
        drawn = "".join(mermaid_svgs(lineage))
        if "reads" in drawn and "shelter_cost_per_stay_day" in drawn:
            break
        page.wait_for_timeout(500)
    assert "reads" in drawn and "#c62828" in drawn and "grant_shelter_scorecard" in drawn
    lineage.scroll_into_view_if_needed()
    screenshot(page, "04_access_and_lineage_circle")

    # Shared data moves to the hub. While it is checked, the circle's verdict stays, dimmed.
    app.locator(".rr-lever-expenses label", has_text="Move it (and the accounting").click()
    app.locator(".rr-lever-performance label", has_text="Move shelter_performance").click()
    button.click()
    checking = wait_for(app, ".rr-result.rr-checking", timeout_ms=30_000)
    # The dimming fades in over 0.2 s; a busy machine's browser may take longer to paint it.
    assert _opacity_settles(page, checking, lambda value: value < 0.5)
    assert "Projects would read each other in a circle" in checking.inner_text()
    screenshot(page, "04_access_and_lineage_checking")
    solved = wait_for(app, ".rr-result.rr-verdict-pass", timeout_ms=600_000)
    assert "Solved: all" in solved.inner_text()
    assert _opacity_settles(page, solved, lambda value: value == 1.0)
    solved.scroll_into_view_if_needed()
    screenshot(page, "04_access_and_lineage_solved")


def _opacity_settles(page: Page, element, wanted, timeout_ms: int = 5_000) -> bool:
    """Whether the element's opacity reaches what `wanted` accepts within `timeout_ms`."""
    for _ in range(timeout_ms // 100):
        if wanted(float(element.evaluate("e => getComputedStyle(e).opacity"))):
            return True
        page.wait_for_timeout(100)
    return False


def test_a_council_player_opens_their_seat_and_sees_only_their_own_secrets(
    lab: JupyterLab, page: Page, monkeypatch
):
    """A player of Table 1 opens notebook 08, types the table, seat 4, its code and their name,
    and reads their own two secret missions; no other seat's secret is anywhere in the page."""
    monkeypatch.setenv(WORKSHOP_ENV, lab.env[WORKSHOP_ENV])
    codes = open_council("Table 1")
    game = load_game()
    team, own = game.missions_of(4)

    notebook = open_notebook(page, lab, "08_council_seat.ipynb")
    run_all(page)
    assert error_outputs(page) == []
    app = wait_for(notebook, ".rr-seat-app")
    assert own.says not in page.content()
    app.locator(".rr-seat-table input").fill("Table 1")
    app.locator(".rr-seat-number select").select_option(index=4)
    app.locator(".rr-seat-code input").fill(codes[4])
    app.locator(".rr-seat-player input").fill("Robin")
    app.locator(".rr-seat-open-button").click()

    secret = wait_for(app, ".rr-seat-secret", has_text="Secret: only for you")
    assert own.says in secret.inner_text() and team.says in secret.inner_text()
    assert "Lead Marketing Analyst" in app.inner_text()
    wait_for(app, ".rr-seat-phase", has_text="minutes left")
    wait_for(app, ".rr-seat-policies")
    wait_for(app, ".rr-seat-propose")
    everything = page.content()
    for seat in game.seats:
        if seat.number != 4:
            assert seat.mission.says not in everything, seat.number
    for other in game.teams:
        if other.id != game.seat(4).team:
            assert other.mission.says not in everything, other.id
    secret.scroll_into_view_if_needed()
    screenshot(page, "08_council_seat_open")

"""End to end in a real headless Chromium (Debian's), driven by Playwright, against `streamlit run app.py`.

Screenshots are kept in artifacts/screenshots/ (git-ignored) so anyone can look at what a participant sees.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.streamlit_server import CHROMIUM, FLAGS

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():  # .ci/run installs it; say so instead of failing obscurely
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


def wait_for_charts(page, count: int, timeout: float = 60_000) -> None:
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {count}", timeout=timeout)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def test_a_participants_session(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server)
    wait_for_charts(page, 1)
    page.get_by_text("Mixed village").filter(visible=True).first.wait_for()
    page.get_by_text("Slice the pie (all distributive)").filter(visible=True).first.wait_for()
    assert page.locator(".st-key-headline_cards").is_visible()
    assert not page.locator(".st-key-headline_table").is_visible()  # the phone's table
    page.screenshot(path=str(SHOTS / "01_default.png"), full_page=True)

    # Move a slider with the keyboard: initial trust up by two steps.
    slider = page.get_by_role("slider", name="Initial trust")
    before = slider.input_value()
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(before) => document.querySelector('input[aria-label=\"Initial trust\"]').value !== before", arg=before
    )
    wait_for_charts(page, 1)
    page.wait_for_function("location.search.includes('trust.initial')")
    page.screenshot(path=str(SHOTS / "02_trust_changed.png"), full_page=True)

    # Switch the language.
    page.get_by_role("radio", name="Bahasa Indonesia").click()
    page.get_by_text("Desa campuran").filter(visible=True).first.wait_for()
    page.get_by_text("Memperbesar kue (semua integratif)").filter(visible=True).first.wait_for()
    page.wait_for_function("location.search.includes('lang=id')")
    preset = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").first
    page.wait_for_function("(e) => e.value === 'Desa campuran'", arg=preset.element_handle())  # translated too
    page.screenshot(path=str(SHOTS / "03_bahasa.png"), full_page=True)

    # Open a negotiation.
    page.get_by_role("tab", name="Buka satu perundingan").click()
    page.get_by_text("Batas Pareto").filter(visible=True).first.wait_for(timeout=30_000)
    page.get_by_text("Titik Nash").filter(visible=True).first.wait_for()
    page.screenshot(path=str(SHOTS / "04_negotiation.png"), full_page=True)
    page.close()


def test_the_layout_holds_on_a_phone(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/?lang=id")
    wait_for_charts(page, 1)
    page.get_by_text("Desa campuran").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page is {width}px wide on a 390px screen"
    # The headline figures as one table, not fifteen stacked cards.
    assert page.locator(".st-key-headline_table table").is_visible()
    assert not page.locator(".st-key-headline_cards").is_visible()
    page.screenshot(path=str(SHOTS / "05_phone.png"), full_page=True)
    page.close()


def test_presenter_link(server, browser):
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.goto(server + "/?scenario=backbone&present=1")
    wait_for_charts(page, 2)
    page.get_by_role("heading", name="Backbone organisation (Collective Impact)").first.wait_for()
    assert not page.get_by_role("tab", name="Learn").is_visible()
    page.screenshot(path=str(SHOTS / "06_presenter.png"), full_page=False)
    page.close()


def headline_welfare(page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()[:15]


def test_sessions_never_see_each_others_settings_or_results(server, browser):
    """Three participants at once, each with their own settings; one moves a slider, the others are untouched."""
    pages = {
        "a": browser.new_page(viewport={"width": 1300, "height": 900}),
        "b": browser.new_page(viewport={"width": 1300, "height": 900}),
        "c": browser.new_page(viewport={"width": 1300, "height": 900}),
    }
    pages["a"].goto(server + "/?trust.initial=0.9")
    pages["b"].goto(server + "/?lang=id&water.inflow=0.7")
    pages["c"].goto(server + "/")
    for page in pages.values():
        wait_for_charts(page, 1)
    before = {name: headline_welfare(page) for name, page in pages.items()}
    assert len({tuple(v) for v in before.values()}) == 3  # three different worlds, three different results

    slider = pages["a"].get_by_role("slider", name="Initial trust")
    slider.focus()
    pages["a"].keyboard.press("ArrowLeft")
    pages["a"].wait_for_function("location.search.includes('trust.initial=0.85')")
    wait_for_charts(pages["a"], 1)
    pages["a"].wait_for_function("(old) => JSON.stringify(Array.from(document.querySelectorAll("
                                 "'[data-testid=stMetricValue]')).slice(0, 15).map(e => e.innerText)) !== old",
                                 arg=json.dumps(before["a"]))
    for name in ("b", "c"):
        page = pages[name]
        page.wait_for_timeout(500)
        assert headline_welfare(page) == before[name]
        assert "trust.initial" not in page.evaluate("location.search")
    assert "lang=id" in pages["b"].evaluate("location.search")
    assert pages["c"].get_by_role("slider", name="Initial trust").input_value() == "0.5"
    for page in pages.values():
        page.close()

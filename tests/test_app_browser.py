"""End to end in a real headless Chromium (Debian's), driven by Playwright, against `streamlit run app.py`.

Screenshots are kept in artifacts/screenshots/ (git-ignored) so anyone can look at what a participant sees.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from benchmarks.streamlit_server import CHROMIUM
from tests import screens

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"

pytest.importorskip("playwright.sync_api")  # the `browser` fixture (conftest) drives it
if not Path(CHROMIUM).exists():  # .ci/run installs it; say so instead of failing obscurely
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)", pytrace=False)


def wait_for_charts(page, count: int, timeout: float = 60_000) -> None:
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {count}", timeout=timeout)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def finished(page, timeout: float = 60_000) -> None:
    """Wait for the page's script run to have ended and everything it drew to be on screen: nothing stale, every
    chart drawn (events, not a pause: a loaded machine only makes this wait longer)."""
    page.wait_for_function("document.querySelector('[data-test-script-state=\"notRunning\"]') !== null",
                           timeout=timeout)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=timeout)
    page.wait_for_function("Array.from(document.querySelectorAll('[data-testid=stPlotlyChart]'))"
                           ".every(c => c.querySelector('.main-svg') !== null)", timeout=timeout)


DOCS = screens.DOCS  # the README's pictures: docs/screenshots with `make screenshots`, else artifacts/


def visible_text(page) -> str:
    """Everything a participant can read: the page's text and the charts' own text (axes, legends, labels)."""
    return page.evaluate(
        "document.body.innerText + '\\n' + Array.from(document.querySelectorAll('.js-plotly-plot text'))"
        ".map(e => e.textContent).join('\\n')"
    )


def decimal_points(text: str) -> list[str]:
    """Numbers written with a decimal point (in Indonesian a point only groups thousands: 1.234)."""
    found = []
    for token in re.findall(r"\d+(?:[.,]\d+)+", text):
        groups = token.split(",")[0].split(".")
        if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
            found.append(token)
    return found


def test_a_participants_session(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    DOCS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(server)
    wait_for_charts(page, 1)
    page.get_by_text("Step 1 of 6").first.wait_for()
    page.screenshot(path=str(DOCS / "desktop.png"), full_page=False)

    # Through the story with its Next button.
    page.get_by_role("button", name="Next →").click()
    page.get_by_text("Step 2 of 6").first.wait_for()
    page.wait_for_function("location.search.includes('step=2')")
    wait_for_charts(page, 1)
    page.screenshot(path=str(SHOTS / "01_story_step2.png"), full_page=True)

    # The comparison, then a negotiation, in Indonesian: the view is kept when the language changes.
    page.get_by_role("radio", name="Slice or expand").click()
    page.wait_for_function("location.search.includes('view=compare')")
    page.locator(".st-key-headline_cards").wait_for()
    page.get_by_text("Everyone slices the pie").filter(visible=True).first.wait_for()
    page.get_by_role("radio", name="Bahasa Indonesia").click()
    page.get_by_text("Semua berebut kue").filter(visible=True).first.wait_for()
    page.wait_for_function("location.search.includes('lang=id') && location.search.includes('view=compare')")
    page.screenshot(path=str(SHOTS / "02_bahasa.png"), full_page=True)
    page.get_by_role("radio", name="Satu pertemuan").click()
    page.get_by_text("Kesepakatan terbaik bagi keduanya").filter(visible=True).first.wait_for(timeout=30_000)
    assert not page.get_by_text("Titik Nash").filter(visible=True).count()  # analysis terms only for experts
    page.screenshot(path=str(SHOTS / "03_negotiation.png"), full_page=True)
    page.close()


def test_the_phone_shows_a_figure_first_and_everything_fits(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/?lang=id&step=3")
    wait_for_charts(page, 1)
    page.wait_for_timeout(500)
    page.screenshot(path=str(DOCS / "phone.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page is {width}px wide on a 390px screen"
    figure = page.locator("[data-testid='stMetricValue']").first.bounding_box()
    assert figure["y"] + figure["height"] <= 844, "the first screen shows no figure"
    for button in page.locator(".st-key-top_bar button, [data-testid='stButtonGroup'] button").all():
        box = button.bounding_box()
        if box:
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (button.inner_text(), box)
    for view in ("story", "compare", "negotiation"):
        if view != "story":
            page.goto(server + f"/?lang=id&view={view}")
            wait_for_charts(page, 1)
            page.wait_for_timeout(500)
        for chart in page.locator(".js-plotly-plot").all():
            outer = chart.bounding_box()
            for legend in chart.locator(".legend").all():
                box = legend.bounding_box()
                assert box["x"] >= outer["x"] - 1 and box["x"] + box["width"] <= outer["x"] + outer["width"] + 1
                assert box["height"] <= 0.3 * outer["height"], f"{view}: legend takes {box['height'] / outer['height']:.0%}"
            assert not chart.locator(".modebar-container .modebar").count()  # no toolbar over the legend
    page.close()


def test_presenter_mode_at_1280x720_has_the_sentence_a_figure_and_the_chart_above_the_fold(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(server + "/?present=1&lang=id&step=2")
    wait_for_charts(page, 1)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "04_presenter.png"), full_page=False)
    sentence = page.locator(".story-sentence").bounding_box()
    figure = page.locator("[data-testid='stMetricValue']").first.bounding_box()
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    assert sentence["y"] + sentence["height"] <= 720
    assert figure["y"] + figure["height"] <= 720
    assert chart["y"] + chart["height"] <= 720, chart
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.get_by_text("Deploy").count()
    page.goto(server + "/?present=1&view=compare")
    wait_for_charts(page, 1)
    page.wait_for_timeout(500)
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    assert chart["y"] < 720 - 300, chart  # the comparison's chart starts high enough to be read
    for knob in ("Initial trust", "Water inflow (share of total need)"):
        assert page.get_by_text(knob).first.bounding_box()["y"] < 720
    page.close()


@pytest.mark.parametrize("where", ["step=1", "step=4", "view=compare", "view=negotiation", "view=data", "view=learn"])
def test_the_indonesian_page_has_no_english_leftovers_and_no_decimal_points(server, browser, where):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(server + f"/?lang=id&{where}")
    page.locator("[data-testid='stSidebar']").get_by_text("Skenario").first.wait_for(timeout=60_000)
    # The page's own words replace the uploader's once its style sheet is in (or this times out and fails).
    page.wait_for_function("Array.from(document.querySelectorAll('[data-testid=stFileUploaderDropzone] button p'))"
                           ".every(p => p.offsetParent === null)", timeout=30_000)
    finished(page)
    text = visible_text(page)
    for english in ("Upload", "Browse files", "Drag and drop", "Limit 1MB", "Deploy", "round", "Season", "Harvest",
                    "Water", "Trust", "Step ", "Share", "Organisation "):
        assert english not in text, f"{english!r} on the Indonesian page ({where})"
    if where != "view=data":  # the data table's cells are the raw figures a researcher downloads
        assert not decimal_points(text), decimal_points(text)[:10]
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
    pages["a"].goto(server + "/?view=compare&trust.initial=0.9")
    pages["b"].goto(server + "/?view=compare&lang=id&water.inflow=0.7")
    pages["c"].goto(server + "/?view=compare")
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
    # untouched: still the preset's 0.5, which the sidebar shows as a percentage
    assert pages["c"].get_by_role("slider", name="Initial trust").get_attribute("aria-valuetext") == "50%"
    for page in pages.values():
        page.close()


TOOLBAR_PAGES = ("view=compare", "view=watch", "view=negotiation", "step=2", "step=6")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 720}],
                         ids=["phone", "laptop"])
def test_in_the_expert_view_the_charts_toolbar_never_covers_a_legend(server, browser, viewport):
    """The expert view shows Plotly's toolbar when a chart is touched or hovered; a new user's trial saw it over the
    legend. Every chart of every page with a legend, hovered: the toolbar's box and the legend's do not meet."""
    phone = viewport["width"] < 500
    page = browser.new_page(viewport=viewport, is_mobile=phone, has_touch=phone)
    checked = 0
    for where in TOOLBAR_PAGES:
        page.goto(server + f"/?lang=id&expert=1&{where}")
        wait_for_charts(page, 1)
        finished(page)
        for n, chart in enumerate(page.locator(".js-plotly-plot").all()):
            chart.scroll_into_view_if_needed()
            chart.hover(position={"x": 3, "y": 3})  # the corner: no hover label of the data
            chart.locator(".modebar").wait_for(state="visible", timeout=10_000)
            # the toolbar and each of its buttons (a button wrapped onto a second row or column lies outside the
            # toolbar's own box)
            bars = [e.bounding_box() for e in chart.locator(".modebar, .modebar-btn").all()]
            legends = chart.evaluate("""(root) => Array.from(root.querySelectorAll('.legend'))
                .filter(e => !e.closest('.hoverlayer') && e.getBoundingClientRect().width > 0)
                .map(e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; })""")
            page.screenshot(path=str(SHOTS / f"expert-toolbar-{viewport['width']}-{where.replace('=', '')}-{n + 1}.png"))
            for legend in legends:
                for bar in bars:
                    apart = (bar["x"] >= legend["x"] + legend["width"] or legend["x"] >= bar["x"] + bar["width"]
                             or bar["y"] >= legend["y"] + legend["height"] or legend["y"] >= bar["y"] + bar["height"])
                    assert apart, f"{where}, chart {n + 1}: the toolbar {bar} covers the legend {legend}"
                checked += 1
    assert checked >= len(TOOLBAR_PAGES), checked  # legends were found and measured
    page.close()

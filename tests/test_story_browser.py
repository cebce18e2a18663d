"""The guided story on a real projector and a real phone, in Debian's headless Chromium (Playwright) against
`streamlit run app.py`: one server and one browser for the module, each viewport one page that clicks through the
six steps.

At 1280×720 (a projector), in English and Indonesian, with presenter mode on and off, every step shows its chart's
plot area, axis titles and legend, its knob and the facilitator's question without scrolling. At 390×844 (a phone)
every tap target is at least 44 px each way (WCAG 2.5.5), tick labels are at least 14 px, no text of the page
overlaps a chart, and nothing inside a chart overlaps (titles, legends, ticks of small multiples).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.streamlit_server import CHROMIUM
from tests.test_app_browser import SHOTS
from tests.test_app_browser import decimal_points, visible_text
from ui import story
from ui.text import TEXT, t

pytest.importorskip("playwright.sync_api")  # the `browser` fixture (conftest) drives it
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)", pytrace=False)

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
WAIT = 60_000  # ms: a step's runs on a busy machine
TAP = 44  # px: WCAG 2.5.5's target size
THUMB = ".st-key-story_knob [data-testid='stSlider'] div:has(> div > input[type=range])"  # the knob's thumb


def english_words() -> set[str]:
    """Every word of 4 letters or more in the app's English texts, less those its Indonesian texts use too (proper
    names such as Collective Impact, Jalin Tenggara or Lax & Sebenius; Data)."""
    indonesian = {w.lower() for v in TEXT.values() for w in re.findall(r"[A-Za-z]{4,}", v.get("id", ""))}
    english = {w for v in TEXT.values() for w in re.findall(r"[A-Za-z]{4,}", v["en"])}
    return {w for w in english if w.lower() not in indonesian}


ENGLISH = english_words()


def no_english(page, where: str) -> None:
    """The Indonesian page has no English word of the app's (the language switch's "English" and Streamlit's
    keyboard link, off the screen until it has the focus, aside), no English of Streamlit's, no decimal point."""
    text = visible_text(page).replace("English", "").replace("Skip to main content", "")
    icons = page.evaluate("Array.from(document.querySelectorAll('[data-testid=stIconMaterial]')).map(e => e.textContent)")
    for icon in icons:  # Material icons are drawn from their names ("upload"): a picture, not a word
        text = text.replace(icon, "")
    found = sorted(w for w in ENGLISH if re.search(rf"\b{w}\b", text))
    assert not found, f"English on the Indonesian page ({where}): {found}"
    assert not [w for w in ("Deploy", "Running", "Download", "Zoom", "Autoscale") if w in text], where
    assert not decimal_points(text), f"decimal points on the Indonesian page ({where}): {decimal_points(text)[:5]}"


def script_done(page) -> None:
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT)
    page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=WAIT)


def settled(page) -> None:
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 1", timeout=WAIT)
    script_done(page)


def on_step(page, i: int, lang: str) -> None:
    """Wait until the page shows step ``i`` (from 0), its chart drawn for it."""
    step = story.STEPS[i]
    page.locator(".st-key-story_nav").get_by_text(t(f"story.{step.key}.title", lang)).wait_for(timeout=WAIT)
    page.get_by_text(t(f"story.{step.key}.knob_does", lang)).wait_for(timeout=WAIT)
    settled(page)


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not on the page"
    return found


def on_screen(found: dict, viewport: dict, what: str) -> None:
    assert found["x"] >= -1 and found["y"] >= -1, (what, found)
    assert found["x"] + found["width"] <= viewport["width"] + 1, (what, found, "off the right edge")
    assert found["y"] + found["height"] <= viewport["height"] + 1, (what, found, "below the fold")


def inside(inner: dict, outer: dict) -> bool:
    return (inner["x"] >= outer["x"] - 1 and inner["y"] >= outer["y"] - 1
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1)


def overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (a["x"] + slack < b["x"] + b["width"] and b["x"] + slack < a["x"] + a["width"]
            and a["y"] + slack < b["y"] + b["height"] and b["y"] + slack < a["y"] + a["height"])


def chart_boxes(page, chart) -> dict[str, list[dict]]:
    """The boxes of a chart's text and of its plot area, by kind."""
    return chart.evaluate("""(root) => {
        const boxes = sel => Array.from(root.querySelectorAll(sel)).filter(e => e.getBBox && e.getBoundingClientRect().width > 0)
            .map(e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height,
                                                                     text: e.textContent}; });
        return {plot: boxes('.nsewdrag'), legend: boxes('.legend'), xtitle: boxes('.g-xtitle text, [class^=g-x][class$=title] text'),
                ytitle: boxes('.g-ytitle text, [class^=g-y][class$=title] text'), ticks: boxes('.xtick text, .ytick text'),
                xticks: boxes('.xtick text'), yticks: boxes('.ytick text'),
                notes: boxes('.annotation-text-g'), title: boxes('.gtitle')};
    }""")


def test_every_story_step_fits_a_projector_in_both_languages_with_and_without_presenter_mode(server, browser):
    page = browser.new_page(viewport=PROJECTOR)
    for present in (False, True):
        for lang in ("en", "id"):
            page.goto(server + f"/?lang={lang}&step=1" + ("&present=1" if present else ""))
            for i, step in enumerate(story.STEPS):
                where = f"{lang}, presenter {'on' if present else 'off'}, step {i + 1} ({step.key})"
                if i:
                    page.locator(".st-key-story_next button").click()
                on_step(page, i, lang)
                chart = page.locator(".st-key-chart_story .js-plotly-plot, [class*=st-key-chart_story] .js-plotly-plot").first
                outer = chart.bounding_box()
                assert outer is not None, where
                parts = chart_boxes(page, chart)
                assert parts["plot"], f"{where}: no plot area"
                for kind in ("plot", "legend", "xtitle", "ytitle"):
                    for part in parts[kind]:
                        on_screen(part, PROJECTOR, f"{where}: the chart's {kind}")
                        assert inside(part, outer), f"{where}: the chart's {kind} is clipped: {part} outside {outer}"
                if step.key != "backbone":  # the bar chart of tasks names its bars; it needs no legend
                    assert parts["legend"], f"{where}: no legend"
                ticks_apart(parts, where)
                on_screen(box(page, f"{THUMB}"), PROJECTOR, f"{where}: the knob")
                on_screen(box(page, ".st-key-story_knob [data-testid='stSliderTickBar']"), PROJECTOR, f"{where}: the knob's ends")
                on_screen(box(page, ".st-key-story_knob label"), PROJECTOR, f"{where}: the knob's label")
                on_screen(box(page, ".st-key-facilitator_note"), PROJECTOR, f"{where}: the question")
                on_screen(box(page, ".story-sentence"), PROJECTOR, f"{where}: the sentence")
                # folded away, or not shown at all (presenter mode); Streamlit marks it data-collapsed (an earlier
                # check looked for aria-expanded, which it never sets, and so could not fail)
                sidebar = page.locator("[data-testid='stSidebar']")
                folded = sidebar.get_attribute("data-collapsed") == "true" or not sidebar.is_visible()
                assert sidebar.count() == 1 and folded, f"{where}: sidebar open"
                if lang == "id":
                    no_english(page, where)
                if present and i + 1 in LABELLED:
                    labels_off_their_lines(page, lang, PROJECTOR, i + 1)
                page.screenshot(path=str(SHOTS / f"story-projector-{lang}-{'present' if present else 'plain'}-{i + 1}.png"))
    page.close()


def tap_targets(page) -> list[tuple[str, dict]]:
    """Everything a finger can press on the page a phone shows: the main area, the top bar (language, views, the
    presenter and expert switches), the header's button that opens the sidebar and, when it is open, the sidebar:
    buttons, switches, slider thumbs, help icons, expanders, links, and the fields of selects, numbers and text,
    with their boxes. What lies off the screen to the left (the folded sidebar, the keyboard's "skip to content"
    link until it has the focus) is not under a finger."""
    return page.evaluate("""() => {
        const sel = "button, [data-testid=stSlider] div:has(> div > input[type=range]), label:has(input[type=checkbox]), "
                  + "[data-testid=stTooltipHoverTarget], a[href], summary, [data-baseweb=select] > div, "
                  + "[data-testid=stNumberInputContainer], [data-testid=stTextInputRootElement]";
        return Array.from(document.querySelectorAll(sel))
            .filter(e => e.offsetParent !== null && !e.closest('.js-plotly-plot'))
            .filter(e => e.getBoundingClientRect().right > 0 && e.getAttribute('data-testid') !== 'stSkipToContent')
            .map(e => { const r = e.getBoundingClientRect();
                        const where = e.closest('[data-testid=stSidebar]') ? 'sidebar: ' : '';
                        return [where + (e.innerText || e.getAttribute('aria-label') || e.tagName).slice(0, 40),
                                {x: r.x, y: r.y, width: r.width, height: r.height}]; });
    }""")


def no_small_targets(page, where: str) -> None:
    small = [(name, round(b["width"]), round(b["height"])) for name, b in tap_targets(page)
             if b["width"] < TAP - 0.5 or b["height"] < TAP - 0.5]
    assert not small, f"{where}: tap targets under {TAP} px: {small}"


SIDEBAR = "[data-testid=stSidebar]"


def sidebar_on_a_phone(page, where: str) -> None:
    """Open the sidebar as a phone does (the button in the page's header), unfold every group in it, check its tap
    targets, and close it again."""
    page.locator("[data-testid=stExpandSidebarButton]").click()
    page.wait_for_function(f"document.querySelector('{SIDEBAR}').getAttribute('data-collapsed') === 'false'")
    folded = page.locator(f"{SIDEBAR} details:not([open]) > summary")
    while folded.count():
        folded.first.click()
    page.locator(f"{SIDEBAR} [data-testid=stSlider]").last.wait_for()
    inside_sidebar = [name for name, _ in tap_targets(page) if name.startswith("sidebar: ")]
    assert len(inside_sidebar) > 40, f"{where}: the sidebar's controls were not found ({inside_sidebar})"
    no_small_targets(page, f"{where}, sidebar open")
    page.locator(f"{SIDEBAR} [data-testid=stSidebarCollapseButton] button").click()
    page.wait_for_function(f"document.querySelector('{SIDEBAR}').getAttribute('data-collapsed') === 'true'")


def ticks_apart(parts: dict[str, list[dict]], where: str) -> None:
    """No two labels of one axis overlap (step 5's task names, on two lines each, once sat on one another)."""
    for kind in ("xticks", "yticks"):
        for n, a in enumerate(parts[kind]):
            for b in parts[kind][n + 1:]:
                assert not overlap(a, b, slack=1), f"{where}: tick {a['text'][:30]!r} overlaps {b['text'][:30]!r}"


def panel_boxes(chart) -> dict[str, list[dict]]:
    """Each panel's plot area and every axis's tick labels (of every panel: ``.y2tick`` and the like, which
    :func:`chart_boxes` leaves out), each with the axis or panel it belongs to ("x2", "y2"; "x2y2")."""
    return chart.evaluate("""(root) => {
        const box = (e, extra) => { const r = e.getBoundingClientRect();
                                    return {x: r.x, y: r.y, width: r.width, height: r.height, ...extra}; };
        return {plots: Array.from(root.querySelectorAll('.nsewdrag'))
                    .map(e => box(e, {panel: e.getAttribute('data-subplot')})),
                ticks: Array.from(root.querySelectorAll('g[class$=tick] > text'))
                    .filter(e => e.getBoundingClientRect().width > 0)
                    .map(e => box(e, {axis: e.parentNode.getAttribute('class').replace('tick', ''),
                                      text: e.textContent}))};
    }""")


def ticks_off_other_panels(chart, where: str) -> None:
    """No tick label of one panel sits on another panel's plot area (on a phone, the right-hand panels' percentages
    sat on the left-hand panels' lines)."""
    found = panel_boxes(chart)
    for tick in found["ticks"]:
        for plot in found["plots"]:
            axes = re.fullmatch(r"(x\d*)(y\d*)", plot["panel"] or "")
            if axes and tick["axis"] in axes.groups():
                continue  # its own panel
            assert not overlap(tick, plot, slack=1), \
                f"{where}: tick {tick['text']!r} of axis {tick['axis']} lies on panel {plot['panel']}: {tick} {plot}"


def phone_checks(page, where: str) -> None:
    no_small_targets(page, where)
    ticks = page.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text'))"
                          ".map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert ticks and min(ticks) >= 14, f"{where}: tick labels of {min(ticks)} px"
    texts = page.evaluate("""() => Array.from(document.querySelectorAll(  // the text itself, not its containers
            '[data-testid=stMain] p, [data-testid=stMain] li, [data-testid=stMain] .story-sentence, '
            + '[data-testid=stMain] [data-testid=stMetricValue], [data-testid=stMain] h1, [data-testid=stMain] h2, '
            + '[data-testid=stMain] h3'))
        .filter(e => e.offsetParent !== null && !e.closest('.js-plotly-plot'))
        .map(e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height,
                                                                 text: e.innerText.slice(0, 40)}; })""")
    for chart in page.locator(".js-plotly-plot").all():
        outer = chart.bounding_box()
        for text in texts:
            assert not overlap(text, outer), f"{where}: {text['text']!r} overlaps a chart"
        parts = chart_boxes(page, chart)
        ticks_apart(parts, where)
        ticks_off_other_panels(chart, where)
        labels = [(kind, p) for kind in ("legend", "notes", "title", "xtitle", "ytitle", "ticks") for p in parts[kind]]
        for part in [p for kind, p in labels if kind != "ticks"]:
            assert inside(part, outer), f"{where}: {part['text'][:30]!r} is cut off by the chart's edge"
        for n, (kind_a, a) in enumerate(labels):
            for kind_b, b in labels[n + 1:]:
                if kind_a == kind_b == "ticks" or "notes" in (kind_a, kind_b) and "ticks" in (kind_a, kind_b):
                    continue  # ticks of one axis never touch; a mark's label may cross a grid line's tick
                assert not overlap(a, b, slack=2), f"{where}: {a['text'][:30]!r} overlaps {b['text'][:30]!r}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_on_a_phone_every_tap_target_is_44px_ticks_are_readable_and_no_text_overlaps_a_chart(server, browser, lang):
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(server + f"/?lang={lang}&step=1")
    for i, step in enumerate(story.STEPS):
        if i:
            page.locator(".st-key-story_next button").click()
        on_step(page, i, lang)
        if i == 0:
            assert page.get_by_text(t("app.tagline", lang)).first.is_visible(), "the tagline is hidden on a phone"
        phone_checks(page, f"{lang}, phone, step {i + 1}")
        if i + 1 in LABELLED:
            labels_off_their_lines(page, lang, PHONE, i + 1)
        page.screenshot(path=str(SHOTS / f"story-phone-{lang}-{i + 1}.png"), full_page=True)
    for view in ("compare", "negotiation"):
        page.goto(server + f"/?lang={lang}&view={view}")
        settled(page)
        phone_checks(page, f"{lang}, phone, {view}")
        page.screenshot(path=str(SHOTS / f"phone-{lang}-{view}.png"), full_page=True)
        if view == "compare":
            table_fits(page, f"{lang}, phone, compare")
            sidebar_on_a_phone(page, f"{lang}, phone, compare")
    page.goto(server + f"/?lang={lang}&view=watch")  # the river's Play and Pause are Plotly's own buttons
    settled(page)
    buttons = [b.bounding_box() for b in page.locator(".updatemenu-button").all()]
    assert len(buttons) == 2 and all(b["height"] >= TAP - 0.5 and b["width"] >= TAP for b in buttons), buttons
    no_small_targets(page, f"{lang}, phone, watch")
    page.goto(server + f"/?lang={lang}&view=learn")
    page.locator("[data-testid=stMain] details summary").nth(6).wait_for(timeout=WAIT)
    script_done(page)  # the run over, nothing stale: what is measured is what stays on the screen
    no_small_targets(page, f"{lang}, phone, learn")
    page.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_on_a_phone_the_small_multiples_keep_their_tick_labels_off_each_others_panels(server, browser, lang):
    """The comparison's four panels and the village's six, two columns on a 390-pixel phone: each panel's tick
    labels stay clear of every other panel (a new user's trial saw the right-hand ones on the left-hand lines)."""
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    for view, key in (("compare", "chart_compare"), ("watch", "chart_series")):
        page.goto(server + f"/?lang={lang}&view={view}")
        settled(page)
        chart = page.locator(f"[class*=st-key-{key}] .js-plotly-plot").first
        chart.wait_for(timeout=WAIT)
        panels = panel_boxes(chart)["plots"]
        assert len(panels) >= 4, f"{view}: {len(panels)} panels"
        assert len({round(p["x"]) for p in panels}) == 2, f"{view}: not two columns"
        ticks_off_other_panels(chart, f"{lang}, phone, {view}")
        page.screenshot(path=str(SHOTS / f"phone-{lang}-{view}-panels.png"), full_page=True)
    page.close()


def labels_and_lines(chart) -> dict:
    """A story chart's annotation labels and bar figures (boxes), its dotted marks (their x on the screen), and its
    lines (points along each trace's path, on the screen)."""
    return chart.evaluate("""(root) => {
        const box = e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height,
                                                                       text: e.textContent}; };
        const points = Array.from(root.querySelectorAll('.scatterlayer .trace path.js-line')).flatMap(path => {
            const m = path.getScreenCTM(), n = path.getTotalLength(), out = [];
            for (let i = 0; i <= 400; i++) {
                const p = path.getPointAtLength(n * i / 400);
                out.push({x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f});
            }
            return out; });
        return {notes: Array.from(root.querySelectorAll('.annotation-text-g')).map(box),
                bars: Array.from(root.querySelectorAll('.bartext')).map(box),
                marks: Array.from(root.querySelectorAll('.shapelayer path')).map(e => e.getBoundingClientRect())
                    .filter(r => r.width < 1).map(r => r.x),
                points};
    }""")


LABELLED = (2, 3, 5)  # the story steps whose labels a trial found on lines (step 2's must stay where the water is not)


def labels_off_their_lines(page, lang: str, viewport: dict, step: int) -> None:
    """Step 5's figures on the bars (each near the harvest without a backbone) sat on that dotted line, and step 3's
    "river dry" on the expanding village's line (a new user's trial): no bar figure crosses a dotted mark, no
    collapse label lies on a line of the chart. Checked on the pages the phone's and the projector's walks through
    the story open anyway."""
    where = f"{lang}, {viewport['width']} px, step {step}"
    chart = page.locator("[class*=st-key-chart_story] .js-plotly-plot").first
    found = labels_and_lines(chart)
    chart.screenshot(path=str(SHOTS / f"story-labels-{lang}-{viewport['width']}-{step}.png"))
    if step == 5:
        assert found["bars"] and found["marks"], where
        for bar in found["bars"]:  # 4 px clear of the line: a figure whose "%" touches it reads as sitting on it
            for x in found["marks"]:
                assert not bar["x"] - 4 < x < bar["x"] + bar["width"] + 4, f"{where}: {bar['text']!r} on the line at {x}: {bar}"
    else:
        notes = [n for n in found["notes"] if t("chart.dry", lang) in n["text"]]
        assert notes and found["points"], where
        for note in notes:
            on = [p for p in found["points"] if note["x"] - 2 < p["x"] < note["x"] + note["width"] + 2
                  and note["y"] - 2 < p["y"] < note["y"] + note["height"] + 2]
            assert not on, f"{where}: {note['text']!r} lies on a line ({len(on)} points, e.g. {on[0]})"


def table_fits(page, where: str) -> None:
    """The compare view's table of figures (what a phone shows instead of fifteen cards) lies inside the page: no
    cell of it runs past the screen's right edge or is hidden past its own box."""
    table = page.locator(".st-key-headline_table table")
    table.scroll_into_view_if_needed()
    cells = table.evaluate("""(t) => Array.from(t.querySelectorAll('th, td')).map(c => {
        const r = c.getBoundingClientRect(); return {text: c.innerText, left: r.left, right: r.right}; })""")
    assert len(cells) >= 20, f"{where}: {len(cells)} cells"
    outside = [c["text"] for c in cells if c["right"] > PHONE["width"] + 0.5 or c["left"] < -0.5]
    assert not outside, f"{where}: cut off at the page's edge: {outside}"
    holder = table.evaluate("t => { const p = t.closest('[data-testid=stMarkdownContainer]'); "
                            "return [p.scrollWidth, p.clientWidth, p.getBoundingClientRect().right]; }")
    hidden = [c["text"] for c in cells if c["right"] > holder[2] + 0.5]
    assert not hidden and holder[0] <= holder[1] + 1, f"{where}: the table is wider than its box {holder}: {hidden}"


@pytest.mark.parametrize("view", ["compare", "learn", "negotiation"])
def test_the_other_indonesian_views_have_no_english_word(server, browser, view):
    page = browser.new_page(viewport=PROJECTOR)
    page.goto(server + f"/?lang=id&view={view}")
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT)
    page.locator("[data-testid='stSidebar']").get_by_text("Skenario").first.wait_for(timeout=WAIT)
    if view != "learn":
        settled(page)
    no_english(page, view)
    assert not page.locator(".modebar-container .modebar").count(), f"{view}: the chart's toolbar (English) is shown"
    if view != "learn":  # a chart above the fold on a laptop or projector, sidebar open: 250 px of it at least
        chart = page.locator(".js-plotly-plot").first.bounding_box()
        assert chart["y"] <= PROJECTOR["height"] - 250, f"{view}: the chart starts at {chart['y']} px"
    page.close()


def test_on_a_phone_the_join_with_a_code_field_and_button_are_44px(server, browser):
    """The front page's "join with a code" opens in a popover, which sits outside the app's box: its field and
    button were 36 and 40 px tall (a new user's trial), under the page's own rules."""
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(server + "/?lang=id")
    page.locator(".st-key-join_code_menu button").first.click(timeout=WAIT)
    page.locator("[data-testid=stPopoverBody] input").first.wait_for(timeout=WAIT)
    boxes = [e.bounding_box() for e in page.locator("[data-testid=stPopoverBody] input, "
                                                    "[data-testid=stPopoverBody] button").all()]
    assert len(boxes) >= 2 and all(b["height"] >= TAP - 0.5 for b in boxes), boxes
    page.close()

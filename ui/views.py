"""The page: sidebar knobs and the five views. Each function draws one part and takes what it needs as arguments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from sim.commons import CommonsConfig
from sim.scenarios import MAX_SCENARIO_BYTES, ScenarioError, parse_scenario
from ui import charts, fmt, share, state, story
from ui.controls import BY_SETTING, CONTROLS, GROUPS, MIX_KEYS
from ui.runs import Run, simulate, variants
from ui.text import LANGUAGES, TEXT, problem_text, t

PRESENTER_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"] {display: none;}
html, body, [class*="css"], .stMarkdown p, .stMetric {font-size: 1.3rem !important;}
div[data-testid="stMetricValue"] {font-size: 2.6rem !important;}
.story-sentence {font-size: 24px !important; line-height: 1.3 !important;}
.st-key-story_knob [data-testid="stCaptionContainer"] p, .st-key-story_versus p {font-size: 16px !important;}
.st-key-facilitator_note p {font-size: 18px !important;}
.st-key-story_nav [data-testid="stCaptionContainer"] p {font-size: 14px !important; line-height: 1.25 !important;}
.st-key-top_bar [data-testid="stButtonGroup"] button {min-height: 2.2rem; padding: 0 0.6rem;}
.st-key-headline_presenter table {font-size: 1rem !important;}
.block-container {padding-top: 1rem !important;}
.st-key-top_bar p, .st-key-top_bar button {font-size: 16px !important;}
</style>
"""

# On a phone the headline figures read better as one table than as fifteen stacked cards (see compare()). The story's
# sentence is the largest text on the page; Streamlit's file uploader is put in the page's language (its own words
# are English only: they are hidden and the page's are shown in their place).
BASE_CSS = """
<style>
.story-sentence {font-size: 1.45rem; line-height: 1.35; font-weight: 600; margin: 0.2rem 0 0.6rem 0;}
.st-key-headline_table {display: none;}
[data-testid="stMetricLabel"] p {white-space: normal !important;}
@media (max-width: 640px) {
  .st-key-present {display: none;}
  h1 {font-size: 1.5rem !important;}
  h3 {font-size: 1.2rem !important;}
  /* Every tap target at least 44 px each way (WCAG 2.5.5), on the page, in its top bar and in the sidebar:
     buttons (the sidebar's own open and close buttons too), the language and view switches, switches, help icons,
     expanders, the fields of selects and numbers, and the slider's thumb (a transparent ring around the visible
     dot). A heading's link icon shows on hover only, which a phone does not have: it is left out. */
  .stApp button {min-height: 44px; min-width: 44px;}
  .st-key-top_bar [data-testid="stElementContainer"] {max-width: 100%%;}
  [data-testid="stButtonGroup"] [role="radiogroup"] {flex-wrap: wrap;}
  .stApp label:has(input[type="checkbox"]) {min-height: 44px; align-items: center;}
  .stApp [data-testid="stTooltipHoverTarget"] {min-width: 44px; min-height: 44px; display: flex;
    align-items: center; justify-content: center;}
  .stApp details > summary {min-height: 44px;}
  .stApp [data-baseweb="select"] > div, .stApp [data-testid="stNumberInputContainer"],
  .stApp [data-testid="stTextInputRootElement"], .stApp [data-testid="stTextInputRootElement"] input {min-height: 44px;}
  /* a popover's content sits outside the app's box (the front page's "join with a code") */
  [data-testid="stPopoverBody"] button, [data-testid="stPopoverBody"] input {min-height: 44px;}
  [data-testid="stHeaderActionElements"] {display: none;}
  [data-testid="stSlider"] div:has(> div > input[type="range"]) {width: 44px !important; height: 44px !important;
    border: 14px solid transparent; background-clip: padding-box; box-sizing: border-box;}
  .story-sentence {font-size: 1.2rem;}
  .st-key-headline_cards {display: none;}
  .st-key-headline_table {display: block;}
  /* That table fits the phone's width (at the page's size it ran past the right edge); should a longer language
     still not fit, it scrolls inside its own box, never off the page. */
  .st-key-headline_table [data-testid="stMarkdownContainer"] {overflow-x: auto;}
  .st-key-headline_table table {width: 100%%; font-size: 0.85rem;}
  .st-key-headline_table th, .st-key-headline_table td {padding: 0.3rem 0.4rem;}
}
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small,
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {content: "%(drop)s"; font-size: 0.85rem;}
[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after {content: "%(browse)s";}
</style>
"""

# The story on a 1280×720 projector: no blank band above the page, tighter rows, a smaller title, and the step's
# figure, knob and question beside its chart (see story_view), so nothing the room needs is below the fold.
FRAME_CSS = """
<style>
.block-container {padding-top: 0.7rem !important; padding-bottom: 1rem !important;}
header[data-testid="stHeader"], header[data-testid="stHeader"] * {pointer-events: none !important;}
header[data-testid="stHeader"] {background: transparent; height: 0; overflow: visible;}
header[data-testid="stHeader"] button, header[data-testid="stHeader"] button * {pointer-events: auto !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.55rem;}
h1 {font-size: 1.5rem !important; line-height: 1.25 !important; padding: 0 !important;}
@media (max-width: 640px) {
  h1 {font-size: 1.25rem !important;}
  .block-container {padding: 3rem 1rem 1rem 1rem !important;}
}
.st-key-tagline {margin-top: 0.2rem;}
.story-sentence {font-size: 1.25rem; line-height: 1.3;}
</style>
"""
STORY_CSS = """
<style>
@media (min-width: 641px) {.block-container {padding-left: 3.5rem !important; padding-right: 2rem !important;}}
.story-sentence {font-size: 1.2rem; line-height: 1.3; margin: 0 0 0.3rem 0;}
@media (min-width: 641px) {.st-key-story_nav {flex-wrap: nowrap;}}
@media (max-width: 640px) {.story-sentence {font-size: 1.05rem;}}
.st-key-story_nav p {margin: 0;}
.st-key-story_knob [data-testid="stCaptionContainer"] {margin-top: -0.6rem;}
.st-key-facilitator_note [data-testid="stAlert"] > div {padding: 0.5rem 0.8rem;}
</style>
"""

VIEWS = ("story", "compare", "watch", "negotiation", "learn", "data")
PRESENTER_VIEWS = ("story", "compare", "watch")
LIVE_KNOBS = ("trust.initial", "water.inflow", "backbone.present")  # on the page in presenter mode


def style(css: str, key: str) -> None:
    """A style sheet for the page in a container that takes no room. (``st.html`` takes no room either, but its
    style was dropped and re-added on every rerun, so Streamlit's English words flashed back in between.)"""
    with st.container(key=key):
        hide = f"[data-testid=stLayoutWrapper]:has(> .st-key-{key}) {{display: none;}}"
        st.markdown(css.replace("<style>", f"<style>\n{hide}", 1), unsafe_allow_html=True)


# -- top of the page -------------------------------------------------------------------------------------------------
def _language_switch() -> str:
    """The language buttons and the page's style sheet in that language; returns the language."""
    if st.session_state.get("lang") not in LANGUAGES:  # a segmented control can be emptied by a second click
        st.session_state["lang"] = st.session_state.get("lang_kept", "en")
    lang = st.session_state["lang"]
    st.session_state["lang_kept"] = lang
    st.segmented_control(t("app.language", lang), options=list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
                         selection_mode="single", label_visibility="collapsed")
    style(BASE_CSS % {"drop": t("upload.drop", lang), "browse": t("upload.browse", lang)}, "page_style")
    page_language(lang)
    return lang


PAGE_LANGUAGE = """<script>
document.documentElement.lang = %(lang)s;
for (const link of document.querySelectorAll("a[href='#main-content'], a[href^='#stMain']")) {
  link.textContent = %(skip)s;
}
</script>"""


def page_language(lang: str) -> None:
    """The page's language in ``<html lang>`` (screen readers, the browser's translation offer, hyphenation) and in
    Streamlit's hidden "Skip to main content" link for keyboards; Streamlit itself leaves both English. In a
    container that takes no room, as :func:`style`."""
    import json

    key = "page_language"
    with st.container(key=key):
        st.markdown(f"<style>[data-testid=stLayoutWrapper]:has(> .st-key-{key}) {{display: none;}}</style>",
                    unsafe_allow_html=True)
        st.html(PAGE_LANGUAGE % {"lang": json.dumps(lang), "skip": json.dumps(t("room.skip", lang))},
                unsafe_allow_javascript=True)


def join_by_code(lang: str) -> None:
    """The front page's way into a live room: type the code the projector shows (a latecomer without the link)."""
    from rooms.keys import normalise_code

    with st.popover(t("room.code.title", lang), key="join_code_menu", type="tertiary"):
        with st.form("join_code"):
            code = st.text_input(t("room.code.field", lang), key="join_code", max_chars=12)
            go = st.form_submit_button(t("room.code.go", lang), type="primary")
        if go and normalise_code(code):
            st.query_params.from_dict({"room": normalise_code(code), "lang": lang})
            st.rerun()


def top_bar() -> tuple[str, str]:
    """The views, the language, presenter mode and the expert switch on one row that wraps on a phone, always in
    reach (the sidebar is folded away on a phone and hidden on a projector). Returns the language and the view."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="top_bar"):
        lang = _language_switch()
        if not st.session_state.get("present"):  # the projector joins no room: its row stays one row
            join_by_code(lang)
        st.toggle(t("app.presenter", lang), key="present", help=t("app.presenter.help", lang))
        st.toggle(t("app.expert", lang), key="expert", help=t("app.expert.help", lang))
        view = choose_view(lang, bool(st.session_state.get("present")))  # last: on a phone it wraps onto its own row
    return lang, view


def room_bar() -> str:
    """A live room's page keeps only the language switch: a participant's phone needs nothing else."""
    return _language_switch()


def header(lang: str, view: str, present: bool) -> None:
    """Title and tagline; the chosen scenario for the views that show it (the story has its own village)."""
    if not present:
        st.title(t("app.title", lang))
        with st.container(key="tagline"):
            st.caption(t("app.tagline", lang))
    if view in ("story", "learn"):
        return
    scenario = state.scenario()
    st.subheader(scenario.title(lang))
    if not present:  # folded: the view's chart comes first on a laptop or projector
        with st.expander(t("scenario.about", lang)):
            st.markdown(scenario.description(lang))


def choose_view(lang: str, present: bool) -> str:
    """Which view the page shows: buttons that wrap on a phone (tabs overflowed), kept when the language changes."""
    options = list(PRESENTER_VIEWS if present else VIEWS)
    if st.session_state.get("view") not in options:
        st.session_state["view"] = options[0]
    widget_key = f"view:{lang}:{int(present)}"
    copy_back = _per_language("view", widget_key, st.session_state["view"])
    st.segmented_control(t("view.choose", lang), options, key=widget_key, format_func=lambda v: t(f"view.{v}", lang),
                         on_change=copy_back, label_visibility="collapsed")
    return _take("view", widget_key)


# -- sidebar ---------------------------------------------------------------------------------------------------------------
def _on_scenario_change(widget_key: str) -> None:
    st.session_state["scenario_id"] = st.session_state[widget_key]
    st.session_state.pop("uploaded", None)
    state.reset_knobs()


def _per_language(value_key: str, widget_key: str, current, on_change=None):
    """Set up a widget keyed per language whose value lives under ``value_key``: the browser keeps a keyed widget's
    labels, so each language gets its own widget, seeded from the value. Returns the widget's change callback."""
    st.session_state[widget_key] = current

    def copy_back() -> None:
        if on_change is not None:
            on_change(widget_key)
        else:
            _take(value_key, widget_key)

    return copy_back


def _take(value_key: str, widget_key: str):
    """The widget's choice, kept under ``value_key`` (an emptied segmented control keeps the last choice)."""
    chosen = st.session_state.get(widget_key)
    if chosen is not None:
        st.session_state[value_key] = chosen
    return st.session_state[value_key]


def translated_select(label: str, options: list, value_key: str, lang: str, format_func, on_change=None):
    """A selectbox whose option labels are in the user's language (see :func:`_per_language`)."""
    widget_key = f"{value_key}:{lang}"
    current = st.session_state.get(value_key, options[0])
    copy_back = _per_language(value_key, widget_key, current if current in options else options[0], on_change)
    st.selectbox(label, options, key=widget_key, format_func=format_func, on_change=copy_back)
    return _take(value_key, widget_key)


def local_slider(label: str, low: float, high: float, step: float, value_key: str, lang: str, help: str | None = None,
                 disabled: bool = False, percent: bool = False) -> float:
    """A slider whose figures are written the language's way (0,25 in Indonesian: Streamlit's own slider writes a
    decimal point whatever the language), as percentages when ``percent`` (where the page speaks in percent). Keyed
    per language (:func:`_per_language`), so the value survives a language switch and runs that do not draw the
    slider."""
    count = int(round((high - low) / step))
    options = [round(low + i * step, 6) for i in range(count + 1)]
    current = st.session_state.get(value_key, options[0])
    if current not in options:  # a scenario's own value between two steps stays choosable
        options = sorted({*options, float(current)})
    digits = max(0, -int(np.floor(np.log10(step) + 1e-9)))
    widget_key = f"{value_key}:{lang}"
    copy_back = _per_language(value_key, widget_key, current)
    show = (lambda v: fmt.percent(v, lang)) if percent else (lambda v: fmt.number(v, lang, digits))
    st.select_slider(label, options, key=widget_key, format_func=show, help=help, disabled=disabled, on_change=copy_back)
    return _take(value_key, widget_key)


def _widget(control, lang: str, disabled: bool = False) -> None:
    label = t(control.setting, lang)
    help_key = f"{control.setting}.help"
    help_text = t(help_key, lang) if help_key in TEXT else None
    if control.kind == "slider":
        local_slider(label, float(control.low), float(control.high), float(control.step), control.key, lang, help_text,
                     disabled, percent=control.percent)
    elif control.kind == "int":
        st.slider(label, int(control.low), int(control.high), step=int(control.step), key=control.key, help=help_text)
    elif control.kind == "number":
        st.number_input(label, int(control.low), int(control.high), step=1, key=control.key, help=help_text)
    elif control.kind == "toggle":
        st.toggle(label, key=control.key, help=help_text)
    elif control.kind == "select":
        translated_select(label, list(control.options), control.key, lang, lambda o: t(f"matching.{o}", lang))


def sidebar(lang: str, present: bool) -> None:
    with st.sidebar:
        if st.session_state.get("view", "story") == "story":
            st.info(t("sidebar.story", lang))
        st.header(t("group.scenario", lang))
        translated_select(t("scenario.choose", lang), list(state.PRESETS), "scenario_id", lang,
                          lambda sid: state.PRESETS[sid].title(lang), on_change=_on_scenario_change)
        upload = st.file_uploader(t("scenario.upload", lang), type=["toml"], key="upload",
                                  help=t("scenario.upload.help", lang), max_upload_size=1)
        _take_upload(upload, lang)
        if st.button(t("scenario.reset", lang), key="reset"):
            state.reset_knobs()
        state.fill_knobs(state.scenario().config)
        backbone_on = bool(st.session_state["w:backbone.present"])
        for group in GROUPS:
            with st.expander(t(f"group.{group}", lang), expanded=group in ("trust", "strategies")):
                if group == "strategies":
                    st.caption(t("mix.help", lang))
                    for name, key in MIX_KEYS.items():
                        expert = ".expert" if st.session_state.get("expert") else ""  # the analysis terms
                        local_slider(t(f"mix.{name}{expert}", lang), 0.0, 1.0, 0.05, key, lang)
                for control in CONTROLS:
                    if control.group == group and not (present and control.setting in LIVE_KNOBS):
                        _widget(control, lang, disabled=control.backbone_function and not backbone_on)
        st.caption(t("app.share", lang))
        if not present:
            share.qr_code(lang, width=180)
        with st.expander(t("room.create.title", lang)):
            seats = st.number_input(t("room.create.seats", lang), 2, 60, 30, key="room_seats")
            from rooms.flow import MAX_MEETINGS, most_meetings

            meetings = st.number_input(t("room.create.meetings", lang), 1, MAX_MEETINGS, 6, key="room_seasons")
            term = st.selectbox(t("room.create.term", lang), [1, 2, 3, 4], key="room_term",
                                help=t("room.create.term.help", lang))
            mix = st.toggle(t("room.create.mix", lang), key="room_mix", help=t("room.create.mix.help", lang))
            hours = st.number_input(t("room.create.hours", lang), 1, 72, 12, key="room_hours")
            pin = st.text_input(t("room.create.pin", lang), key="room_create_pin", max_chars=8)
            st.caption(t("room.create.note", lang))
            most = most_meetings(int(term))
            if int(meetings) > most:  # said in the form's own words (meetings), before anything is created
                st.warning(t("room.create.too_many", lang, most=most, term=int(term)))
            if st.button(t("room.create", lang), key="room_create", disabled=int(meetings) > most):
                from ui import room
                from ui.room_shared import problem

                config, _ = state.chosen_config()
                try:
                    room.create_room(config, state.scenario().id, int(seats), int(meetings), int(term), bool(mix),
                                     float(hours), pin.strip() or None)
                except ValueError as error:  # a PIN that is not 3 to 8 digits
                    st.error(problem(error, lang))
                else:
                    st.rerun()


def _take_upload(upload, lang: str) -> None:
    """Validate an uploaded scenario; a bad one gets the list of what to fix, and the session carries on."""
    if upload is None:
        if st.session_state.pop("uploaded_id", None) is not None:
            st.session_state.pop("uploaded", None)
            state.reset_knobs()
        return
    if st.session_state.get("uploaded_id") == upload.file_id:
        return
    st.session_state["uploaded_id"] = upload.file_id
    try:
        if upload.size > MAX_SCENARIO_BYTES:
            raise ScenarioError([("file", f"is {upload.size:,} bytes; a scenario is at most {MAX_SCENARIO_BYTES:,}")], upload.name)
        scenario = parse_scenario(upload.getvalue(), upload.name)
    except ScenarioError as error:
        st.session_state.pop("uploaded", None)
        st.session_state["upload_problems"] = error.problems
        return
    st.session_state.pop("upload_problems", None)
    st.session_state["uploaded"] = scenario
    state.reset_knobs()


def problems(lang: str) -> None:
    for key, intro in (("upload_problems", "scenario.bad"), ("address_problems", "settings.bad"),
                       ("settings_problems", "settings.bad")):
        found = st.session_state.get(key)
        if found:
            st.error(t(intro, lang) + "\n" + "\n".join(f"- **{field}**: {problem_text(message, lang)}"
                                                       for field, message in found))
    uploaded = st.session_state.get("uploaded")
    if uploaded is not None:
        st.info(t("scenario.uploaded", lang, title=uploaded.title(lang)))


# -- runs ---------------------------------------------------------------------------------------------------------------
def compute(config) -> dict[str, Run] | None:
    """Run the three ways of bargaining (cached); a run that fails is reported, and the page stays usable."""
    try:
        return {label: simulate(cfg.model_dump_json(), negotiations=label == "yours")
                for label, cfg in variants(config).items()}
    except Exception as error:  # a degenerate combination of settings must not cost the workshop its page
        st.error(t("run.failed", st.session_state.get("lang", "en"), error=f"{type(error).__name__}: {error}"))
        return None


# -- views --------------------------------------------------------------------------------------------------------------
def quarter_gap(organisations: pd.DataFrame) -> float:
    """How many times the best-off quarter's harvest the worst-off quarter's is, over the run: the plain-words
    measure of inequality (NaN when the worst-off harvest nothing or less, where a ratio means nothing)."""
    totals = np.sort(organisations.groupby("organisation").payoff.sum().to_numpy())
    q = max(1, totals.size // 4)
    low, high = totals[:q].mean(), totals[-q:].mean()
    return float(high / low) if low > 0 else float("nan")


def worst_quarter(organisations: pd.DataFrame, config: CommonsConfig, seasons: int) -> float:
    """The harvest after costs of the worst-off quarter of the organisations, per organisation and season, as a
    share of a full harvest: who is left behind, in the unit of the other harvests."""
    totals = np.sort(organisations.groupby("organisation").payoff.sum().to_numpy())
    q = max(1, totals.size // 4)
    o = config.organisations
    return float(totals[:q].mean() / (seasons * o.need * o.water_value))


def village_harvest(config: CommonsConfig) -> float:
    """The whole village's harvest in one season with every organisation's need met, in the model's units: what a
    chart divides the village's welfare by to say each one's net harvest as a share of a full harvest."""
    o = config.organisations
    return config.world.organisations * o.need * o.water_value


def headline(run: Run, config: CommonsConfig) -> dict[str, float]:
    table = run.seasons
    collapsed = np.flatnonzero(table.collapsed.to_numpy() > 0)
    return {
        "welfare": float(table.total_welfare.sum()),
        "harvest": story.full_harvests(table, config),
        "water": float(table.stock_share.iloc[-1]),
        "gini": float(table.gini.mean()),
        "gap": quarter_gap(run.organisations),
        "worst": worst_quarter(run.organisations, config, len(table)),
        "agreements": float(table.agreement_rate.mean()),
        "collapse": int(collapsed[0]) if collapsed.size else -1,
        # where the difference comes from: the table, conduct, investment
        "table": float(table.value_created.mean()),
        "breaks": float(table.breaches.mean()),
        "wells": float(table.infrastructure.mean()),
        # money a backbone brought from outside for the wells, per organisation and season, in full harvests: the
        # harvest above is already net of it
        "outside": story.outside_share(table, config),
    }


def welfare_difference(expand: float, slice_: float, lang: str) -> str:
    """How expanding's total welfare compares with slicing's, in words a room reads at once: "2.3 times" for a large
    gain, a percentage for a small one (a ratio of 1.0 hid a 4% gain), and no number when slicing's welfare is not
    positive (a ratio or a percentage of a loss means nothing)."""
    if slice_ > 0 and expand >= 1.5 * slice_:
        return t("diff.times", lang, ratio=fmt.times(expand / slice_, lang))
    if abs(expand - slice_) <= 0.02 * max(abs(expand), abs(slice_), 1e-12):
        return t("diff.same", lang)
    if slice_ <= 0:
        return t("diff.more" if expand > slice_ else "diff.less", lang)
    key = "diff.more_pct" if expand > slice_ else "diff.less_pct"
    return t(key, lang, percent=fmt.percent(abs(expand - slice_) / slice_, lang))


def headline_cards(head: dict[str, float], lang: str, expert: bool = False) -> dict[str, str]:
    """The five headline figures of one run, labelled and formatted for the page: plain words by default, the
    analysis measures (total welfare, Gini) in the expert view."""
    collapse = head["collapse"]
    if expert:
        first = {t("card.welfare", lang): fmt.number(head["welfare"], lang, 1)}
        gap = {t("card.gini", lang): fmt.number(head["gini"], lang, 2)}
    else:
        first = {t("card.harvest", lang): fmt.percent(head["harvest"], lang)}
        gap = {t("card.worst", lang): fmt.percent(head["worst"], lang)}  # who is left behind
    return {
        **first,
        t("card.water", lang): fmt.percent(head["water"], lang),
        **gap,
        t("card.agreements", lang): fmt.percent(head["agreements"], lang),
        t("card.collapse", lang): t("card.collapse.never", lang) if collapse < 0 else t("card.collapse.at", lang, season=collapse),
    }


def hidden_lines(runs: dict[str, Run], lang: str) -> list[str]:
    """Say when one run's lines lie exactly under another's (the same figures), instead of letting a line vanish."""
    columns = ["stock_share", "total_welfare", "infrastructure", "mean_trust"]
    labels = list(runs)
    notes = []
    for i, upper in enumerate(labels):
        for lower in labels[:i]:
            a, b = runs[upper].seasons[columns].to_numpy(), runs[lower].seasons[columns].to_numpy()
            if a.shape == b.shape and np.allclose(a, b, equal_nan=True):
                notes.append(t("compare.same_line", lang, hidden=t(f"run.{lower}", lang), over=t(f"run.{upper}", lang)))
    return notes


def _relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-9)


def comparison_sentences(heads: dict[str, dict[str, float]], lang: str, expert: bool) -> list[str]:
    """The comparison in sentences, the most visible contrast first (the one a projector shows large): of the
    harvest, the water left and the worst-off quarter's harvest, the one where slicing and expanding differ most."""
    s, e = heads["slice"], heads["expand"]
    sentences = _comparison_sentences(heads, lang, expert)
    if expert:
        return sentences
    contrasts = {"harvest": _relative(e["harvest"], s["harvest"]), "water": _relative(e["water"], s["water"]),
                 "worst": _relative(e["worst"], s["worst"])}
    first = max(contrasts, key=contrasts.get)
    lead = {"harvest": 0, "water": 1 + (min(e["harvest"], s["harvest"], heads["yours"]["harvest"]) < 0),
            "worst": next(i for i, line in enumerate(sentences) if line.startswith(WORST_MARK))}[first]
    ordered = [sentences[lead], *sentences[:lead], *sentences[lead + 1:]]
    return [line.removeprefix(WORST_MARK) for line in ordered]


WORST_MARK = "\x00"  # marks the worst-off quarter's sentence while the sentences are put in order


def _comparison_sentences(heads: dict[str, dict[str, float]], lang: str, expert: bool) -> list[str]:
    s, e, y = heads["slice"], heads["expand"], heads["yours"]
    if expert:
        first = t("sentence.welfare", lang, diff=welfare_difference(e["welfare"], s["welfare"], lang),
                  expand=fmt.number(e["welfare"], lang), slice=fmt.number(s["welfare"], lang))
    else:
        first = t("sentence.harvest", lang, expand=fmt.percent(e["harvest"], lang), slice=fmt.percent(s["harvest"], lang))
    sentences = [first]
    if min(e["harvest"], s["harvest"], y["harvest"]) < 0:
        sentences.append(t("sentence.negative", lang))
    sentences.append(t("sentence.water", lang, expand=fmt.percent(e["water"], lang), slice=fmt.percent(s["water"], lang)))
    if expert:
        sentences.append(t("sentence.gini", lang, expand=fmt.number(e["gini"], lang, 2), slice=fmt.number(s["gini"], lang, 2)))
    else:  # who is left behind, and the gap where it is a ratio of harvests
        worst = t("sentence.worst", lang, expand=fmt.percent(e["worst"], lang), slice=fmt.percent(s["worst"], lang))
        if e["worst"] < s["worst"] and e["harvest"] > s["harvest"]:
            worst += t("sentence.worst.behind", lang)
        sentences.append(WORST_MARK + worst)
        if not (np.isnan(e["gap"]) or np.isnan(s["gap"])):
            sentences.append(t("sentence.gap", lang, expand=fmt.times(e["gap"], lang), slice=fmt.times(s["gap"], lang)))
    if min(e["agreements"], s["agreements"]) >= 1.0:
        sentences.append(t("sentence.agreements.all", lang))
    else:
        sentences.append(t("sentence.agreements", lang, expand=fmt.percent(e["agreements"], lang),
                           slice=fmt.percent(s["agreements"], lang)))
    sentences.append(t("sentence.where", lang, table_e=fmt.percent(e["table"], lang), table_s=fmt.percent(s["table"], lang),
                       breaks_e=fmt.number(e["breaks"], lang, 1), breaks_s=fmt.number(s["breaks"], lang, 1),
                       wells_e=fmt.number(e["wells"], lang), wells_s=fmt.number(s["wells"], lang)))
    if max(e["outside"], s["outside"], y["outside"]) > 0:
        sentences.append(t("sentence.outside", lang, expand=fmt.percent(e["outside"], lang),
                           slice=fmt.percent(s["outside"], lang), yours=fmt.percent(y["outside"], lang)))
    collapse = t("sentence.held", lang) if y["collapse"] < 0 else t("sentence.collapsed", lang, season=y["collapse"])
    sentences.append(t("sentence.yours", lang, harvest=fmt.percent(y["harvest"], lang), water=fmt.percent(y["water"], lang),
                       collapse=collapse))
    return sentences


def _figures_table(cards: dict[str, dict[str, str]], lang: str) -> str:
    """The headline figures of the three runs as one Markdown table (a phone, a projector)."""
    header_row = " | ".join(["", *(t(f"run.{label}.short", lang) for label in cards)])
    rows = [" | ".join([name, *(figures[name] for figures in cards.values())]) for name in next(iter(cards.values()))]
    return "\n".join([f"| {header_row} |", "|---" + "|---:" * len(cards) + "|", *(f"| {row} |" for row in rows)])


def compare(runs: dict[str, Run], config: CommonsConfig, lang: str, big: bool, expert: bool) -> None:
    if not big:
        st.markdown(t("compare.intro", lang))
    heads = {label: headline(run, config) for label, run in runs.items()}
    cards = {label: headline_cards(head, lang, expert) for label, head in heads.items()}
    # Cards side by side on a laptop or projector; on a phone Streamlit stacks the columns into fifteen cards, so
    # there the same figures show as one small table instead (BASE_CSS picks by screen width).
    if big:  # a projector: the figures as one table beside the chart, all above the fold
        left, right = st.columns([1.25, 1.6], gap="medium")
        with left, st.container(key="headline_presenter"):
            st.markdown(f"<p class='story-sentence'>{comparison_sentences(heads, lang, expert)[0]}</p>", unsafe_allow_html=True)
            st.markdown(_figures_table(cards, lang))
        with right:
            spec = charts.comparison({k: r.seasons for k, r in runs.items()}, lang, big,
                                     full_harvest=village_harvest(config))
            st.plotly_chart(charts.Chart(charts.localised(spec, lang, expert)), key="chart_compare", config=charts.config(expert))
        for note in hidden_lines(runs, lang):
            st.caption(note)
        return
    # The most visible contrast in large type, then the chart, so a projector or laptop shows it above the fold;
    # the figures and the other sentences below it.
    sentences = comparison_sentences(heads, lang, expert)
    st.markdown(f"<div class='story-sentence'>{sentences[0]}</div>", unsafe_allow_html=True)
    spec = charts.comparison({k: r.seasons for k, r in runs.items()}, lang, big, full_harvest=village_harvest(config))
    st.plotly_chart(charts.Chart(charts.localised(spec, lang, expert)), key="chart_compare", config=charts.config(expert))
    for note in hidden_lines(runs, lang):
        st.caption(note)
    with st.container(key="headline_cards"):
        for column, (label, figures) in zip(st.columns(3), cards.items(), strict=True):
            with column:
                st.markdown(f"**{t(f'run.{label}', lang)}**")
                for name, value in figures.items():
                    st.metric(name, value)
    with st.container(key="headline_table"):
        st.markdown(_figures_table(cards, lang))
    st.markdown("\n".join(f"- {line}" for line in sentences[1:]))


@st.cache_data(max_entries=64, show_spinner=False)
def river_figure(config_json: str, lang: str, big: bool) -> dict:
    """The animation is the costliest figure to build: build it once per run, language and size, for everyone."""
    organisations = CommonsConfig.model_validate_json(config_json).organisations
    full_harvest = organisations.need * organisations.water_value  # the unit the story's "of a full harvest" uses
    return charts.localised(charts.river(simulate(config_json), lang, big, full_harvest), lang)


def watch(run: Run, config: CommonsConfig, lang: str, big: bool, config_json: str, expert: bool) -> None:
    if not big:
        st.markdown(t("watch.intro", lang))
    river = charts.beside_toolbar(river_figure(config_json, lang, big), expert)  # the cached figure, then the toolbar
    st.plotly_chart(charts.Chart(river), key="chart_river", config=charts.config(expert))
    spec = charts.timeseries(run.seasons, run.strategy_names, lang, big=big, full_harvest=village_harvest(config))
    st.plotly_chart(charts.Chart(charts.localised(spec, lang, expert)), key="chart_series", config=charts.config(expert))


def negotiation(run: Run, lang: str, expert: bool, term: int) -> None:
    """One meeting of a pair, chosen by season and pair; ``term`` is how many seasons an agreement covers (the
    pairs meet again when it runs out)."""
    every = t("neg.every.one", lang) if term == 1 else t("neg.every", lang, term=term)
    st.markdown(t("neg.intro.expert" if expert else "neg.intro", lang, every=every))
    if not run.meetings:
        st.info(t("neg.none", lang))
        return
    seasons = [m.season for m in run.meetings]
    left, right = st.columns([1, 3])  # side by side: the chart starts higher on a laptop or projector
    with left:
        season = translated_select(t("neg.season", lang), seasons, "neg_season", lang, str)
    meeting = run.meetings[seasons.index(season)]
    strategy = run.organisations[run.organisations.season == season].strategy.to_numpy()
    name = lambda i: t("neg.org", lang, i=int(i))  # noqa: E731

    def label(p: int) -> str:
        a, b = meeting.pairs[p]
        return t("neg.pair.label", lang, a=name(a), b=name(b), sa=t(f"strategy.{strategy[a]}", lang),
                 sb=t(f"strategy.{strategy[b]}", lang))

    with right:
        pair = translated_select(t("neg.pair", lang), list(range(len(meeting.pairs))), "neg_pair", lang, label)
        st.caption(label(pair))  # whole: a phone's field cuts the partner's strategy off
    a, b = meeting.pairs[pair]
    names = (name(a), name(b))
    spec = charts.dance(meeting, pair, lang, names, strategies=(str(strategy[a]), str(strategy[b])), expert=expert)
    st.plotly_chart(charts.Chart(charts.localised(spec, lang, expert)), key="chart_dance", config=charts.config(expert))
    lines = []
    if meeting.facilitated[pair]:
        lines.append(t("neg.facilitated", lang))
    if meeting.result is not None:
        row = int(np.flatnonzero(meeting.direct == pair)[0])
        result = meeting.result
        for side, who in (("a", names[0]), ("b", names[1])):
            if getattr(result, f"misreported_{side}")[row]:
                lines.append(t("neg.misreported", lang, name=who))
            elif getattr(result, f"disclosed_{side}")[row]:
                lines.append(t("neg.disclosed", lang, name=who))
            else:
                lines.append(t("neg.silent", lang, name=who))
            if getattr(result, f"claimed_{side}")[row]:
                lines.append(t("neg.claimed", lang, name=who))
        if result.agreed[row]:
            pareto = "neg.pareto.yes" if result.pareto_optimal[row] else "neg.pareto.no"
            lines.append(t(
                "neg.outcome.expert" if expert else "neg.outcome", lang, rounds=int(result.rounds[row]), name_a=names[0],
                name_b=names[1],
                ua=fmt.number(result.utility_a[row], lang, 2) if expert else fmt.percent(result.utility_a[row], lang),
                ub=fmt.number(result.utility_b[row], lang, 2) if expert else fmt.percent(result.utility_b[row], lang),
                share=fmt.percent(result.joint_share[row], lang), pareto=t(pareto + (".expert" if expert else ""), lang),
            ))
    if not meeting.agreed[pair]:
        lines.append(t("neg.impasse.expert" if expert else "neg.impasse", lang))
    st.markdown("\n".join(f"- {line}" for line in lines))


def learn(lang: str) -> None:
    for topic in ("slice", "dilemma", "ci", "backbone", "hubs", "broker", "river"):
        with st.expander(t(f"learn.{topic}.title", lang), expanded=topic == "slice"):
            if topic == "backbone":
                st.markdown(backbone_list(lang))
            else:
                st.markdown(t(f"learn.{topic}.body", lang))


def backbone_list(lang: str) -> str:
    """The backbone's functions as a list, in the words of the sidebar's own controls (one source for both)."""
    items = [f"{i}. **{t(f'backbone.{f}', lang)}**: {t(f'backbone.{f}.help', lang)}"
             for i, f in enumerate(story.FUNCTIONS, start=1)]
    communication = f"- **{t('backbone.communication', lang)}**: {t('backbone.communication.help', lang)}"
    return "\n".join([t("learn.backbone.intro", lang), "", *items, "", t("learn.backbone.condition", lang), "",
                      communication, "", t("learn.backbone.outro", lang)])


DATA_COLUMNS = ("season", "inflow", "stock_share", "need_met", "harvest", "total_welfare", "gini", "agreement_rate",
                "grab_rate", "breaches", "infrastructure", "mean_trust", "collapsed")
# The table a participant reads: each column under the name the charts give it, in the unit that name says (the
# research names, shared with the command line, are in the downloaded file and the expert view). What a column is
# shown as: "percent" a share, "harvest" a share of a full harvest for the village, "need" a share of what all the
# organisations need, "count" a whole number, "yes/no", or a number with that many decimals.
DATA_LABELS = {
    "season": ("axis.season", "count"), "inflow": ("column.inflow", "need"), "stock_share": ("metric.stock_share", "percent"),
    "need_met": ("chart.need_met", "percent"), "harvest": ("column.harvest", "harvest"),
    "total_welfare": ("metric.total_welfare", "harvest"), "gini": ("metric.gini", 2),
    "agreement_rate": ("metric.agreement_rate", "percent"), "grab_rate": ("chart.grabbing", "percent"),
    "breaches": ("column.breaches", "count"), "infrastructure": ("metric.infrastructure", 1),
    "mean_trust": ("metric.mean_trust", "percent"), "collapsed": ("card.collapse", "yes/no"),
}


def data_table(run: Run, config: CommonsConfig, lang: str, expert: bool = False) -> pd.DataFrame:
    """The season table as the Data view shows it: the research names (``sim.measures``, as the command line and the
    downloaded file write them) and figures in the expert view; otherwise the participants' names, each column in
    the unit its name says. Written as the language writes numbers (the browser's own may differ)."""
    table = run.seasons[list(DATA_COLUMNS)]
    if expert:
        shown = table.copy()
        for column in DATA_COLUMNS[1:]:
            shown[column] = [fmt.number(v, lang, 3) for v in shown[column]]
        return shown
    first = run.organisations[run.organisations.season == run.organisations.season.min()]
    per = {"harvest": village_harvest(config), "need": float(first.need.sum()), "percent": 1.0}
    shown = pd.DataFrame()
    for column in DATA_COLUMNS:
        values, how = table[column], DATA_LABELS[column][1]
        if how in per:
            cells = [fmt.percent(v / per[how], lang) for v in values]
        elif how == "count":
            cells = [fmt.number(v, lang) for v in values]
        elif how == "yes/no":
            cells = [t("data.yes" if v > 0 else "data.no", lang) for v in values]
        else:
            cells = [fmt.number(v, lang, how) for v in values]
        shown[t(DATA_LABELS[column][0], lang)] = cells
    return shown


def data(run: Run, config: CommonsConfig, lang: str, expert: bool) -> None:
    st.markdown(t("data.intro", lang))
    st.download_button(t("data.seasons", lang), run.seasons.to_csv(index=False).encode("utf-8"),
                       file_name="rembug_seasons.csv", mime="text/csv", key="download_seasons")
    st.download_button(t("data.organisations", lang), run.organisations.to_csv(index=False).encode("utf-8"),
                       file_name="rembug_organisations.csv", mime="text/csv", key="download_organisations")
    st.caption(t("data.png", lang))
    st.dataframe(data_table(run, config, lang, expert), key="table_seasons", hide_index=True)


# -- the guided story --------------------------------------------------------------------------------------------------
def head_ahead(f: dict[str, float]) -> bool:
    """Whether step 6 finds the head of the river better off for taking first (1.1 times the tail or more, slicing
    and expanding alike): its sentence and its question say so, or say it is not."""
    return min(f["ratio_s"], f["ratio_e"]) >= 1.1


def _story_figures_text(step: story.Step, figures: dict[str, float], configs: dict, lang: str) -> str:
    """The step's one sentence, its figures written as the language writes numbers."""
    f, pct, num = figures, (lambda x: fmt.percent(x, lang)), (lambda x, d=0: fmt.number(x, lang, d))
    world = next(iter(configs.values()))
    if step.key == "scarce":
        text = t("story.scarce.sentence", lang, inflow=pct(f["inflow"]), n=world.world.organisations,
                 need_met=pct(f["need_met"]), harvest=pct(f["harvest"]))
        return text + _river_clause(f["collapse"], lang)
    if step.key == "slice":
        return t("story.slice.sentence", lang, grab=pct(f["grab"]), harvest=pct(f["harvest"])) + _river_clause(f["collapse"], lang)
    if step.key == "expand":
        change = f["trust_end"] - f["trust_start"]  # 5 points or more is a change; trust is said as a percentage
        trust = ("story.expand.trust.grows" if change >= 0.05 else "story.expand.trust.falls" if change <= -0.05
                 else "story.expand.trust.holds")
        return (t("story.expand.sentence", lang, disclosure=pct(f["disclosure"]), wells_e=num(f["wells_e"]), wells_s=num(f["wells_s"]),
                  harvest_e=pct(f["harvest_e"]), harvest_s=pct(f["harvest_s"]))
                + t(trust, lang, trust_start=pct(f["trust_start"]), trust_end=pct(f["trust_end"]))
                + _river_clause(f["collapse_e"], lang))
    if step.key == "claimer":
        key = "story.claimer.sentence.one" if f["claimers"] == 1 else "story.claimer.sentence"
        pays = "story.claimer.pays" if f["harvest_claimer"] > f["harvest_others"] else "story.claimer.does_not_pay"
        return t(key, lang, claimers=num(f["claimers"]), cooperators=num(f["cooperators"]),
                 trust_start=pct(f["trust_start"]), trust_claimer=pct(f["trust_claimer"]),
                 alone=pct(f["alone"])) + t(pays, lang, harvest_claimer=pct(f["harvest_claimer"]),
                                            harvest_others=pct(f["harvest_others"]))
    if step.key == "backbone":
        alone = {fn: f[fn] for fn in story.FUNCTIONS}
        best, worst = max(alone, key=alone.get), min(alone, key=alone.get)
        if alone[best] <= f["none"]:  # not one task pays its fee alone: say that, not which "helps most"
            clause = "story.backbone.none_pays"
        else:
            clause = "story.backbone.alone.harms" if alone[worst] < f["none"] else "story.backbone.alone"
        outside = t("story.backbone.outside", lang, outside=pct(f["outside"])) if f["outside"] > 0 else ""
        # tasks whose bars read the same as the best's are named together: a sentence naming one of two bars that
        # both read 40% sent a trial's reader looking for a difference the chart does not show
        tied = [fn for fn in story.FUNCTIONS if pct(alone[fn]) == pct(alone[best])]
        best_words = charts.backbone_task(best, lang)
        if len(tied) > 1:
            clause += ".tied"
            names = [f"“{charts.backbone_task(fn, lang)}”" for fn in tied]
            best_words = ", ".join(names[:-1]) + t("story.and", lang) + names[-1]
        return (t("story.backbone.sentence", lang, none=pct(f["none"]), all=pct(f["all"]), fee=pct(f["fee"]),
                  river=_river_clause(f["collapse_all"], lang)) + outside
                + t(clause, lang, best=best_words, worst=charts.backbone_task(worst, lang)))
    if step.key == "upstream":
        ahead = "story.upstream.head_ahead" if head_ahead(f) else "story.upstream.head_not_ahead"
        return (t("story.upstream.sentence", lang, ratio_s=fmt.times(f["ratio_s"], lang), ratio_e=fmt.times(f["ratio_e"], lang))
                + t(ahead, lang))
    raise ValueError(step.key)


def _river_clause(season: float, lang: str) -> str:
    return t("story.held", lang) if np.isnan(season) else t("story.dry", lang, season=int(season))


def _story_headline(step: story.Step, f: dict[str, float], lang: str) -> tuple[str, str, str | None]:
    """The step's one large figure: label, value, and a comparison under it (or None)."""
    label = t(f"story.{step.key}.headline", lang)
    if step.key == "scarce":
        return label, fmt.percent(f["need_met"], lang), None
    if step.key == "slice":
        return label, fmt.percent(f["grab"], lang), None
    if step.key == "expand":
        return label, fmt.number(f["wells_e"], lang), t("story.versus", lang, other=fmt.number(f["wells_s"], lang),
                                                        who=t("run.slice.short", lang))
    if step.key == "claimer":
        return label, fmt.percent(f["harvest_claimer"], lang), t("story.versus", lang, other=fmt.percent(f["harvest_others"], lang),
                                                                who=t("story.others", lang))
    if step.key == "backbone":
        return label, fmt.percent(f["all"], lang), t("story.versus", lang, other=fmt.percent(f["none"], lang),
                                                     who=t("story.fn.none", lang))
    return label, t("card.times", lang, x=fmt.times(f["ratio_s"], lang)), t(
        "story.versus", lang, other=t("card.times", lang, x=fmt.times(f["ratio_e"], lang)), who=t("run.expand.short", lang))


def story_step() -> int:
    return int(min(max(int(st.session_state.get("story_step", 0)), 0), len(story.STEPS) - 1))


def _move(by: int) -> None:
    st.session_state["story_step"] = story_step() + by


def story_view(lang: str, present: bool, expert: bool) -> None:
    """One step of the guided story: where we are, one large sentence, then the step's figure, its knob and the
    question for the facilitator beside its chart, so that all of it fits a 1280×720 projector without scrolling."""
    i = story_step()
    step = story.STEPS[i]
    # Back and Next first: a long title wraps beside them, never pushing Next onto a row of its own.
    with st.container(horizontal=True, vertical_alignment="center", key="story_nav"):
        st.button(t("story.back", lang), key="story_back", on_click=_move, args=(-1,), disabled=i == 0)
        st.button(t("story.next", lang), key="story_next", on_click=_move, args=(1,), disabled=i == len(story.STEPS) - 1,
                  type="primary")
        st.markdown(f"**{t('story.step', lang, i=i + 1, n=len(story.STEPS))}** · {t(f'story.{step.key}.title', lang)}")
        if present:  # the room scans it from their seats; small, beside the step's title
            st.caption(t("share.qr", lang), width=130)
            st.image(share.qr_png(share.current_link()), width=84)
    knob = step.knob
    knob_key = f"story:{step.key}"
    st.session_state.setdefault(knob_key, int(knob.default) if knob.integer else float(knob.default))
    configs = story.configs(step, st.session_state[knob_key])
    try:
        runs = {label: simulate(cfg.model_dump_json(), negotiations=label in step.links) for label, cfg in configs.items()}
    except Exception as error:  # the page must survive a degenerate setting in front of a room
        st.error(t("run.failed", lang, error=f"{type(error).__name__}: {error}"))
        return
    figures = step.measure(runs, configs)
    st.markdown(f"<div class='story-sentence'>{_story_figures_text(step, figures, configs, lang)}</div>",
                unsafe_allow_html=True)
    side, main = st.columns([1.2, 2], gap="medium")
    with side:
        label, value, versus = _story_headline(step, figures, lang)
        st.metric(label, value)
        if versus:
            with st.container(key="story_versus"):
                st.caption(versus)
        with st.container(key="story_knob"):
            knob_label = t("story.try", lang) + t(f"story.knob.{knob.setting}", lang)
            if knob.integer:
                st.slider(knob_label, int(knob.low), int(knob.high), step=int(knob.step), key=knob_key)
            else:
                local_slider(knob_label, float(knob.low), float(knob.high), float(knob.step), knob_key, lang,
                             percent=knob.percent)
            st.caption(t(f"story.{step.key}.knob_does", lang))
    with main:
        spec = charts.story_chart(step.key, runs, figures, lang, big=present)
        st.plotly_chart(charts.Chart(charts.localised(spec, lang, expert)), key="chart_story", config=charts.config(expert))
        if step.key == "claimer" and figures["peak"] > 1 and not present:  # a true value above a full harvest,
            st.caption(t("story.claimer.above_full", lang))  # explained (in presenter mode, on the chart)
    ask = f"story.{step.key}.ask"
    if step.key == "claimer" and figures["harvest_claimer"] <= figures["harvest_others"]:
        ask = "story.claimer.ask.does_not_pay"
    if step.key == "upstream" and not head_ahead(figures):  # the question follows what the sentence found
        ask = "story.upstream.ask.not_ahead"
    with st.container(key="facilitator_note"):
        st.info(f"**{t('story.ask', lang)}:** {t(ask, lang)}")
    harvests = [v for k, v in figures.items() if k.startswith("harvest") or k in ("none", "all", *story.FUNCTIONS)]
    if any(h < 0 for h in harvests):  # a negative figure is explained where it appears
        st.caption(t("sentence.negative", lang))
    if i == 0:
        world = story.world()
        st.caption(t("story.world", lang, n=world.world.organisations, seasons=world.world.seasons,
                     inflow=fmt.percent(world.water.inflow, lang)))


def live_knobs(lang: str) -> None:
    """In presenter mode the three knobs a facilitator turns in front of the room are on the page, large."""
    for column, setting in zip(st.columns(len(LIVE_KNOBS)), LIVE_KNOBS, strict=True):
        with column:
            _widget(BY_SETTING[setting], lang)


def main_area(runs: dict[str, Run] | None, config: CommonsConfig, lang: str, view: str, present: bool, expert: bool,
              config_json: str) -> None:
    style(FRAME_CSS, "frame_style")
    if present:
        style(PRESENTER_CSS, "presenter_style")
    if view == "story":
        style(STORY_CSS, "story_style")
        story_view(lang, present, expert)
        return
    if view == "learn":
        learn(lang)
        return
    if present:
        live_knobs(lang)
    if runs is None:
        return
    if view == "compare":
        compare(runs, config, lang, big=present, expert=expert)
    elif view == "watch":
        watch(runs["yours"], config, lang, big=present, config_json=config_json, expert=expert)
    elif view == "negotiation":
        negotiation(runs["yours"], lang, expert, config.negotiation.term)
    elif view == "data":
        data(runs["yours"], config, lang, expert)

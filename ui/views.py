"""The page: sidebar knobs and the five views. Each function draws one part and takes what it needs as arguments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from sim.scenarios import MAX_SCENARIO_BYTES, ScenarioError, parse_scenario
from ui import charts, state
from ui.controls import CONTROLS, GROUPS, MIX_KEYS
from ui.runs import Run, simulate, variants
from ui.text import LANGUAGES, TEXT, t

PRESENTER_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"] {display: none;}
html, body, [class*="css"], .stMarkdown p, .stMetric {font-size: 1.35rem !important;}
div[data-testid="stMetricValue"] {font-size: 2.6rem !important;}
h1 {font-size: 3rem !important;}
</style>
"""

# On a phone the title's longest Indonesian word ("memperbesarnya?") is wider than the screen at Streamlit's size,
# and the headline figures read better as one table than as fifteen stacked cards (see compare()).
PHONE_CSS = """
<style>
.st-key-headline_table {display: none;}
@media (max-width: 640px) {
  h1 {font-size: 1.9rem !important;}
  .st-key-headline_cards {display: none;}
  .st-key-headline_table {display: block;}
}
</style>
"""


def _pct(x: float) -> str:
    return "–" if x is None or np.isnan(x) else f"{x:.0%}"


# -- top of the page -------------------------------------------------------------------------------------------------
def top_bar() -> str:
    """Language and presenter mode, always in reach (also on a phone, where the sidebar is folded away)."""
    lang = st.session_state.get("lang", "en")
    left, right = st.columns([3, 2])
    with left:
        st.segmented_control(
            t("app.language", lang), options=list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
            selection_mode="single",
        )
    with right:
        st.toggle(t("app.presenter", lang), key="present", help=t("app.presenter.help", lang))
    if st.session_state.get("lang") not in LANGUAGES:  # a segmented control can be emptied by a second click
        st.session_state["lang"] = lang
    return st.session_state["lang"]


def header(lang: str) -> None:
    scenario = state.scenario()
    st.markdown(PHONE_CSS, unsafe_allow_html=True)
    st.title(t("app.title", lang))
    st.caption(t("app.tagline", lang))
    st.subheader(scenario.title(lang))
    st.markdown(scenario.description(lang))


# -- sidebar ---------------------------------------------------------------------------------------------------------------
def _on_scenario_change(widget_key: str) -> None:
    st.session_state["scenario_id"] = st.session_state[widget_key]
    st.session_state.pop("uploaded", None)
    state.reset_knobs()


def translated_select(label: str, options: list, value_key: str, lang: str, format_func, on_change=None):
    """A selectbox whose option labels are in the user's language. The browser keeps a keyed selectbox's labels,
    so the widget has one key per language, and the choice itself lives under ``value_key``."""
    widget_key = f"{value_key}:{lang}"
    current = st.session_state.get(value_key, options[0])
    if current not in options:
        current = options[0]
    st.session_state[widget_key] = current

    def copy_back() -> None:
        if on_change is not None:
            on_change(widget_key)
        else:
            st.session_state[value_key] = st.session_state[widget_key]

    st.selectbox(label, options, key=widget_key, format_func=format_func, on_change=copy_back)
    st.session_state[value_key] = st.session_state[widget_key]
    return st.session_state[value_key]


def _widget(control, lang: str, disabled: bool) -> None:
    label = t(control.setting, lang)
    help_key = f"{control.setting}.help"
    help_text = t(help_key, lang) if help_key in TEXT else None
    if control.kind == "slider":
        st.slider(label, float(control.low), float(control.high), step=float(control.step), key=control.key,
                  help=help_text, disabled=disabled)
    elif control.kind == "int":
        st.slider(label, int(control.low), int(control.high), step=int(control.step), key=control.key, help=help_text)
    elif control.kind == "number":
        st.number_input(label, int(control.low), int(control.high), step=1, key=control.key, help=help_text)
    elif control.kind == "toggle":
        st.toggle(label, key=control.key, help=help_text)
    elif control.kind == "select":
        translated_select(label, list(control.options), control.key, lang, lambda o: t(f"matching.{o}", lang))


def sidebar(lang: str) -> None:
    with st.sidebar:
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
                        st.slider(t(f"mix.{name}", lang), 0.0, 1.0, step=0.05, key=key)
                for control in CONTROLS:
                    if control.group == group:
                        _widget(control, lang, disabled=control.backbone_function and not backbone_on)
        st.caption(t("app.share", lang))


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
            st.error(t(intro, lang) + "\n" + "\n".join(f"- **{field}**: {message}" for field, message in found))
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
def headline(table: pd.DataFrame) -> dict[str, float]:
    collapsed = np.flatnonzero(table.collapsed.to_numpy() > 0)
    return {
        "welfare": float(table.total_welfare.sum()),
        "water": float(table.stock_share.iloc[-1]),
        "gini": float(table.gini.mean()),
        "agreements": float(table.agreement_rate.mean()),
        "collapse": int(collapsed[0]) if collapsed.size else -1,
        # where the difference comes from: the table, conduct, investment
        "table": float(table.value_created.mean()),
        "breaks": float(table.breaches.mean()),
        "wells": float(table.infrastructure.mean()),
    }


def welfare_difference(expand: float, slice_: float, lang: str) -> str:
    """How expanding's total welfare compares with slicing's, in words a room reads at once: "2.3 times" for a large
    gain, a percentage for a small one (a ratio of 1.0 hid a 4% gain), and no number when slicing's welfare is not
    positive (a ratio or a percentage of a loss means nothing)."""
    if slice_ > 0 and expand >= 1.5 * slice_:
        return t("diff.times", lang, ratio=expand / slice_)
    if abs(expand - slice_) <= 0.02 * max(abs(expand), abs(slice_), 1e-12):
        return t("diff.same", lang)
    if slice_ <= 0:
        return t("diff.more" if expand > slice_ else "diff.less", lang)
    key = "diff.more_pct" if expand > slice_ else "diff.less_pct"
    return t(key, lang, percent=f"{abs(expand - slice_) / slice_:.0%}")


def headline_cards(head: dict[str, float], lang: str) -> dict[str, str]:
    """The five headline figures of one run, labelled and formatted for the page."""
    collapse = head["collapse"]
    return {
        t("card.welfare", lang): f"{head['welfare']:.0f}",
        t("card.water", lang): _pct(head["water"]),
        t("card.gini", lang): f"{head['gini']:.2f}",
        t("card.agreements", lang): _pct(head["agreements"]),
        t("card.collapse", lang): t("card.collapse.never", lang) if collapse < 0 else t("card.collapse.at", lang, season=collapse),
    }


def compare(runs: dict[str, Run], lang: str, big: bool) -> None:
    st.markdown(t("compare.intro", lang))
    heads = {label: headline(run.seasons) for label, run in runs.items()}
    cards = {label: headline_cards(head, lang) for label, head in heads.items()}
    # Cards side by side on a laptop or projector; on a phone Streamlit stacks the columns into fifteen cards, so
    # there the same figures show as one small table instead (PHONE_CSS picks by screen width).
    with st.container(key="headline_cards"):
        for column, (label, figures) in zip(st.columns(3), cards.items(), strict=True):
            with column:
                st.markdown(f"**{t(f'run.{label}', lang)}**")
                for name, value in figures.items():
                    st.metric(name, value)
    with st.container(key="headline_table"):
        header = " | ".join(["", *(t(f"run.{label}.short", lang) for label in cards)])
        rows = [" | ".join([name, *(figures[name] for figures in cards.values())]) for name in next(iter(cards.values()))]
        st.markdown("\n".join([f"| {header} |", "|---" + "|---:" * len(cards) + "|", *(f"| {row} |" for row in rows)]))
    s, e, y = heads["slice"], heads["expand"], heads["yours"]
    diff = welfare_difference(e["welfare"], s["welfare"], lang)
    sentences = [
        t("sentence.welfare", lang, diff=diff, expand=f"{e['welfare']:.0f}", slice=f"{s['welfare']:.0f}"),
        t("sentence.water", lang, expand=_pct(e["water"]), slice=_pct(s["water"])),
        t("sentence.gini", lang, expand=f"{e['gini']:.2f}", slice=f"{s['gini']:.2f}"),
        t("sentence.agreements", lang, expand=_pct(e["agreements"]), slice=_pct(s["agreements"])),
        t("sentence.where", lang, table_e=_pct(e["table"]), table_s=_pct(s["table"]), breaks_e=f"{e['breaks']:.1f}",
          breaks_s=f"{s['breaks']:.1f}", wells_e=f"{e['wells']:.0f}", wells_s=f"{s['wells']:.0f}"),
        t("sentence.yours", lang, welfare=f"{y['welfare']:.0f}", water=_pct(y["water"]),
          collapse=t("sentence.held", lang) if y["collapse"] < 0 else t("sentence.collapsed", lang, season=y["collapse"])),
    ]
    st.markdown("\n".join(f"- {line}" for line in sentences))
    st.plotly_chart(charts.Chart(charts.comparison({k: r.seasons for k, r in runs.items()}, lang, big)), key="chart_compare",
                    config=charts.PNG)


@st.cache_data(max_entries=64, show_spinner=False)
def river_figure(config_json: str, lang: str, big: bool) -> dict:
    """The animation is the costliest figure to build: build it once per run, language and size, for everyone."""
    return charts.river(simulate(config_json), lang, big)


def watch(run: Run, lang: str, big: bool, config_json: str) -> None:
    st.markdown(t("watch.intro", lang))
    st.plotly_chart(charts.Chart(river_figure(config_json, lang, big)), key="chart_river", config=charts.PNG)
    st.plotly_chart(charts.Chart(charts.timeseries(run.seasons, run.strategy_names, lang, big=big)), key="chart_series",
                    config=charts.PNG)


def negotiation(run: Run, lang: str) -> None:
    st.markdown(t("neg.intro", lang))
    if not run.meetings:
        st.info(t("neg.none", lang))
        return
    seasons = [m.season for m in run.meetings]
    season = st.selectbox(t("neg.season", lang), seasons, key="neg_season")
    meeting = run.meetings[seasons.index(season)]
    strategy = run.organisations[run.organisations.season == season].strategy.to_numpy()
    name = lambda i: t("neg.org", lang, i=int(i))  # noqa: E731

    def label(p: int) -> str:
        a, b = meeting.pairs[p]
        return t("neg.pair.label", lang, a=name(a), b=name(b), sa=t(f"strategy.{strategy[a]}", lang),
                 sb=t(f"strategy.{strategy[b]}", lang))

    pair = translated_select(t("neg.pair", lang), list(range(len(meeting.pairs))), "neg_pair", lang, label)
    a, b = meeting.pairs[pair]
    names = (name(a), name(b))
    st.plotly_chart(charts.Chart(charts.dance(meeting, pair, lang, names)), key="chart_dance", config=charts.PNG)
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
            lines.append(t(
                "neg.outcome", lang, rounds=int(result.rounds[row]), name_a=names[0], name_b=names[1],
                ua=f"{result.utility_a[row]:.2f}", ub=f"{result.utility_b[row]:.2f}", share=_pct(result.joint_share[row]),
                pareto=t("neg.pareto.yes" if result.pareto_optimal[row] else "neg.pareto.no", lang),
            ))
    if not meeting.agreed[pair]:
        lines.append(t("neg.impasse", lang))
    st.markdown("\n".join(f"- {line}" for line in lines))


def learn(lang: str) -> None:
    for topic in ("slice", "dilemma", "ci", "backbone", "hubs", "broker", "river"):
        with st.expander(t(f"learn.{topic}.title", lang), expanded=topic == "slice"):
            st.markdown(t(f"learn.{topic}.body", lang))


def data(run: Run, lang: str) -> None:
    st.markdown(t("data.intro", lang))
    st.download_button(t("data.seasons", lang), run.seasons.to_csv(index=False).encode("utf-8"),
                       file_name="rembug_seasons.csv", mime="text/csv", key="download_seasons")
    st.download_button(t("data.organisations", lang), run.organisations.to_csv(index=False).encode("utf-8"),
                       file_name="rembug_organisations.csv", mime="text/csv", key="download_organisations")
    st.caption(t("data.png", lang))
    st.dataframe(run.seasons, key="table_seasons")


def main_area(runs: dict[str, Run], lang: str, present: bool, config_json: str) -> None:
    if present:
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
        compare(runs, lang, big=True)
        watch(runs["yours"], lang, big=True, config_json=config_json)
        return
    tabs = st.tabs([t(f"tab.{name}", lang) for name in ("compare", "watch", "negotiation", "learn", "data")])
    with tabs[0]:
        compare(runs, lang, big=False)
    with tabs[1]:
        watch(runs["yours"], lang, big=False, config_json=config_json)
    with tabs[2]:
        negotiation(runs["yours"], lang)
    with tabs[3]:
        learn(lang)
    with tabs[4]:
        data(runs["yours"], lang)

"""Live rooms in the app: the facilitator's projector and each participant's phone.

The page address carries who one is: ``?room=CODE`` (joining), ``?room=CODE&seat=TOKEN`` (a participant: a reload
gets the same seat back), ``?room=CODE&host=SECRET`` (the facilitator). Every rule (who may do what, what a seat is
asked, when a stage ends) is in :mod:`rooms.flow`; this module only draws and forwards taps. A name is shown as
text, never as markup. Pages poll the room's version once a second and redraw only when it changed.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from rooms import AlreadyAnswered, NotNow, Refused, RoomError, Store, flow
from rooms.game import Village
from sim.commons import CommonsConfig
from ui import charts, fmt, share, views
from ui.text import t

ROOT = Path(__file__).resolve().parent.parent
ISSUES = ("volume_share", "dry_season_schedule", "maintenance_labour", "joint_investment")
STATUS_COLOURS = {"agreed": "#2e7d32", "grabbed": "#c62828", "broke": "#ef6c00", "meeting": "#1565c0",
                  "alone": "#9e9e9e"}
DEBRIEF_QUESTIONS = ("room.debrief.q1", "room.debrief.q2", "room.debrief.q3", "room.debrief.q4", "room.debrief.q5")
"""The debrief's questions, about what this room did (the workshop story's questions, asked of the room)."""
ROOM_CSS = """
<style>
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 1.5rem !important;
  padding-bottom: 2rem !important;}
.room-card {border: 1px solid #ccc; border-radius: 0.6rem; padding: 0.5rem 0.7rem; margin-bottom: 0.3rem;}
.room-card .row {display: flex; align-items: center; gap: 0.4rem; font-size: 0.95rem; margin: 0.15rem 0;}
.room-card .label {flex: 0 0 48%;}
.room-card .bar {flex: 1; height: 0.8rem; background: #e0e0e0; border-radius: 0.4rem; overflow: hidden;}
.room-card .fill {height: 100%; background: #1976d2;}
[data-testid="stMarkdownContainer"] p.room-big {font-size: 2.2rem; font-weight: 700; line-height: 1.15; margin: 0;}
[data-testid="stMarkdownContainer"] p.room-timer {font-size: 1.6rem; font-weight: 700; margin: 0;}
[data-testid="stMarkdownContainer"] p.room-link {font-size: 1.1rem; word-break: break-all; font-family: monospace;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 1.05rem !important;}
[data-testid="stMarkdownContainer"] p.story-sentence {font-size: 1.45rem; line-height: 1.35;}
div[data-testid="stButton"] button {min-height: 3rem; font-size: 1.05rem;}
@media (max-width: 640px) {
  .block-container, [data-testid="stMainBlockContainer"] {padding-top: 0.75rem !important;}
  [data-testid="stMarkdownContainer"] p.room-big {font-size: 1.5rem;}
  [data-testid="stMarkdownContainer"] p.room-timer {font-size: 1.2rem;}
  [data-testid="stMarkdownContainer"] p.story-sentence {font-size: 1.2rem;}
}
</style>
"""


def store() -> Store:
    """The rooms database next to the app (or $REMBUG_ROOMS_DB), the same file `rembug room create` writes."""
    path = os.environ.get("REMBUG_ROOMS_DB", str(ROOT / "rooms.sqlite"))
    return _store(path)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def create_room(config: CommonsConfig, scenario_id: str, seats: int, seasons: int = 6) -> None:
    """The facilitator's button: a room for the current scenario; the page becomes the facilitator's."""
    keys = flow.create(store(), scenario_id, config, seats, seasons)
    st.query_params.from_dict({"room": keys.code, "host": keys.facilitator_secret,
                               "lang": st.session_state.get("lang", "en")})


def organisation(village: Village, seat: int) -> dict[str, float]:
    """What a participant is told about their organisation: its place on the river, its need and what matters most
    to it, from the room's own world (the model draws them from the room's seed)."""
    model = village.model
    weights = model.weights[seat]
    return {"position": float(model.position[seat]), "need": float(model.need[seat] / model.need.mean()),
            "first": int(np.argmax(weights)), "weights": weights.tolist()}


def plain(text: str) -> str:
    """A participant's name as text in Markdown: every character Markdown or HTML could act on is escaped."""
    return "".join(f"\\{ch}" if ch in "\\`*_{}[]()#+-.!|<>~" else ch for ch in str(text))


def _place(position: float, lang: str) -> str:
    return t("room.place.head" if position < 1 / 3 else "room.place.middle" if position < 2 / 3 else "room.place.tail", lang)


def _level(x: float, lang: str) -> str:
    """Trust or reputation in words, in five steps (a broken promise moves it at least one step)."""
    for bound, word in ((0.2, "very_low"), (0.4, "low"), (0.6, "middle"), (0.8, "high")):
        if x < bound:
            return t(f"room.level.{word}", lang)
    return t("room.level.very_high", lang)


def _label(seat: int, names: dict[int, str]) -> str:
    """A seat's label on the river: a participant's name (cut, then escaped: Plotly reads markup), or the
    organisation's number for the computer's seats."""
    name = names.get(seat)
    if not name:
        return str(seat + 1)
    return html.escape(name if len(name) <= 12 else name[:11] + "…")


def _who(seat: int, names: dict[int, str], lang: str) -> str:
    """A seat as the room knows it: the participant's name, or 'organisation 7 (computer)'."""
    return names.get(seat) or t("room.computer", lang, seat=seat + 1)


def problem(error: Exception, lang: str) -> str:
    """A room's error in the page's language: the store's messages are English (they name the field for a
    researcher); a participant reads these instead."""
    message = str(error)
    for marker, key in (("already taken", "room.error.name_taken"), ("name:", "room.error.name_length"),
                        ("every seat is taken", "room.error.full"), ("game has ended", "room.error.ended"),
                        ("no such room", "room.error.no_room")):
        if marker in message:
            return t(key, lang)
    return message


def _sentence(text: str) -> None:
    st.markdown(f"<p class='story-sentence'>{html.escape(text)}</p>", unsafe_allow_html=True)


def page(lang: str) -> None:
    """The room page for whoever this address says one is."""
    views.style(ROOM_CSS, "room_style")
    if st.query_params.get("lang") != lang:  # the language a phone switched to survives a reload
        st.query_params["lang"] = lang
    said = st.session_state.pop("room_problem", None)  # from a tap's callback: said once, where it is seen
    if said:
        st.error(t("room.missing", lang, problem=said))
    query = st.query_params
    code, host, token = query.get("room", ""), query.get("host"), query.get("seat")
    try:
        room = store().room(code)
    except RoomError as error:
        st.error(t("room.missing", lang, problem=problem(error, lang)))
        return
    if host is not None:
        if not store().is_facilitator(room["code"], host):
            st.error(t("room.not_facilitator", lang))
            return
        projector(room["code"], host, lang)
    elif token is not None:
        seat_page(room["code"], token, lang)
    else:
        join_form(room, lang)


# -- refreshing ----------------------------------------------------------------------------------------------------
def _watch(code: str, version: tuple, secret: str | None = None, token: str | None = None) -> None:
    """Poll the room once a second: the facilitator's page lets the timer close a stage; a participant's page says
    it is still there (a phone not heard from for a while has dropped out and a bot plays its seat). Redraw the page
    when anything changed; otherwise only the clock moves."""

    inline = [True]  # the run inside the page's own run compares nothing: the page was drawn from this version

    @st.fragment(run_every=1.0)
    def poll() -> None:
        s = store()
        try:
            if secret is not None:
                flow.tick(s, code, secret)
            seat = s.seat_of(code, token) if token is not None else None
            now = s.version(code, seat=seat)
            room = s.room(code)
        except (RoomError, Refused):
            return
        if now != version and not inline[0]:
            st.rerun(scope="app")
        left = s.time_left(room)
        if room["paused"] is not None:
            st.markdown(f"<p class='room-timer'>⏸ {t('room.paused', st.session_state.get('lang', 'en'))}</p>",
                        unsafe_allow_html=True)
        elif left is not None:
            st.markdown(f"<p class='room-timer'>⏱ {t('room.timer', st.session_state.get('lang', 'en'), seconds=int(round(left)))}</p>",
                        unsafe_allow_html=True)

    poll()
    inline[0] = False


# -- the facilitator's projector -------------------------------------------------------------------------------------
def projector(code: str, secret: str, lang: str) -> None:
    """The projector: the room's river with every seat, who agreed and who grabbed, trust, the stock and the wells, a
    timer, and the controls (this page only: it holds the facilitator's secret)."""
    s = store()
    version = s.version(code)
    state = flow.state(s, code)
    room, stage = state.room, state.room["phase"]
    seasons = state.config.world.seasons
    head, timer = st.columns([4, 1])
    with head:
        title = t(f"room.stage.{stage}", lang)
        if stage not in ("lobby", "debrief"):
            title = f"{t('room.season', lang, season=room['season'] + 1, seasons=seasons)} · {title}"
        st.markdown(f"<p class='room-big'>{html.escape(title)}</p>", unsafe_allow_html=True)
    with timer:
        _watch(code, version, secret=secret)
    if stage == "lobby":
        lobby(room, state.names, lang)
    elif stage == "debrief":
        debrief_view(code, state, lang)
    else:
        river = state.village.river()
        left, right = st.columns([3, 1])
        with left:
            st.plotly_chart(river_figure(river, state.names, lang), width="stretch", key="room_river",
                            config=charts.config(False))
        with right:
            if stage in ("talk", "offer", "act"):
                missing, asked = state.waiting()
                st.metric(t("room.answered.label", lang), f"{len(asked) - len(missing)} / {len(asked)}")
                if missing:
                    st.caption(t("room.waiting_for", lang, names=", ".join(plain(state.names[i]) for i in sorted(missing))))
            if stage == "results":
                st.markdown(season_line(state, lang))
            st.metric(t("room.river.water", lang), fmt.percent(river["stock_share"], lang))
            st.metric(t("room.river.wells", lang), fmt.number(river["wells"], lang, 1))
            st.caption(t("room.join_during_play", lang, code=room["code"]))
    controls(code, secret, room, lang)


def season_line(state: flow.RoomState, lang: str) -> str:
    """The season in one line for the room: how many pairs agreed, who grabbed, who broke their word, the harvest."""
    m = state.village.model
    last = m.last
    pairs = int(last.get("pairs", 0))
    agreed = int(round(last.get("agreement_rate", 0.0) * pairs)) if pairs else 0
    harvest = float(m.payoff.sum() / m.full_harvest.sum())
    return t("room.season_line", lang, agreed=agreed, pairs=pairs, grabbed=int(round(last.get("grab_rate", 0) * m.n)),
             broke=int(last.get("breaches", 0)), harvest=fmt.percent(harvest, lang))


def controls(code: str, secret: str, room: dict, lang: str) -> None:
    s = store()
    stage = room["phase"]
    last_results = stage == "results" and room["season"] + 1 >= flow.settings(room).world.seasons
    shown = []  # (label, key, action, primary): only the buttons this stage has, side by side
    if stage != "debrief":
        label = {"lobby": "room.control.start", "results": "room.control.next_season"}.get(stage, "room.control.next")
        if last_results:
            label = "room.control.debrief"  # the last season's results: next is what happened
        shown.append((label, "room_next", lambda: flow.close_stage(s, code, secret), True))
    if stage in ("talk", "offer", "act"):
        paused = room["paused"] is not None
        shown.append(("room.control.resume" if paused else "room.control.pause", "room_pause",
                      lambda: s.pause(code, secret, not paused), False))
    if stage not in ("lobby", "debrief") and flow.played(room) >= 1 and not last_results:
        shown.append(("room.control.debrief", "room_debrief", lambda: flow.reveal_debrief(s, code, secret), False))
    timer = stage != "debrief"
    cols = st.columns(len(shown) + int(timer)) if shown or timer else []
    for col, (label, key, action, primary) in zip(cols, shown, strict=False):
        col.button(t(label, lang), key=key, type="primary" if primary else "secondary", width="stretch",
                   on_click=_act, args=(action,))
    if timer:
        with cols[-1]:
            options = [30, 45, 60, 90, 120, 180]
            current = int(room["timer"]) if int(room["timer"]) in options else 60
            st.selectbox(t("room.control.timer", lang), options, index=options.index(current), key="room_timer",
                         on_change=lambda: _act(lambda: s.set_timer(code, secret, st.session_state["room_timer"])))
    st.caption(t("room.control.note", lang))
    if stage in ("results", "debrief") and len(s.decisions(code)):  # a whole season to keep; not on every redraw
        frame, meta = flow.record(s, code, secret)
        left, right = st.columns(2)
        left.download_button(t("room.control.export", lang), flow.export_bytes(frame, meta, "csv"),
                             file_name=f"room-{code}.csv", mime="text/csv", key="room_export")
        right.download_button(t("room.control.export_parquet", lang), flow.export_bytes(frame, meta, "parquet"),
                              file_name=f"room-{code}.parquet", mime="application/octet-stream",
                              key="room_export_parquet")


def _act(action) -> None:
    """A facilitator's tap (a callback: the page then draws once, already moved on)."""
    try:
        action()
    except (RoomError, Refused) as error:
        st.session_state["room_problem"] = problem(error, st.session_state.get("lang", "en"))


def lobby(room: dict, names: dict[int, str], lang: str) -> None:
    """Before the first meeting: the room code large, the QR code of the join link, who has joined."""
    st.markdown(f"<p class='story-sentence'>{t('room.lobby', lang, code=room['code'])}</p>", unsafe_allow_html=True)
    left, right = st.columns([1, 2])
    with left:
        join = share.link_for(st.context.url or share.FALLBACK_URL, {"room": room["code"], "lang": lang},
                              share.lan_address())
        st.image(share.qr_png(join), width=220, caption=t("room.scan", lang))
        st.markdown(f"<p class='room-link'>{html.escape(join)}</p>", unsafe_allow_html=True)
    with right:
        st.metric(t("room.joined", lang), f"{len(names)} / {room['seats']}")
        shown = [plain(n) for _, n in sorted(names.items())]
        st.markdown(", ".join(shown) if shown else t("room.nobody", lang))
        st.caption(t("room.bots", lang, bots=room["seats"] - len(names)))
    st.info(t("room.next", lang))


def river_figure(river: dict, names: dict[int, str], lang: str) -> go.Figure:
    """The room's river (:meth:`rooms.game.Village.river`): a band whose width is the water left (brown when it has
    run dry), every seat at its place from head (left) to tail, coloured by how its meeting went, and a line between
    partners as strong as their trust."""
    pos = np.asarray(river["position"])
    n = pos.size
    lane = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)  # seats alternate on the two banks
    fig = go.Figure()
    width = 2 + 30 * max(0.0, min(1.0, river["stock_share"]))
    dry = river["collapsed"] or river["stock_share"] < 0.1
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 0], mode="lines", line={"color": "#8d6e63" if dry else "#4fc3f7",
                             "width": width}, hoverinfo="skip", showlegend=False))
    bend = np.sin(np.linspace(0.0, np.pi, 16))
    for i, ((a, b), trust) in enumerate(zip(river["pairs"], river["trust"], strict=True)):
        # Partners on the same bank are joined by an arc that dips towards the river (never through other seats);
        # partners on opposite banks by a line across it.
        xs = np.linspace(pos[a], pos[b], bend.size)
        ys = lane[a] * (0.85 - 0.55 * bend) if lane[a] == lane[b] else np.linspace(lane[a], lane[b], bend.size) * 0.85
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines",
                                 line={"color": f"rgba(84,110,122,{0.2 + 0.8 * trust:.2f})", "width": 1 + 6 * trust},
                                 hoverinfo="skip", name=t("room.river.trust", lang), legendgroup="trust",
                                 showlegend=i == 0))
    status = np.asarray(river["status"], dtype=object)
    for kind, colour in STATUS_COLOURS.items():
        rows = np.flatnonzero(status == kind)
        if rows.size == 0:
            continue
        fig.add_trace(go.Scatter(
            x=pos[rows], y=lane[rows], mode="markers+text", name=t(f"room.river.{kind}", lang),
            marker={"size": 22, "color": colour, "line": {"width": 1, "color": "white"}},
            text=[_label(int(i), names) for i in rows],
            textposition=["top center" if lane[i] > 0 else "bottom center" for i in rows],
            textfont={"size": 17, "color": "#212121"},
            hovertext=[html.escape(_who(int(i), names, lang)) for i in rows], hoverinfo="text"))
    fig.update_layout(height=430, margin={"l": 60, "r": 20, "t": 40, "b": 30}, font={"size": 15},
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 16}},
                      plot_bgcolor="white",
                      xaxis={"visible": True, "range": [-0.03, 1.03], "showgrid": False, "zeroline": False,
                             "tickfont": {"size": 16},
                             "tickvals": [0.02, 0.98], "ticktext": [t("room.river.head", lang), t("room.river.tail", lang)]},
                      yaxis={"visible": False, "range": [-1.8, 1.8]})
    if dry:
        fig.add_annotation(x=0.5, y=0, text=t("room.river.dry", lang), showarrow=False, font={"size": 20})
    return fig


def debrief_view(code: str, state: flow.RoomState, lang: str) -> None:
    """The room's outcome beside the all-slice and all-expand villages (same world, seed and seasons), season by
    season, what people in the room did, and the questions to ask."""
    outcome = flow.debrief_of(store(), code)
    _debrief_sentence(outcome, lang)
    if outcome["expand"]["harvest"] < outcome["slice"]["harvest"]:
        st.markdown(t("room.debrief.not_yet", lang, seasons=flow.played(state.room)))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(debrief_figure(flow.debrief_seasons_of(store(), code), lang), width="stretch",
                        key="room_debrief_chart", config=charts.config(False))
    with right:  # what to talk about, above the fold
        deeds = room_deeds(state, lang)
        if deeds:
            st.markdown(f"**{t('room.debrief.deeds', lang)}** " + "; ".join(deeds))
        st.markdown(f"**{t('room.debrief.ask', lang)}**")
        for key in DEBRIEF_QUESTIONS:
            st.markdown(f"- {t(key, lang)}")
    rows = [("harvest", lambda v: fmt.percent(v, lang)), ("water_left", lambda v: fmt.percent(v, lang)),
            ("agreements", lambda v: fmt.percent(v, lang)), ("grabs", lambda v: fmt.number(v, lang)),
            ("broken", lambda v: fmt.number(v, lang)),
            ("ran_dry", lambda v: t("room.debrief.yes" if v else "room.debrief.no", lang))]
    header = "| | " + " | ".join(t(f"room.debrief.{v}", lang) for v in ("room", "slice", "expand")) + " |"
    lines = [header, "|---|---|---|---|"]
    for key, show in rows:
        lines.append(f"| {t(f'room.debrief.{key}', lang)} | "
                     + " | ".join(show(outcome[v][key]) for v in ("room", "slice", "expand")) + " |")
    st.markdown("\n".join(lines))
    st.caption(t("room.debrief.villages", lang))


def _debrief_sentence(outcome: dict[str, dict[str, float]], lang: str) -> None:
    _sentence(t("room.debrief.sentence", lang, **{v: fmt.percent(outcome[v]["harvest"], lang)
                                                  for v in ("room", "slice", "expand")}))


def debrief_figure(seasons, lang: str) -> go.Figure:
    """Harvest per season (share of a full harvest) of the room's village and the two bot villages."""
    fig = go.Figure()
    colours = charts.RUN_COLOURS  # the app's colours: slicing red-orange, expanding green, one's own blue
    styles = {"room": (colours["yours"], "solid", 5), "slice": (colours["slice"], "dot", 3),
              "expand": (colours["expand"], "dash", 3)}
    for village, (colour, dash, width) in styles.items():
        part = seasons[seasons.village == village]
        fig.add_trace(go.Scatter(x=part.season + 1, y=part.harvest, mode="lines+markers",
                                 name=t(f"room.debrief.{village}", lang),
                                 line={"color": colour, "dash": dash, "width": width}))
    fig.update_layout(height=330, margin={"l": 10, "r": 10, "t": 40, "b": 10}, font={"size": 16},
                      legend={"orientation": "h", "y": -0.25, "x": 0}, plot_bgcolor="white",
                      title={"text": t("room.debrief.chart", lang), "font": {"size": 16}, "y": 0.99},
                      xaxis={"title": t("room.debrief.season_axis", lang), "dtick": 1},
                      yaxis={"tickformat": ".0%", "rangemode": "tozero"},
                      separators=charts.SEPARATORS.get(lang, charts.SEPARATORS["en"]))
    return fig


def _answered_kinds(state: flow.RoomState) -> dict[tuple[int, int], set[str]]:
    """What each seat answered in each season: who played a seat when (a season with nothing answered was the
    computer's)."""
    out: dict[tuple[int, int], set[str]] = {}
    for r in state.decisions.itertuples():
        out.setdefault((int(r.season), int(r.seat)), set()).add(r.kind)
    return out


def room_deeds(state: flow.RoomState, lang: str) -> list[str]:
    """What the people in the room did that the room should talk about: who grabbed, who broke their word. Only
    what a person decided counts: a season the computer played their seat is not theirs to answer for."""
    village = state.village
    answered = _answered_kinds(state)
    out = []
    for seat, name in sorted(state.names.items()):
        history = village.history(seat)
        grabbed = [h["season"] + 1 for h in history if h["partner"] >= 0 and h["agreed"] is False
                   and "offer" in answered.get((h["season"], seat), set())]
        broke = [h["season"] + 1 for h in history if h["broke"]
                 and answered.get((h["season"], seat), set()) & {"keep", "invest"}]
        if broke:
            out.append(t("room.deed.broke", lang, name=plain(name), seasons=", ".join(map(str, broke))))
        if grabbed:
            out.append(t("room.deed.grabbed", lang, name=plain(name), seasons=", ".join(map(str, grabbed))))
    return out


# -- joining -------------------------------------------------------------------------------------------------------
def join_form(room: dict, lang: str) -> None:
    st.subheader(t("room.join.title", lang, code=room["code"]))
    if room["phase"] == "debrief":  # say so before anyone types a name
        st.info(t("room.error.ended", lang).capitalize() + ".")
        return
    with st.form("join"):
        name = st.text_input(t("room.name", lang), max_chars=24, key="room_name")
        joined = st.form_submit_button(t("room.join", lang), type="primary")
    if joined:
        try:
            keys = store().join(room["code"], name)
        except RoomError as error:
            st.error(t("room.cannot_join", lang, problem=problem(error, lang)))
            return
        st.query_params.from_dict({"room": keys.code, "seat": keys.token, "lang": lang})
        st.rerun()


# -- a participant's phone -------------------------------------------------------------------------------------------
def package_picture(x: list[float] | np.ndarray, lang: str) -> str:
    """A package drawn for a phone (never four sliders): bars for the water and the dry-season turns one gets and
    the canal work the partner does (every bar: fuller is better for you), and whether the well is built. ``x`` is
    in the participant's own frame."""
    water, turns, work, well = (float(v) for v in x)
    rows = [("💧", t("room.pic.water", lang), water), ("☀️", t("room.pic.turns", lang), turns),
            ("🛠️", t("room.pic.work", lang), work)]
    body = "".join(f"<div class='row'><span class='label'>{icon} {html.escape(label)}</span><span class='bar'>"
                   f"<span class='fill' style='display:block;width:{100 * value:.0f}%'></span></span></div>"
                   for icon, label, value in rows)
    built = "none" if well < 0.02 else "some" if well < 0.75 else "full"  # any share of it is "partly built"
    body += f"<div class='row'><span class='label'>🪣 {html.escape(t('room.pic.well', lang))}</span>" \
            f"<span>{html.escape(t(f'room.pic.well.{built}', lang))}</span></div>"
    return f"<div class='room-card'>{body}</div>"


def seat_page(code: str, token: str, lang: str) -> None:
    """A participant's phone: who they are, and at each stage the one thing they are asked, in a few taps."""
    s = store()
    try:
        seat = s.seat_of(code, token)
    except Refused:
        st.error(t("room.bad_seat", lang))
        return
    version = s.version(code, seat=seat)  # a phone redraws for its own seat's news, not for every answer in the room
    state = flow.state(s, code)
    room, village, stage = state.room, state.village, state.room["phase"]
    name = state.names.get(seat, "")
    st.subheader(t("room.you", lang, name=plain(name), seat=seat + 1))
    if stage not in ("lobby", "debrief"):
        st.caption(f"{t('room.season', lang, season=room['season'] + 1, seasons=state.config.world.seasons)} · "
                   f"{t(f'room.stage.{stage}', lang)}")
    _watch(code, version, token=token)  # the clock, when one runs (and the page's heartbeat)
    if stage == "lobby":
        about = organisation(village, seat)
        _sentence(t("room.about", lang, place=_place(about["position"], lang), need=fmt.percent(about["need"], lang),
                    first=t(f"room.issue.{ISSUES[about['first']]}", lang)))
        st.markdown(f"**{t('room.priorities', lang)}**")
        for i, weight in enumerate(about["weights"]):
            st.progress(min(1.0, float(weight) / max(about["weights"])), text=t(f"room.issue.{ISSUES[i]}", lang))
        st.info(t("room.wait", lang))
        return
    if stage == "debrief":
        participant_debrief(code, state, seat, lang)
        return
    first = organisation(village, seat)["first"]  # said at every step: a latecomer never saw the lobby
    st.caption(t("room.matters", lang, first=t(f"room.issue.{ISSUES[first]}", lang)))
    _defaults_note(state, seat, lang)
    partner = village.partner(seat)
    if partner < 0:
        st.info(t("room.partner.none", lang))
    elif stage != "results":
        shown_as = _who(partner, state.names if state.person_at(partner) else {}, lang)
        st.markdown(f"**{plain(t('room.partner', lang, partner=shown_as))}**")
        st.caption(t("room.partner.trust", lang, level=_level(village.trust(seat, partner), lang),
                     reputation=_level(village.reputation(partner), lang)))
        met = [h for h in village.history(seat) if h["partner"] == partner]
        if met:  # what one remembers of this partner: the last time you met
            last = met[-1]
            key = ("room.met.grabbed" if not last["agreed"] else
                   "room.met.broke" if last["partner_broke"] else "room.met.kept")
            st.caption(t(key, lang, season=last["season"] + 1))
    if stage == "results":
        result = village.result(seat)
        _sentence(t("room.result", lang, payoff=fmt.percent(result["harvest"], lang), water=fmt.percent(min(result["water"], 9.99), lang)))
        if result["partner"] >= 0 and not result["agreed"]:
            st.markdown(t("room.result.you_grabbed", lang))
        elif result["agreed"]:
            st.markdown(t("room.result.you_broke" if result["broke"] else "room.result.you_kept", lang) + " "
                        + t("room.result.partner_broke" if result["partner_broke"] else "room.result.partner_kept",
                            lang))
        st.caption(t("room.result.total", lang, total=fmt.percent(result["mean_harvest"], lang), rank=result["rank"],
                     n=village.model.n))
        return
    asked = village.asked(seat)
    answered = {r.kind: r.value for r in state.seat_answers(seat).itertuples()}
    if stage == "act" and partner >= 0:
        agreement = village.agreement(seat)
        if agreement is None:
            st.warning(t("room.no_agreement", lang))
        else:
            offered = answered.get("offer")
            mine = offered.get("package") if isinstance(offered, dict) else None
            same = mine is not None and np.allclose(agreement, mine, atol=1e-6)
            st.markdown(t("room.accepted" if same else "room.agreed_other", lang))
            st.markdown(package_picture(agreement, lang), unsafe_allow_html=True)
    if not asked:
        if partner < 0 or stage == "act":
            st.caption(t("room.nothing_asked", lang))
        return
    for kind in asked:
        if kind in answered:
            st.success(t("room.recorded", lang, answer=_answer_words(kind, answered[kind], lang)))
            continue
        ask(code, token, kind, village, seat, lang)
        break  # one question at a time


def _answer_words(kind: str, value, lang: str) -> str:
    if kind == "offer":
        return t(f"room.card.{value['card']}", lang)
    return t(f"room.{kind}.{'yes' if value else 'no'}", lang)


def _defaults_note(state: flow.RoomState, seat: int, lang: str) -> None:
    """Tell a participant, in one note, which of this season's answers were taken for them."""
    mine = state.seat_answers(seat)
    mine = mine[mine.by_default]
    if len(mine):
        words = "; ".join(_answer_words(r.kind, r.value, lang) for r in mine.itertuples())
        st.warning(t("room.by_default", lang, answer=words))


def ask(code: str, token: str, kind: str, village: Village, seat: int, lang: str) -> None:
    """One question, answered with one tap."""
    if kind == "offer":
        told = village.partner_told(seat)
        if told is not None:
            st.caption(t("room.partner.told" if told else "room.partner.silent", lang))
        cards = village.cards(seat)
        partner = village.partner(seat)
        st.markdown(f"**{t('room.ask.offer', lang)}**")
        if "accept" not in cards and village.people.held(village.season, partner) is not None:
            st.caption(t("room.ask.offer.person", lang))
        for card, package in cards.items():
            with st.container(border=False, key=f"card_{card}"):
                st.markdown(f"**{t(f'room.card.{card}', lang)}**")
                st.markdown(package_picture(package, lang), unsafe_allow_html=True)
                st.button(t("room.choose", lang), key=f"room:offer:{card}", width="stretch", on_click=_answer,
                          args=(code, token, kind, {"card": card}))
        return
    if kind == "invest":
        question = t("room.ask.invest", lang, amount=fmt.percent(village.promised(seat) / village.full_harvest(seat), lang))
    else:
        question = t(f"room.ask.{kind}", lang)
    st.markdown(f"<p class='story-sentence'>{html.escape(question)}</p>", unsafe_allow_html=True)
    yes, no = st.columns(2)
    yes.button(t(f"room.{kind}.yes", lang), key=f"room:{kind}:yes", width="stretch",
               on_click=_answer, args=(code, token, kind, True))
    no.button(t(f"room.{kind}.no", lang), key=f"room:{kind}:no", width="stretch", on_click=_answer,
              args=(code, token, kind, False))


def _answer(code: str, token: str, kind: str, value) -> None:
    """A participant's tap, recorded before the page draws (a callback), so one tap costs one run."""
    try:
        flow.answer(store(), code, token, kind, value)
    except (AlreadyAnswered, NotNow):
        pass  # a double tap (the first answer counts), or the room moved on while they tapped: the page redraws
    except (RoomError, Refused) as error:
        st.session_state["room_problem"] = problem(error, st.session_state.get("lang", "en"))


def participant_debrief(code: str, state: flow.RoomState, seat: int, lang: str) -> None:
    """A participant's own result and what their partners did, then the village against the bot villages."""
    st.markdown(f"**{t('room.debrief.title', lang)}**")
    village = state.village
    mine = village.result(seat)
    _sentence(t("room.debrief.you", lang, total=fmt.percent(mine["mean_harvest"], lang), rank=mine["rank"],
                n=village.model.n))
    answered = _answered_kinds(state)
    for h in village.history(seat):
        if not answered.get((h["season"], seat)):
            what = t("room.history.computer", lang)
        elif h["partner"] < 0:
            what = t("room.history.alone", lang)
        elif not h["agreed"]:
            what = t("room.history.grabbed", lang)
        else:
            what = t({(False, False): "room.history.agreed_kept", (True, False): "room.history.agreed_you_broke",
                      (False, True): "room.history.agreed_they_broke", (True, True): "room.history.agreed_both_broke"}
                     [(h["broke"], bool(h["partner_broke"]))], lang)
        partner = _who(h["partner"], state.names, lang) if h["partner"] >= 0 else "-"
        st.markdown("- " + plain(t("room.debrief.history", lang, season=h["season"] + 1, partner=partner, what=what)))
    _debrief_sentence(flow.debrief_of(store(), code), lang)

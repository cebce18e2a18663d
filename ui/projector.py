"""The facilitator's projector: the room's river, the clock, and the controls, readable with 60 seats at 1280×720.

Everything the facilitator presses is in one row under the title (Next, Pause, Show what happened, the seconds per
step, and the Room menu with the participants, joining and the record), so it is above the fold at every stage
whatever the river or the list of names below it holds. The page is a view: the server's clock closes stages
(:mod:`rooms.clock`), so closing this tab stops nothing. A name is always text (:func:`ui.room_shared.plain`).
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from rooms import flow
from ui import charts, fmt, share
from ui.room_shared import act, counted, how_broken, plain, sentence, store, watch, when, who
from ui.text import t

STATUS_COLOURS = {"agreed": "#2e7d32", "grabbed": "#c62828", "broke": "#ef6c00", "meeting": "#1565c0",
                  "alone": "#9e9e9e"}
DEBRIEF_QUESTIONS = ("room.debrief.q1", "room.debrief.q2", "room.debrief.q3", "room.debrief.q4", "room.debrief.q5")
"""The debrief's questions, about what this room did (the workshop story's questions, asked of the room)."""
NAMES_ON_RIVER = 12  # beyond this many seats the river shows organisation numbers (names are in the hover)
WAITING_SHOWN = 5  # names listed under "waiting for"; the rest are counted


def projector(code: str, secret: str, lang: str) -> None:
    """The projector: the room's river with every seat, who agreed and who grabbed, trust, the stock and the wells, a
    timer, and the controls (this page only: it holds the facilitator's secret)."""
    s = store()
    version = s.version(code)
    state = flow.state(s, code)
    room, stage = state.room, state.room["phase"]
    seasons = state.config.world.seasons
    head, clock_ = st.columns([4, 1])
    with head:
        title = t(f"room.stage.{stage}", lang)
        if stage not in ("lobby", "debrief"):
            title = f"{when(room, seasons, lang)} · {title}"
        st.markdown(f"<p class='room-big'>{html.escape(title)}</p>", unsafe_allow_html=True)
    with clock_:
        watch(code, version, lang)
    controls(code, secret, state, lang)
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
            if stage == "results":  # under the river it describes, full width: in the narrow column beside it, the
                st.markdown(season_line(state, lang))  # Indonesian line pushed the latecomers' QR code off the screen
        with right:
            if stage in ("talk", "offer", "act"):
                waiting(state, lang)
            water, wells = st.columns(2)  # side by side: one screen, with the latecomers' QR code under them
            water.metric(t("room.river.water", lang), fmt.percent(river["stock_share"], lang))
            # an amount, not a count: a first season's wells are a fraction of one, which a whole number read 0
            wells.metric(t("room.river.wells", lang), fmt.number(river["wells"], lang, 1 if river["wells"] < 10 else 0))
            join_corner(room, lang)


def waiting(state: flow.RoomState, lang: str) -> None:
    """How many have answered, and a short list of who is still to: a count and a few names, never sixty."""
    missing, asked = state.waiting()
    st.metric(t("room.answered.label", lang), f"{len(asked) - len(missing)} / {len(asked)}")
    half = state.half_way()
    if half:
        st.caption(t("room.half_way", lang, n=len(half)))
    if missing:
        names = [state.names[i] for i in sorted(missing)]
        shown = ", ".join(names[:WAITING_SHOWN])
        if len(names) > WAITING_SHOWN:
            shown += " " + t("room.waiting.more", lang, n=len(names) - WAITING_SHOWN)
        st.caption(plain(t("room.waiting_for", lang, n=len(names), names=shown)))


def join_link(room: dict, lang: str) -> str:
    """The room's join link (the laptop's network address in place of localhost). It carries no language: each
    phone opens in its own browser's language and switches there."""
    return share.link_for(st.context.url or share.FALLBACK_URL, {"room": room["code"]}, share.lan_address())


def join_corner(room: dict, lang: str) -> None:
    """During play: the join link and its QR code, small, for a latecomer."""
    if room["locked"]:
        st.caption(t("room.locked", lang))
        return
    link = join_link(room, lang)
    st.caption(t("room.join_during_play", lang, code=room["code"]))
    st.image(share.qr_png(link), width=120)
    st.markdown(f"<p class='room-corner'>{html.escape(link)}</p>", unsafe_allow_html=True)


def season_line(state: flow.RoomState, lang: str) -> str:
    """The meeting in one line for the room: how many pairs agreed, who grabbed, who broke their word, the harvest,
    and for how many of the people here the timer answered (so nobody reads a default as their choice)."""
    m = state.village.model
    last = m.last
    pairs = int(last.get("pairs", 0))
    agreed = int(round(last.get("agreement_rate", 0.0) * pairs)) if pairs else 0
    harvest = float(m.payoff.sum() / m.full_harvest.sum())
    season = state.room["season"]
    timer = sum(1 for (s, _), entry in state.played_by().items() if s == season and entry["timer"])
    line = t("room.season_line", lang, agreed=agreed, pairs=pairs, grabbed=int(round(last.get("grab_rate", 0) * m.n)),
             broke=int(last.get("breaches", 0)), harvest=fmt.percent(harvest, lang))
    return f"{line} {t('room.season_line.timer', lang, timer=timer)}" if timer else line


def controls(code: str, secret: str, state: flow.RoomState, lang: str) -> None:
    """One row of everything the facilitator presses, right under the title."""
    s = store()
    room = state.room
    stage = room["phase"]
    last_results = stage == "results" and flow.played(room) >= state.config.world.seasons
    shown = []  # (label, key, action, primary): only the buttons this stage has, side by side
    if stage != "debrief":
        label = {"lobby": "room.control.start", "results": "room.control.next_season"}.get(stage, "room.control.next")
        if last_results:
            label = "room.control.debrief"  # the last meeting's results: next is what happened
        seen = (stage, room["season"])  # Next closes the stage this page shows, never the one after it
        shown.append((label, "room_next", lambda: flow.close_stage(s, code, secret, expect=seen), True))
    if stage in ("talk", "offer", "act"):
        paused = room["paused"] is not None
        shown.append(("room.control.resume" if paused else "room.control.pause", "room_pause",
                      lambda: s.pause(code, secret, not paused), False))
    end_early = stage not in ("lobby", "debrief") and flow.played(room) >= 1 and not last_results
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small", key="room_controls"):
        for label, key, action, primary in shown:
            st.button(t(label, lang), key=key, type="primary" if primary else "secondary", on_click=act,
                      args=(action,))
        if end_early:  # it ends the game with seasons still to play, beside "Start the next season": asked first
            with st.popover(t("room.control.debrief", lang), key="room_debrief_menu"):
                st.markdown(t("room.control.debrief.warning", lang))
                st.button(t("room.control.debrief.confirm", lang), key="room_debrief", type="primary", on_click=act,
                          args=(lambda: flow.reveal_debrief(s, code, secret),))
        if stage != "debrief":
            options = [30, 45, 60, 90, 120, 180]
            current = int(room["timer"]) if int(room["timer"]) in options else 60
            st.selectbox(t("room.control.timer", lang), options, index=options.index(current), key="room_timer",
                         width=170, on_change=lambda: act(lambda: s.set_timer(code, secret,
                                                                             st.session_state["room_timer"])))
        with st.popover(t("room.control.room", lang), key="room_menu"):
            room_menu(code, secret, state, lang)


def room_menu(code: str, secret: str, state: flow.RoomState, lang: str) -> None:
    """The facilitator's room: participants (rename, remove), joining (lock, PIN), the record, the facilitator's
    link. In a menu that opens over the page, so the page itself stays one screen."""
    s = store()
    room = state.room
    st.markdown(f"**{t('room.people.title', lang)}**")
    if state.names:
        seated = sorted(state.names)
        seat = st.selectbox(t("room.people.choose", lang), seated, key="room_person",
                            format_func=lambda i: t("room.people.option", lang, name=state.names[i], seat=i + 1))
        name = st.text_input(t("room.people.rename", lang), key="room_rename")
        rename, remove = st.columns(2)
        rename.button(t("room.people.rename.do", lang), key="room_rename_do", on_click=act,
                      args=(lambda: s.rename(code, secret, seat, st.session_state.get("room_rename", "")),))
        remove.button(t("room.people.remove", lang), key="room_remove", on_click=act,
                      args=(lambda: s.remove(code, secret, seat),))
        st.caption(t("room.people.note", lang))
    else:
        st.caption(t("room.people.none", lang))
    st.toggle(t("room.lock", lang), value=room["locked"], key="room_lock",
              on_change=lambda: act(lambda: s.lock(code, secret, st.session_state["room_lock"])))
    pin_field, pin_button = st.columns([2, 1], vertical_alignment="bottom")
    pin_field.text_input(t("room.pin", lang), key="room_pin", max_chars=8)
    pin_button.button(t("room.pin.set", lang), key="room_pin_do", on_click=act, args=(lambda: _set_pin(code, secret),))
    if room["pin"]:
        kept = st.session_state.get("room_pin_set", {}).get(code)
        st.caption(t("room.pin.on", lang, pin=kept) if kept else t("room.pin.on_hidden", lang))
    if room["phase"] in ("results", "debrief") and len(state.decisions):  # a whole meeting to keep; not every redraw
        st.divider()
        pseudonymise = st.checkbox(t("room.export.pseudonymise", lang), key="room_pseudonymise")
        frame, meta = flow.record(s, code, secret, pseudonymise=pseudonymise)
        name = f"room-{code}{'-pseudonymised' if pseudonymise else ''}"
        left, right = st.columns(2)
        left.download_button(t("room.control.export", lang), flow.export_bytes(frame, meta, "csv"),
                             file_name=f"{name}.csv", mime="text/csv", key="room_export")
        right.download_button(t("room.control.export_parquet", lang), flow.export_bytes(frame, meta, "parquet"),
                              file_name=f"{name}.parquet", mime="application/octet-stream",
                              key="room_export_parquet")
    st.divider()
    st.caption(t("room.control.note", lang))
    with st.expander(t("room.link.again", lang)):
        link = share.link_for(st.context.url or share.FALLBACK_URL, {"room": code, "host": secret, "lang": lang},
                              share.lan_address())
        st.image(share.qr_png(link), width=160)
        st.markdown(f"<p class='room-corner'>{html.escape(link)}</p>", unsafe_allow_html=True)


def _set_pin(code: str, secret: str) -> None:
    pin = "".join(st.session_state.get("room_pin", "").split()) or None
    store().set_pin(code, secret, pin)
    st.session_state.setdefault("room_pin_set", {})[code] = pin


def lobby(room: dict, names: dict[int, str], lang: str) -> None:
    """Before the first meeting: the room code large, the QR code of the join link, who has joined."""
    st.markdown(f"<p class='story-sentence'>{html.escape(t('room.lobby', lang, code=room['code']))}</p>",
                unsafe_allow_html=True)
    left, right = st.columns([1, 2])
    with left:
        join = join_link(room, lang)
        st.image(share.qr_png(join), width=220, caption=t("room.scan", lang))
        st.markdown(f"<p class='room-link'>{html.escape(join)}</p>", unsafe_allow_html=True)
    with right:
        st.metric(t("room.joined", lang), f"{len(names)} / {room['seats']}")
        if room["locked"]:
            st.caption(t("room.locked", lang))
        bots = room["seats"] - len(names)
        st.caption(counted("room.bots", bots, lang, bots=bots))
        shown = [plain(n) for _, n in sorted(names.items())]
        st.markdown(", ".join(shown) if shown else t("room.nobody", lang))
    st.info(t("room.next", lang))


def _label(seat: int, names: dict[int, str], crowded: bool) -> str:
    """A seat's label on the river: a participant's name (cut, then escaped: Plotly reads markup), or the
    organisation's number, for the computer's seats and for everyone once the river is crowded."""
    name = names.get(seat)
    if not name or crowded:
        return str(seat + 1)
    return html.escape(name if len(name) <= 12 else name[:11] + "…")


def river_figure(river: dict, names: dict[int, str], lang: str) -> charts.Chart:
    """The room's river (:meth:`rooms.game.Village.river`): a band whose width is the water left (brown when it has
    run dry), every seat at its place from head (left) to tail, coloured by how its meeting went, and a line between
    partners as strong as their trust. Beyond a dozen seats the seats show their numbers (and people's seats a ring),
    names only on hover: thirty names along one river overlap into a line nobody can read. Plain data, not Plotly's
    objects: the projector redraws it at every answer, and thirty validated traces were most of its run."""
    pos = np.asarray(river["position"])
    n = pos.size
    crowded = n > NAMES_ON_RIVER
    lane = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)  # seats alternate on the two banks
    if crowded:  # four rows, two a bank, so neighbours' numbers do not touch
        lane = lane * np.where((np.arange(n) // 2) % 2 == 0, 1.0, 1.45)
    width = 2 + 30 * max(0.0, min(1.0, river["stock_share"]))
    dry = river["collapsed"] or river["stock_share"] < 0.1
    data: list[dict] = [{"type": "scatter", "x": [0, 1], "y": [0, 0], "mode": "lines", "hoverinfo": "skip",
                         "showlegend": False, "line": {"color": "#8d6e63" if dry else "#4fc3f7", "width": width}}]
    bend = np.sin(np.linspace(0.0, np.pi, 16))
    for i, ((a, b), trust) in enumerate(zip(river["pairs"], river["trust"], strict=True)):
        # Partners on the same bank are joined by an arc that dips towards the river (never through other seats);
        # partners on opposite banks by a line across it.
        xs = np.linspace(pos[a], pos[b], bend.size)
        same = np.sign(lane[a]) == np.sign(lane[b])
        ys = (np.sign(lane[a]) * (0.85 - 0.55 * bend) if same
              else np.linspace(np.sign(lane[a]), np.sign(lane[b]), bend.size) * 0.85)
        data.append({"type": "scatter", "x": charts.values(xs), "y": charts.values(ys), "mode": "lines",
                     "line": {"color": f"rgba(84,110,122,{0.2 + 0.8 * trust:.2f})",
                              "width": 1 + (3 if crowded else 6) * trust},
                     "hoverinfo": "skip", "name": t("room.river.trust", lang), "legendgroup": "trust",
                     "showlegend": i == 0})
    status = np.asarray(river["status"], dtype=object)
    person = np.array([i in names for i in range(n)])
    for kind, colour in STATUS_COLOURS.items():
        rows = np.flatnonzero(status == kind)
        if rows.size == 0:
            continue
        data.append({
            "type": "scatter", "x": charts.values(pos[rows]), "y": charts.values(lane[rows]), "mode": "markers+text",
            "name": t(f"room.river.{kind}", lang),
            "marker": {"size": 15 if crowded else 22, "color": colour,
                       "line": {"width": np.where(person[rows], 3, 1).tolist(),
                                "color": np.where(person[rows], "#212121", "white").tolist()}},
            "text": [_label(int(i), names, crowded) for i in rows],
            "textposition": ["top center" if lane[i] > 0 else "bottom center" for i in rows],
            "textfont": {"size": 12 if crowded else 17, "color": "#212121"},
            "hovertext": [html.escape(who(int(i), names, lang)) for i in rows], "hoverinfo": "text"})
    layout = {"height": 400, "margin": {"l": 40, "r": 20, "t": 40, "b": 30}, "font": {"size": 15},
              "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 15}},
              "plot_bgcolor": "white",
              "xaxis": {"visible": True, "range": [-0.03, 1.03], "showgrid": False, "zeroline": False,
                        "tickfont": {"size": 16}, "tickvals": [0.02, 0.98],
                        "ticktext": [t("room.river.head", lang), t("room.river.tail", lang)]},
              "yaxis": {"visible": False, "range": [-2.1, 2.1] if crowded else [-1.8, 1.8]}}
    if dry:
        layout["annotations"] = [{"x": 0.5, "y": 0, "text": t("room.river.dry", lang), "showarrow": False,
                                  "font": {"size": 20}}]
    return charts.Chart({"data": data, "layout": layout})


# -- the debrief -----------------------------------------------------------------------------------------------------
def debrief_view(code: str, state: flow.RoomState, lang: str) -> None:
    """The room's outcome beside the all-slice and all-expand villages (same world, seed and seasons), season by
    season, what people in the room did, and the questions to ask."""
    outcome = flow.debrief_of(store(), code)
    debrief_sentence(outcome, lang)
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


def debrief_sentence(outcome: dict[str, dict[str, float]], lang: str) -> None:
    sentence(t("room.debrief.sentence", lang, **{v: fmt.percent(outcome[v]["harvest"], lang)
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


def room_deeds(state: flow.RoomState, lang: str) -> list[str]:
    """What the people in the room did that the room should talk about: who grabbed, who broke their word. Only
    what a person decided counts: a season the computer played their seat, or an answer the timer gave for them, is
    not theirs to answer for (the timer's answers are said as such)."""
    village = state.village
    by = state.played_by()
    grabbed: dict[str, list[int]] = {}
    broke: dict[str, dict[str, list[int]]] = {"took_more": {}, "did_not_pay": {}, "broke": {}}
    timed: dict[str, list[int]] = {}
    seats = sorted({seat for _, seat in by})
    for seat in seats:
        for h in village.history(seat):
            entry = by.get((h["season"], seat))
            if entry is None or not entry["name"]:
                continue  # the computer's meeting
            season = h["season"] + 1
            if h["partner"] >= 0 and h["agreed"] is False and "offer" in entry["chose"]:
                grabbed.setdefault(entry["name"], []).append(season)
            if h["broke"] and entry["chose"] & {"keep", "invest"}:  # exactly what they broke, as their phone said
                broke[how_broken(h["broke_how"])].setdefault(entry["name"], []).append(season)
            if entry["timer"]:
                timed.setdefault(entry["name"], []).append(season)
    out = []
    listed = [(broke[how], f"room.deed.{how}") for how in ("broke", "took_more", "did_not_pay")]
    for deeds, key in (*listed, (grabbed, "room.deed.grabbed"), (timed, "room.deed.timer")):
        for name, seasons in sorted(deeds.items()):
            out.append(t(key, lang, name=plain(name), seasons=", ".join(map(str, seasons))))
    return out

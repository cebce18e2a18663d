"""Live rooms in the app: who this address says one is, the join form, and each participant's phone.

The page address carries who one is: ``?room=CODE`` (joining), ``?room=CODE&seat=TOKEN`` (a participant: a reload
gets the same seat back), ``?room=CODE&host=SECRET`` (the facilitator: :mod:`ui.projector`). Every rule (who may do
what, what a seat is asked, when a stage ends) is in :mod:`rooms.flow`; this module only draws and forwards taps. A
name is shown as text, never as markup. Pages poll the room's version (the projector every second, a phone by
:func:`ui.room_shared.poll_every`) and redraw only when it changed.

Who chose what is said as such on the phone: the participant, the timer (a default answer), or the computer (a
meeting the seat's participant was not there for), so nobody is asked to honour a deal without being told who
made it.
"""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from rooms import AlreadyAnswered, NotNow, Refused, RoomError, flow
from rooms.game import Village
from sim.commons import CommonsConfig
from sim.negotiation.domain import to_frame
from ui import fmt, share, views
from ui.projector import debrief_sentence, projector
from ui.room_shared import ROOM_CSS, forget, how_broken, plain, poll_every, problem, sentence, store, watch, when, who
from ui.text import t

ISSUES = ("volume_share", "dry_season_schedule", "maintenance_labour", "joint_investment")


def create_room(config: CommonsConfig, scenario_id: str, seats: int, meetings: int = 6, term: int = 1,
                mix: bool = False, hours: float = 12.0, pin: str | None = None) -> None:
    """The facilitator's button: a room for the current scenario; the page then shows the facilitator's link once,
    to save, before it becomes the projector."""
    keys = flow.create(store(), scenario_id, config, seats, meetings * term, term=term, mix=mix, hours=hours,
                       pin=pin or None)
    st.session_state["room_fresh"] = keys.code
    if pin:
        st.session_state.setdefault("room_pin_set", {})[keys.code] = "".join(pin.split())
    st.query_params.from_dict({"room": keys.code, "host": keys.facilitator_secret,
                               "lang": st.session_state.get("lang", "en")})


def organisation(village: Village, seat: int) -> dict[str, float]:
    """What a participant is told about their organisation: its place on the river, its need and what matters most
    to it, from the room's own world (the model draws them from the room's seed)."""
    model = village.model
    weights = model.weights[seat]
    return {"position": float(model.position[seat]), "need": float(model.need[seat] / model.need.mean()),
            "first": int(np.argmax(weights)), "weights": weights.tolist()}


def _place(position: float, lang: str) -> str:
    return t("room.place.head" if position < 1 / 3 else "room.place.middle" if position < 2 / 3 else "room.place.tail", lang)


def _level(x: float, lang: str) -> str:
    """Trust or reputation in words, in five steps (a broken promise moves it at least one step)."""
    for bound, word in ((0.2, "very_low"), (0.4, "low"), (0.6, "middle"), (0.8, "high")):
        if x < bound:
            return t(f"room.level.{word}", lang)
    return t("room.level.very_high", lang)


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
        if st.session_state.get("room_fresh") == room["code"]:
            save_link(room["code"], host, lang)
            return
        projector(room["code"], host, lang)
    elif token is not None:
        seat_page(room["code"], token, lang)
    else:
        join_form(room, lang)


def save_link(code: str, secret: str, lang: str) -> None:
    """Once, right after the room is made: the facilitator's link to save (and its QR code for their own phone),
    before the page becomes the projector the whole room sees."""
    st.subheader(t("room.link.title", lang))
    st.markdown(t("room.link.body", lang, code=code))
    link = share.link_for(st.context.url or share.FALLBACK_URL, {"room": code, "host": secret, "lang": lang},
                          share.lan_address())
    left, right = st.columns([1, 2])
    left.image(share.qr_png(link), width=220)
    right.markdown(f"<p class='room-link'>{html.escape(link)}</p>", unsafe_allow_html=True)
    st.button(t("room.link.open", lang), key="room_saved", type="primary",
              on_click=lambda: st.session_state.pop("room_fresh", None))


# -- joining -------------------------------------------------------------------------------------------------------
def join_form(room: dict, lang: str) -> None:
    st.subheader(t("room.join.title", lang, code=room["code"]))
    if room["phase"] == "debrief":  # say so before anyone types a name
        st.info(t("room.error.ended", lang).capitalize() + ".")
        return
    if room["locked"]:
        st.info(t("room.error.locked", lang).capitalize() + ".")
        return
    with st.form("join"):
        # no max_chars: a pasted long name must reach the check, which says how long it is (a browser's limit
        # would leave the field empty without a word)
        name = st.text_input(t("room.name", lang), key="room_name")
        pin = st.text_input(t("room.join.pin", lang), key="room_join_pin", max_chars=8) if room["pin"] else None
        joined = st.form_submit_button(t("room.join", lang), type="primary")
    if joined:
        try:
            keys = store().join(room["code"], name, pin=pin, lang=lang)
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
        seat = s.seat_of(code, token, lang=lang)
    except Refused:
        st.error(t("room.bad_seat", lang))
        return
    version = s.version(code, seat=seat)  # a phone redraws for its own seat's news, not for every answer in the room
    state = flow.state(s, code)
    room, village, stage = state.room, state.village, state.room["phase"]
    name = state.names.get(seat, "")
    me = state.sitting.get(seat)  # people.id of who sits here now
    st.subheader(plain(t("room.you", lang, name=name, seat=seat + 1)))
    if stage not in ("lobby", "debrief"):
        st.caption(f"{when(room, state.config.world.seasons, lang)} · {t(f'room.stage.{stage}', lang)}")
    watch(code, version, lang, token=token, seat=seat, every=poll_every(room["seats"]))  # the clock (and heartbeat)
    if stage == "lobby":
        about = organisation(village, seat)
        sentence(t("room.about", lang, place=_place(about["position"], lang), need=fmt.percent(about["need"], lang),
                   first=t(f"room.issue.{ISSUES[about['first']]}", lang)))
        st.markdown(f"**{t('room.priorities', lang)}**")
        for i, weight in enumerate(about["weights"]):
            st.progress(min(1.0, float(weight) / max(about["weights"])), text=t(f"room.issue.{ISSUES[i]}", lang))
        st.info(t("room.wait", lang))
        return
    if stage == "debrief":
        participant_debrief(code, state, seat, me, lang)
        return
    first = organisation(village, seat)["first"]  # said at every step: a latecomer never saw the lobby
    st.caption(t("room.matters", lang, first=t(f"room.issue.{ISSUES[first]}", lang)))
    _defaults_note(state, seat, lang)
    by = state.played_by()
    partner = village.partner(seat)
    if partner < 0:
        st.info(t("room.partner.none", lang))
    elif stage != "results":
        shown_as = who(partner, state.names if state.person_at(partner) else {}, lang)
        st.markdown(f"**{plain(t('room.partner', lang, partner=shown_as))}**")
        st.caption(t("room.partner.trust", lang, level=_level(village.trust(seat, partner), lang),
                     reputation=_level(village.reputation(partner), lang)))
        met = [h for h in village.history(seat) if h["partner"] == partner  # meetings this person played
               and (by.get((h["season"], seat)) or {}).get("person") == me]
        if met:  # what one remembers of this partner: the last time you met
            last = met[-1]
            # how_broken says "kept" where the partner kept their word: room.met.kept
            key = "room.met.grabbed" if not last["agreed"] else "room.met." + how_broken(last["partner_broke_how"])
            st.caption(t(key, lang, season=last["season"] + 1))
    if stage == "results":
        results(state, seat, me, lang)
        return
    asked = village.asked(seat)
    answered = {r.kind: r.value for r in state.seat_answers(seat)}
    if stage == "act" and partner >= 0:
        agreement = village.agreement(seat)
        if agreement is None:
            st.warning(t("room.no_agreement", lang))
        else:
            st.markdown(agreement_words(state, seat, me, agreement, lang))
            st.markdown(package_picture(agreement, lang), unsafe_allow_html=True)
            if village.term > 1:
                st.caption(t("room.term.note", lang, n=village.term))
    if not asked:
        if partner < 0 or stage == "act":
            st.caption(t("room.nothing_asked", lang))
        return
    for kind in asked:
        if kind in answered:  # "waiting for the others" only once nothing more is asked of this seat
            more = any(k not in answered for k in asked)
            st.success(t("room.recorded.more" if more else "room.recorded", lang,
                         answer=_answer_words(kind, answered[kind], lang)))
            continue
        ask(code, token, kind, village, seat, lang)
        break  # one question at a time


def _partner_package(state: flow.RoomState, seat: int) -> np.ndarray | None:
    """The package ``seat``'s partner offered at this meeting, in ``seat``'s frame; None where the partner gave no
    answer (the computer plays it)."""
    partner = state.village.partner(seat)
    offer = next((a for a in state.seat_answers(partner) if a.kind == "offer"), None) if partner >= 0 else None
    if offer is None or offer.value.get("package") is None:
        return None
    return to_frame(np.asarray(offer.value["package"], dtype=float)[:, None], state.village.model.domain.opposed)[:, 0]


def agreement_words(state: flow.RoomState, seat: int, me, agreement: np.ndarray, lang: str) -> str:
    """Who made the deal a phone is asked to keep: the participant (their offer accepted, or their partner's
    accepted by them, or a better one that adds the well), the timer (it chose their offer), or the computer (they
    were not there when the offers were made)."""
    offer = next((a for a in state.seat_answers(seat) if a.kind == "offer"), None)
    if offer is None or (me is not None and offer.person is not None and offer.person != me):
        return t("room.agreed_computer", lang)
    value = offer.value
    if offer.by_default:
        return t("room.agreed_timer", lang, card=t(f"room.card.{value['card']}", lang))
    if value["card"] == "accept":
        return t("room.accepted_theirs", lang)
    package = value.get("package")
    if package is not None and np.allclose(agreement, package, atol=1e-6):
        theirs = _partner_package(state, seat)
        same = theirs is not None and np.allclose(agreement, theirs, atol=1e-6)  # "half" and "well" read alike
        return t("room.offered_same" if same else "room.accepted", lang)  # from both sides: nobody accepted
    if package is not None and float(agreement[3]) >= 0.02 > float(package[3]):
        return t("room.agreed_well", lang)
    return t("room.agreed_other", lang)


def results(state: flow.RoomState, seat: int, me, lang: str) -> None:
    """A meeting's harvest on a phone, and who kept their word; a meeting the participant did not play is said to
    be the computer's, and an answer the timer gave is said to be the timer's."""
    village = state.village
    result = village.result(seat)
    key = "room.result" if result.get("seasons", 1) == 1 else "room.result.term"
    sentence(t(key, lang, payoff=fmt.percent(result["harvest"], lang), n=result.get("seasons", 1),
               water=fmt.percent(min(result["water"], 9.99), lang)))
    entry = state.played_by().get((state.room["season"], seat))
    mine = entry is not None and (me is None or entry["person"] == me)
    if not mine:
        st.markdown(t("room.result.computer", lang))
    elif result["partner"] >= 0 and not result["agreed"]:
        st.markdown(t("room.result.you_grabbed", lang))
    elif result["agreed"]:
        words = t(conduct_key("you", result["broke_how"]), lang)
        if entry["timer"] & {"keep", "invest"}:
            words += " " + t("room.result.timer", lang)
        st.markdown(words + " " + t(conduct_key("partner", result["partner_broke_how"]), lang))
    st.caption(t("room.result.total", lang, total=fmt.percent(result["mean_harvest"], lang), rank=result["rank"],
                 n=village.model.n))


def conduct_key(who: str, how: tuple[bool, bool] | None) -> str:
    """The text that says what ``who`` ("you" or "partner") did with the agreement: kept it, took more water, did
    not pay for the well, or both (``how`` as :meth:`rooms.game.Village.broke_how` gives it); a phone says exactly
    which."""
    return f"room.result.{who}_{how_broken(how)}"


def _answer_words(kind: str, value, lang: str) -> str:
    if kind == "offer":
        return t(f"room.card.{value['card']}", lang)
    return t(f"room.{kind}.{'yes' if value else 'no'}", lang)


def _defaults_note(state: flow.RoomState, seat: int, lang: str) -> None:
    """Tell a participant, in one note, which of this meeting's answers the timer gave for them."""
    mine = [a for a in state.seat_answers(seat) if a.by_default]
    if mine:
        words = "; ".join(_answer_words(a.kind, a.value, lang) for a in mine)
        st.warning(t("room.by_default", lang, answer=words))


def ask(code: str, token: str, kind: str, village: Village, seat: int, lang: str) -> None:
    """One question, answered with one tap."""
    if kind == "offer":
        partner, told = village.partner(seat), village.partner_told(seat)
        if told:  # what they told: their organisation's first need (a partner who told and is not named is no help)
            first = organisation(village, partner)["first"]
            st.caption(t("room.partner.told", lang, first=t(f"room.partner_issue.{ISSUES[first]}", lang)))
        elif told is not None:
            st.caption(t("room.partner.silent", lang))
        cards = village.cards(seat)
        # "accept theirs" only where there is an offer of theirs to accept (a partner the computer plays)
        st.markdown(f"**{t('room.ask.offer' if 'accept' in cards else 'room.ask.offer.own', lang)}**")
        if "accept" not in cards and village.people.held(village.season, partner) is not None:
            st.caption(t("room.ask.offer.person", lang))
        for card, package in cards.items():
            with st.container(border=False, key=f"card_{card}"):
                st.markdown(f"**{t(f'room.card.{card}', lang)}**")
                st.markdown(package_picture(package, lang), unsafe_allow_html=True)
                st.button(t("room.choose", lang), key=f"room:offer:{card}", width="stretch", on_click=_answer,
                          args=(code, token, kind, {"card": card}, lang))
        return
    if kind == "invest":
        question = t("room.ask.invest", lang, amount=fmt.percent(village.promised(seat) / village.full_harvest(seat), lang))
    else:
        question = t(f"room.ask.{kind}", lang)
    st.markdown(f"<p class='story-sentence'>{html.escape(question)}</p>", unsafe_allow_html=True)
    yes, no = st.columns(2)
    yes.button(t(f"room.{kind}.yes", lang), key=f"room:{kind}:yes", width="stretch",
               on_click=_answer, args=(code, token, kind, True, lang))
    no.button(t(f"room.{kind}.no", lang), key=f"room:{kind}:no", width="stretch", on_click=_answer,
              args=(code, token, kind, False, lang))


def _answer(code: str, token: str, kind: str, value, lang: str) -> None:
    """A participant's tap, recorded before the page draws (a callback), so one tap costs one run."""
    s = store()
    try:
        flow.answer(s, code, token, kind, value, lang=lang)
    except (AlreadyAnswered, NotNow):
        pass  # a double tap (the first answer counts), or the room moved on while they tapped: the page redraws
    except (RoomError, Refused) as error:
        st.session_state["room_problem"] = problem(error, st.session_state.get("lang", "en"))
    forget(s, code)


def participant_debrief(code: str, state: flow.RoomState, seat: int, me, lang: str) -> None:
    """A participant's own result and what their partners did, then the village against the bot villages. Only the
    meetings they played are theirs; a partner is named only for a meeting a person played that seat."""
    st.markdown(f"**{t('room.debrief.title', lang)}**")
    village = state.village
    mine = village.result(seat)
    sentence(t("room.debrief.you", lang, total=fmt.percent(mine["mean_harvest"], lang), rank=mine["rank"],
               n=village.model.n))
    by = state.played_by()
    for h in village.history(seat):
        entry = by.get((h["season"], seat))
        if entry is None:
            what = t("room.history.computer", lang)
        elif me is not None and entry["person"] != me:
            what = t("room.history.someone_else", lang)
        elif h["partner"] < 0:
            what = t("room.history.alone", lang)
        elif not h["agreed"]:
            what = t("room.history.grabbed", lang)
        elif not (h["broke"] or h["partner_broke"]):
            what = t("room.history.agreed_kept", lang)
        else:  # exactly what each did, as the phone said at the season's end
            parts = [t(f"room.history.{who_}.{how_broken(h[key])}", lang)
                     for who_, key in (("you", "broke_how"), ("partner", "partner_broke_how")) if h[key] and any(h[key])]
            what = t("room.history.agreed_broken", lang, what=t("room.history.and", lang).join(parts))
        if entry is not None and entry["timer"] and (me is None or entry["person"] == me):
            what += t("room.history.timer", lang)
        partner = "-"
        if h["partner"] >= 0:
            theirs = by.get((h["season"], h["partner"]))
            partner = who(h["partner"], {h["partner"]: theirs["name"]} if theirs and theirs["name"] else {}, lang)
        st.markdown("- " + plain(t("room.debrief.history", lang, season=h["season"] + 1, partner=partner, what=what)))
    debrief_sentence(flow.debrief_of(store(), code), lang)

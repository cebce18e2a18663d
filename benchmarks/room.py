"""A live room on one laptop: 30 (or 60) phones and the projector against one `streamlit run app.py` (issue 20
targets: from a decision to the projector, p95 < 2 s at 30 phones and < 3 s at 60; to the phone's own screen
p95 < 1 s; nothing lost, no tap repeated).

    python benchmarks/room.py [--seats 30] [--seasons 3] [--think 10] [--poll 1] [--seed 7]

Every participant is a session of benchmarks/streamlit_protocol.py (Streamlit's own websocket protocol, as a phone's
browser speaks it; the phones' browsers are not on this machine, the server and the clients are). Each joins through
the room's join form, then does what its page does: polls as often as the page's ``st.fragment(run_every=...)`` asks
(once a second up to 30 seats, then less often: see :func:`ui.room_shared.poll_every`; ``--poll`` overrides it), the
fragment alone, the whole page when the room changed, and when its page asks something, answers it after a think
time drawn uniformly between half and one and a half ``--think`` seconds (seeded), by tapping the button. A tap the
page comes back from still asking is tapped again a second later, as a person would, and counted. The projector (the
facilitator's page) polls once a second as its page does and taps "next" on the season's results five seconds after they show, and on a stage that asks nobody
anything. The stage timer is set to 600 s, so every answer is a person's; the last answer a stage waits for closes
it (the server does, not the projector).

Printed:

- decision to projector: for each answer that completes what its seat is asked at a stage, from the moment its tap
  is sent to the end of the projector's first run whose screen includes it (its "Answered n / m" count has reached
  the answers tapped so far at that stage, or the room has moved on). An answer that leaves a seat a second question
  (invest, then keep) does not change the projector's screen and is not in this figure;
- decision to own phone: from the tap to the end of the run that shows the answer as in (or the next question);
- stage change to phones: from a stage's opening (the room's timeline) to the end of each phone's first run that
  shows it (a phone learns of it at its next poll);
- lost: answers the phones saw taken minus non-default decisions in the store (0: nothing lost), and taps the page
  came back from still asking;
- the server's CPU (share of one core over the run) and peak resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit_protocol import ProtocolSession, RunReport  # noqa: E402
from streamlit_server import serve_app  # noqa: E402

from rooms import Store, flow  # noqa: E402
from sim.scenarios import default_scenario  # noqa: E402
from ui.room_shared import poll_every  # noqa: E402
from ui.text import t  # noqa: E402

STAGES = ("lobby", "talk", "offer", "act", "results", "debrief")
TITLE = re.compile(r"Season (\d+) of \d+ · ([^<\n]+)")


@dataclass
class Tap:
    seat: int
    season: int
    stage: str
    sent: float
    completes: bool = False  # the seat has nothing more to answer at this stage after it
    taken: bool = False
    own: float = float("nan")  # seconds to the phone's page showing it in
    shown: float = float("nan")  # seconds to the projector's screen including it
    closed: bool = False  # that screen was the next stage (the answer was the stage's last)


@dataclass
class Screen:
    """One whole projector page: when its run ended, and what it showed."""

    at: float
    season: int
    stage: str
    done: int
    asked: int


@dataclass
class Bench:
    code: str
    secret: str
    think: float
    poll: float
    rng: random.Random
    taps: list[Tap] = field(default_factory=list)
    screens: list[Screen] = field(default_factory=list)
    swallowed: int = 0
    seen: dict[tuple[int, int, str], float] = field(default_factory=dict)  # (seat, season, stage): first drawn
    over: asyncio.Event = field(default_factory=asyncio.Event)

    def saw(self, seat: int, page: RunReport) -> None:
        """When a phone's page first showed a stage (wall clock, as the store's timeline records a stage opening)."""
        season, stage = stage_of(page)
        self.seen.setdefault((seat, season, stage), time.time())


def questions(page: RunReport) -> list[str]:
    return [b.id.split("-", 2)[2] for b in page.buttons.values() if b.id.split("-", 2)[2].startswith("room:")]


def stage_of(page: RunReport) -> tuple[int, str]:
    """(season from 0, stage) of a page, from the words it shows ("Season 2 of 3 · Offers")."""
    text = html.unescape(page.text)
    titles = {t(f"room.stage.{stage}", "en"): stage for stage in STAGES[1:-1]}
    found = TITLE.search(text)
    if found and found.group(2) in titles:
        return int(found.group(1)) - 1, titles[found.group(2)]
    if t("room.stage.debrief", "en") in text or t("room.debrief.you", "en", total="", rank="", n="")[:12] in text:
        return 0, "debrief"
    return 0, "lobby"


def order(season: int, stage: str) -> tuple[int, int]:
    return (10**6, 0) if stage == "debrief" else (season, STAGES.index(stage))


async def paced(period: float, started: float) -> None:
    await asyncio.sleep(max(0.0, started + period - time.perf_counter()))


async def participant(url: str, bench: Bench, name: str, rng: random.Random) -> None:
    async with ProtocolSession(url, query_string=f"room={bench.code}") as s:
        await s.run()
        s.type("room_name", name)
        s.submit("join")
        page = await s.run()
        if ", you are organisation " not in page.text:
            raise RuntimeError(f"{name} could not join: {page.text}")
        seat = int(page.text.split(", you are organisation ")[1].split()[0]) - 1
        due: float | None = None
        while not bench.over.is_set():
            started = time.perf_counter()
            report = await s.poll()
            if not report.fragment:
                page = report
                bench.saw(seat, page)
            season, stage = stage_of(page)
            if stage == "debrief":
                return
            asked = questions(page)
            if not asked:
                due = None
            elif due is None:
                due = time.perf_counter() + rng.uniform(0.5 * bench.think, 1.5 * bench.think)
            elif time.perf_counter() >= due:
                choice = rng.choice(asked)
                tap = Tap(seat, season, stage, time.perf_counter())
                s.click(choice)
                page = await s.run()
                bench.saw(seat, page)
                bench.taps.append(tap)
                if choice in questions(page):  # came back still asking: tap again in a second
                    bench.swallowed += 1
                    due = time.perf_counter() + 1.0
                else:
                    tap.taken, tap.own = True, time.perf_counter() - tap.sent
                    tap.completes = not questions(page)
                    due = None
                    continue  # poll again right away: the page is the fresh one
            await paced(bench.poll or s.every or 1.0, started)


async def projector(url: str, bench: Bench, seats: int) -> None:
    async with ProtocolSession(url, query_string=f"room={bench.code}&host={bench.secret}") as s:
        page = await s.run()
        results_since: float | None = None
        while True:
            started = time.perf_counter()
            report = await s.poll()
            if not report.fragment:
                page = report
                bench.screens.append(screen(page))
            season, stage = stage_of(page)
            if stage == "debrief":
                bench.over.set()
                return
            move = False
            if stage == "lobby":
                move = any(m.value == f"{seats} / {seats}" for m in page.metrics)  # everyone has joined
            elif stage == "results":
                results_since = results_since or time.perf_counter()
                move = time.perf_counter() - results_since >= 5.0
            elif stage == "act" and bench.screens and bench.screens[-1].asked == 0:
                move = True  # nobody is in an agreement: nothing to wait for
            if move:
                results_since = None
                s.click("room_next")
                page = await s.run()
                bench.screens.append(screen(page))
                continue
            await paced(1.0, started)


def screen(page: RunReport) -> Screen:
    season, stage = stage_of(page)
    done = asked = 0
    for m in page.metrics:
        if " / " in m.value and m.label == t("room.answered.label", "en"):
            done, asked = (int(v) for v in m.value.split(" / "))
    return Screen(time.perf_counter(), season, stage, done, asked)


def match(bench: Bench) -> None:
    """For each answer completing a seat's stage: the first projector screen that includes it."""
    taken = sorted((tap for tap in bench.taps if tap.taken and tap.completes), key=lambda tap: tap.sent)
    counts: dict[tuple[int, str], int] = {}
    for tap in taken:
        key = (tap.season, tap.stage)
        counts[key] = counts.get(key, 0) + 1
        rank = counts[key]
        for sc in bench.screens:
            if sc.at <= tap.sent:
                continue
            later = order(sc.season, sc.stage) > order(tap.season, tap.stage)
            if later or (sc.season, sc.stage) == key and sc.done >= rank:
                tap.shown, tap.closed = sc.at - tap.sent, later
                break


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))] if values else float("nan")


def figures(label: str, values: list[float]) -> str:
    if not values:
        return f"{label}: none"
    values = sorted(values)
    return (f"{label}: n {len(values)}, median {statistics.median(values):.2f} s, p95 {p95(values):.2f} s, "
            f"max {values[-1]:.2f} s")


async def workshop(url: str, bench: Bench, seats: int, seed: int) -> None:
    people = [participant(url, bench, f"P{i + 1}", random.Random(seed * 1000 + i)) for i in range(seats)]
    host = asyncio.create_task(projector(url, bench, seats))
    await asyncio.sleep(2.0)  # the projector is up before the room fills
    await asyncio.gather(*people, host)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--seasons", type=int, default=3)
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds before answering (default 10)")
    parser.add_argument("--poll", type=float, default=None,
                        help="seconds between a phone's polls (default: what the page asks, ui.room_shared.poll_every)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="rembug-room-")) / "rooms.sqlite"
    store = Store(db)
    scenario = default_scenario()
    keys = flow.create(store, scenario.id, scenario.config, args.seats, args.seasons, seed=args.seed)
    store.set_timer(keys.code, keys.facilitator_secret, 600)
    bench = Bench(keys.code, keys.facilitator_secret, args.think, args.poll, random.Random(args.seed))
    print(time.strftime("measured %Y-%m-%d"), f"- {args.seats} phones + 1 projector, {args.seasons} seasons, "
          f"think {args.think:g} s (uniform x0.5-1.5), phones poll every {args.poll or poll_every(args.seats):g} s"
          f"{'' if args.poll else ' (the page)'}, {psutil.cpu_count()} cores, "
          f"load average {' '.join(f'{x:.1f}' for x in psutil.getloadavg())} at the start (an idle machine: near 0)")
    with serve_app(env={"REMBUG_ROOMS_DB": str(db)}) as (url, pid):
        server, client = psutil.Process(pid), psutil.Process()
        cpu0, own0, wall0 = server.cpu_times(), client.cpu_times(), time.perf_counter()
        asyncio.run(workshop(url, bench, args.seats, args.seed))
        cpu1, own1, wall = server.cpu_times(), client.cpu_times(), time.perf_counter() - wall0
        peak = next((int(line.split()[1]) / 1024 for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                     if line.startswith("VmHWM:")), float("nan"))
    match(bench)
    record = store.decisions(keys.code)
    taken = [tap for tap in bench.taps if tap.taken]
    print(f"{len(taken)} answers in {wall:.0f} s ({len(taken) / wall:.2f}/s); projector drew {len(bench.screens)} "
          "whole pages")
    print(figures("decision to projector", [tap.shown for tap in taken if tap.completes and tap.shown == tap.shown]),
          f"(target p95 < {2 if args.seats <= 30 else 3} s)")
    for closed, what in ((False, "the count rose"), (True, "the stage closed")):
        print(figures(f"  of which {what}", [tap.shown for tap in taken if tap.completes and tap.shown == tap.shown
                                             and tap.closed == closed]))
    unseen = sum(1 for tap in taken if tap.completes and tap.shown != tap.shown)
    print(figures("decision to own phone", [tap.own for tap in taken]), "(target p95 < 1 s at 30 phones)")
    for season in sorted({tap.season for tap in taken}):  # where in the game the slow answers are
        for stage in ("talk", "offer", "act"):
            these = [tap for tap in taken if tap.season == season and tap.stage == stage]
            if these:
                print(f"  season {season + 1} {stage:5}: n {len(these):3}, projector p95 "
                      f"{p95([t.shown for t in these if t.completes and t.shown == t.shown]):.2f} s, own phone p95 "
                      f"{p95([t.own for t in these]):.2f} s")
    opened = {(int(e.season), e.phase): e.at for e in store.events(keys.code).itertuples() if e.event == "open"}
    reached = [at - opened[(season, stage)] for (_, season, stage), at in bench.seen.items()
               if stage in STAGES[1:-1] and (season, stage) in opened]
    print(figures("stage change to phones", reached),
          "(a phone learns of a new stage at its next poll)")
    print(f"lost: {len(taken) - int((~record.by_default).sum())} (answers the phones saw taken: {len(taken)}; "
          f"in the store: {int((~record.by_default).sum())} by people, {int(record.by_default.sum())} by the timer); "
          f"never on the projector: {unseen}; taps the page came back from still asking: {bench.swallowed} "
          f"of {len(bench.taps)}")
    used = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    mine = (own1.user - own0.user) + (own1.system - own0.system)
    print(f"server: CPU {100 * used / wall:.0f}% of one core over the run, peak memory {peak:.0f} MiB; "
          f"the {args.seats + 1} clients (one Python process, same machine): CPU {100 * mine / wall:.0f}% of one core")


if __name__ == "__main__":
    main()

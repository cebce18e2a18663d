"""A workshop on one laptop: many participants' sessions against one `streamlit run app.py`.

    python benchmarks/load.py [--sessions 30] [--changes 4] [--think 15] [--arrive 60] [--client protocol|browser]

Each participant joins at a random moment in the first ``--arrive`` seconds, opens the app, and then, after a random
think time (uniform between half and one and a half ``--think``), moves one slider (initial trust, trust growth or
the integrative share of the mix) by one step, ``--changes`` times. Timed from the change to the updated figures.

``--client protocol`` (the default) speaks Streamlit's own websocket protocol (benchmarks/streamlit_protocol.py): it
measures the server alone, as in a workshop where the participants' browsers run on their own phones. The time ends
when the server has sent every element of the new page and reported the run finished; a run that ends without its
charts, with an error on the page or past 120 s counts as failed. ``--client browser`` drives a headless Chromium
page per participant (Debian's, via Playwright) on this same machine, so the browsers compete with the server for
its cores; it is timed until the page shows no stale element.

Prints p50/p95/max of those times, the failures, and the server's peak resident memory (VmHWM from /proc).
Targets (issue 6): p95 under 3 s with 30 sessions on this 2-core machine; memory bounded (caches hold 64 runs).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import urllib.request
from pathlib import Path

from streamlit_server import CHROMIUM, FLAGS, serve_app

SLIDERS = ["Initial trust", "Trust grows with each kept agreement", "Integrative (expand the pie)"]
SETTLED = ("() => document.querySelectorAll('[data-stale=\"true\"]').length === 0"
           " && !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
           " && document.querySelectorAll('.js-plotly-plot').length >= 1")
FAILED = float("inf")


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def protocol_participant(url: str, changes: int, think: float, arrive: float, rng: random.Random,
                               times: list[float], first: list[float]) -> None:
    from streamlit_protocol import ProtocolSession

    await asyncio.sleep(rng.uniform(0, arrive))  # participants join over the first minutes, not all at once
    start = time.perf_counter()
    await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=60).read())  # the page itself (static)
    async with ProtocolSession(url, query_string="view=compare") as session:  # the costliest view: 3 runs
        report = await session.run()
        first.append(time.perf_counter() - start if report.charts and not report.errors else FAILED)
        for _ in range(changes):
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
            session.move(rng.choice(SLIDERS), rng.choice([1, -1]))
            try:
                report = await session.run()
            except TimeoutError:
                times.append(FAILED)
                continue
            ok = len(report.charts) >= 1 and not report.errors and report.status == 0
            times.append(report.seconds if ok else FAILED)


async def browser_participant(browser, url: str, changes: int, think: float, arrive: float, rng: random.Random,
                              times: list[float], first: list[float]) -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    await asyncio.sleep(rng.uniform(0, arrive))
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    start = time.perf_counter()
    try:
        await page.goto(url + "/?view=compare", timeout=120_000)
        await page.wait_for_function(SETTLED, timeout=120_000)
    except PlaywrightTimeout:
        first.append(FAILED)
        await context.close()
        return
    first.append(time.perf_counter() - start)
    for _ in range(changes):
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
        slider = page.get_by_role("slider", name=rng.choice(SLIDERS))
        try:
            before = await page.evaluate("location.search")
            await slider.focus(timeout=120_000)
            start = time.perf_counter()
            await page.keyboard.press(rng.choice(["ArrowRight", "ArrowLeft"]))
            await page.wait_for_function("(b) => location.search !== b", arg=before, timeout=120_000)
            await page.wait_for_function(SETTLED, timeout=120_000)
            times.append(time.perf_counter() - start)
        except PlaywrightTimeout:
            times.append(FAILED)
    await context.close()


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[max(0, int(round(q * len(sorted_values))) - 1)] if sorted_values else float("nan")


def summary(sorted_values: list[float]) -> str:
    if not sorted_values:
        return "none completed"
    return (f"p50 {statistics.median(sorted_values):.2f} s, p95 {percentile(sorted_values, 0.95):.2f} s, "
            f"max {sorted_values[-1]:.2f} s")


async def main_async(args) -> None:
    with serve_app() as (url, pid):
        times: list[float] = []
        first: list[float] = []
        rng = random.Random(args.seed)
        seeds = [random.Random(rng.random()) for _ in range(args.sessions)]
        start = time.perf_counter()
        if args.client == "protocol":
            await asyncio.gather(*(protocol_participant(f"{url}/", args.changes, args.think, args.arrive, r, times, first)
                                   for r in seeds))
        else:
            from playwright.async_api import async_playwright

            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
                await asyncio.gather(*(browser_participant(browser, f"{url}/", args.changes, args.think, args.arrive, r,
                                                           times, first) for r in seeds))
                await browser.close()
        wall = time.perf_counter() - start
        done = sorted(t for t in times if t != FAILED)
        opened = sorted(t for t in first if t != FAILED)
        print(f"{args.sessions} sessions ({args.client} client) joining over {args.arrive:g} s, {args.changes} slider "
              f"changes each (think time ~{args.think:g} s): {len(times)} changes in {wall:.0f} s")
        print(f"time to updated figures: {summary(done)}; failed {len(times) - len(done)} (target p95 < 3 s)")
        print(f"first page: {summary(opened)}; failed {len(first) - len(opened)}")
        print(f"server peak memory (VmHWM): {peak_memory_mib(pid):.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--changes", type=int, default=4)
    parser.add_argument("--think", type=float, default=15.0, help="mean seconds between one participant's changes")
    parser.add_argument("--arrive", type=float, default=60.0, help="seconds over which participants join")
    parser.add_argument("--client", choices=["protocol", "browser"], default="protocol")
    parser.add_argument("--seed", type=int, default=7)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()

"""A workshop on one laptop: many participants' browser sessions against one `streamlit run app.py`.

    python benchmarks/load.py [--sessions 30] [--changes 4] [--think 8] [--arrive 30]

Each session is a headless Chromium page (Debian's, via Playwright) that joins at a random moment in the first
``--arrive`` seconds, opens the app and then, after a random think time, moves a slider (initial trust, inflow or interest diversity) by one step, several times. Timed from
the key press to the moment the page has re-run (the URL carries the new value) and no element is stale any more.
Prints p50/p95/max of those times and the server's peak resident memory (VmHWM from /proc). Targets (issue 6):
p95 under 3 s with 30 sessions on this 2-core machine; memory bounded (the run cache holds at most 64 runs).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from pathlib import Path

from streamlit_server import CHROMIUM, FLAGS, serve_app
SLIDERS = ["Initial trust", "Trust grows with each kept agreement", "Integrative (expand the pie)"]  # in open groups
SETTLED = ("() => document.querySelectorAll('[data-stale=\"true\"]').length === 0"
           " && !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
           " && document.querySelectorAll('.js-plotly-plot').length >= 1")


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def participant(browser, url: str, changes: int, think: float, arrive: float, rng: random.Random,
                      times: list[float]) -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    await asyncio.sleep(rng.uniform(0, arrive))  # participants join over the first minutes, not all at once
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    await page.goto(url, timeout=120_000)
    await page.wait_for_function(SETTLED, timeout=120_000)
    for _ in range(changes):
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
        name = rng.choice(SLIDERS)
        slider = page.get_by_role("slider", name=name)
        before = await page.evaluate("location.search")
        await slider.focus()
        start = time.perf_counter()
        await page.keyboard.press(rng.choice(["ArrowRight", "ArrowLeft"]))
        try:
            await page.wait_for_function("(b) => location.search !== b", arg=before, timeout=60_000)
            await page.wait_for_function(SETTLED, timeout=60_000)
            times.append(time.perf_counter() - start)
        except PlaywrightTimeout:
            times.append(float("inf"))
    await context.close()


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    with serve_app() as (url, pid):
        times: list[float] = []
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            rng = random.Random(7)
            start = time.perf_counter()
            await asyncio.gather(*(
                participant(browser, f"{url}/", args.changes, args.think, args.arrive, random.Random(rng.random()), times)
                for _ in range(args.sessions)
            ))
            wall = time.perf_counter() - start
            await browser.close()
        finite = sorted(t for t in times if t != float("inf"))
        timeouts = len(times) - len(finite)
        p95 = finite[max(0, int(round(0.95 * len(finite))) - 1)] if finite else float("nan")
        print(f"{args.sessions} sessions arriving over {args.arrive:g} s, {args.changes} slider changes each "
              f"(think time ~{args.think:g} s), {wall:.0f} s in all")
        print(f"time to updated figures: p50 {statistics.median(finite):.2f} s, p95 {p95:.2f} s, max {finite[-1]:.2f} s; "
              f"timeouts {timeouts} (target p95 < 3 s)")
        print(f"server peak memory (VmHWM): {peak_memory_mib(pid):.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--changes", type=int, default=4)
    parser.add_argument("--think", type=float, default=8.0)
    parser.add_argument("--arrive", type=float, default=30.0, help="seconds over which participants join")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()

"""How fast the app answers (targets: slider change to new figures < 1 s; first chart in a browser < 3 s, issue 22).

    python benchmarks/app.py [--repeat 5]

1. Slider to figures: Streamlit's AppTest moves a knob to a value not seen before (so no cached run helps) and times
   the rerun that rebuilds the figures: "Initial trust" on the comparison (three model runs, its chart), and the
   story's step-2 knob (one run, its chart).
2. First render: `streamlit run app.py` in the background, then headless Chromium (Debian's, via Playwright) opens
   a page and waits until the first Plotly chart is drawn. Timed from navigation; a fresh browser page each time.
   Two pages: the comparison with a new seed each time (nothing cached: the worst case), and the opening page, the
   story, as a room opens it (its village is the same for everyone, so after the first visitor it is cached).
   Then the floor: a page of Streamlit with one sentence and one small Plotly chart, as fast as any page of this
   stack can show a chart on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from streamlit_server import CHROMIUM, FLAGS, ROOT, serve_app


def slider_to_figures(repeat: int, view: str, key: str) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"view": view} if view != "story" else {"step": "2"})
    at.run()
    times = []
    for i in range(repeat):
        value = round(0.05 * ((i * 7 + 3) % 19 + 1), 2)
        at.select_slider(key=key).set_value(value)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception and len(at.get("plotly_chart")) == 1
    return times


FLOOR = """import plotly.graph_objects as go
import streamlit as st

st.write("One sentence.")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])))
"""
"""The least a first chart costs here: a Streamlit page with one sentence and one small Plotly chart."""


def first_render(repeat: int, story: bool, script: Path | None = None) -> list[float]:
    """Seconds from navigation to the first drawn chart, in a fresh page each time; ``script`` serves another page
    than the app (its opening page is loaded)."""
    from playwright.sync_api import sync_playwright

    times = []
    with serve_app(script=script) as (url, _pid), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for i in range(repeat + 1):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(f"{url}/" if story else f"{url}/?view=compare&world.seed={1000 + i}")  # a new seed: nothing cached
            page.wait_for_function("document.querySelector('.js-plotly-plot .main-svg') !== null", timeout=60_000)
            if i:  # the first load also starts the server's Python imports; report it apart
                times.append(time.perf_counter() - start)
            else:
                print(f"first page after server start (imports included): {time.perf_counter() - start:.2f} s")
            page.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(time.strftime("measured %Y-%m-%d"))
    for view, key, what in (("compare", "w:trust.initial:en", "comparison: 3 runs + its chart"),
                            ("story", "story:slice:en", "story step 2: 1 run + its chart")):
        rerun = slider_to_figures(args.repeat, view, key)
        print(f"slider change to new figures ({what}): median {statistics.median(rerun):.2f} s, "
              f"max {max(rerun):.2f} s (target < 1 s)")
    for story, what in ((False, "comparison, new seed each time"), (True, "the story, as a room opens it")):
        render = first_render(args.repeat, story)
        print(f"time to first chart in Chromium ({what}): median {statistics.median(render):.2f} s, "
              f"max {max(render):.2f} s (target < 3 s)")
    with tempfile.TemporaryDirectory() as folder:
        floor = Path(folder) / "floor.py"
        floor.write_text(FLOOR)
        render = first_render(args.repeat, True, script=floor)
    print(f"time to first chart in Chromium (a page of Streamlit with one small Plotly chart only: the floor): "
          f"median {statistics.median(render):.2f} s, max {max(render):.2f} s")


if __name__ == "__main__":
    main()

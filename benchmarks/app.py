"""How fast the app answers (issue 4 targets: slider change to new figures < 1 s; first render in a browser < 5 s).

    python benchmarks/app.py [--repeat 5]

1. Slider to figures: Streamlit's AppTest moves "Initial trust" to a value not seen before (so no cached run helps)
   and times the rerun that rebuilds all figures of the default scenario: three model runs and every chart.
2. First render: `streamlit run app.py` in the background, then headless Chromium (Debian's, via Playwright) opens
   the page and waits until the first Plotly chart is drawn. Timed from navigation; a fresh browser page each time.
"""

from __future__ import annotations

import argparse
import statistics
import time

from streamlit_server import CHROMIUM, FLAGS, ROOT, serve_app


def slider_to_figures(repeat: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    times = []
    for i in range(repeat):
        value = round(0.05 + 0.9 * ((i * 7 + 3) % 19) / 19, 2)
        at.slider(key="w:trust.initial").set_value(value)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception and len(at.get("plotly_chart")) == 4
    return times


def first_render(repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with serve_app() as (url, _pid), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for i in range(repeat + 1):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(f"{url}/?world.seed={1000 + i}")  # a new seed: nothing cached
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
    rerun = slider_to_figures(args.repeat)
    print(f"slider change to new figures (default scenario, 3 runs + 4 charts): median {statistics.median(rerun):.2f} s, "
          f"max {max(rerun):.2f} s (target < 1 s)")
    render = first_render(args.repeat)
    print(f"time to first chart in Chromium: median {statistics.median(render):.2f} s, max {max(render):.2f} s "
          f"(target < 5 s)")


if __name__ == "__main__":
    main()

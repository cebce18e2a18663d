"""Shared fixtures. Behaviour tests record the figures they measured; pytest prints them at the end of every run."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from benchmarks.streamlit_server import CHROMIUM, FLAGS, serve_app


@dataclass
class FigureBook:
    """The figures one test measured, kept in its report's ``user_properties`` so that they reach the end of the run
    from pytest-xdist's workers too."""

    properties: list = field(default_factory=list)

    def record(self, name: str, value: float, requirement: str) -> float:
        self.properties.append(("measured figure", (name, f"{value:.3f}", requirement)))
        return value


@pytest.fixture
def figures(request) -> FigureBook:
    """Record a measured figure with the requirement it is checked against."""
    return FigureBook(request.node.user_properties)


@pytest.fixture(scope="module")
def server():
    """A real `streamlit run app.py` on a free local port, for the tests of one module; its address, no slash."""
    with serve_app() as (url, _pid):
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, for the real-browser tests of one module (never a downloaded
    browser: .ci/run installs Debian's)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield launched
        launched.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    rows = [value for reports in terminalreporter.stats.values() for report in reports
            if getattr(report, "when", None) == "call"
            for key, value in getattr(report, "user_properties", ()) if key == "measured figure"]
    if not rows:
        return
    terminalreporter.section("measured figures")
    width = max(len(name) for name, _, _ in rows)
    for name, value, requirement in rows:
        terminalreporter.write_line(f"{name:<{width}}  {value:>8}   ({requirement})")

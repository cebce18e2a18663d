"""Many sessions at once against one real `streamlit run app.py`, over Streamlit's own websocket protocol.

The browser test checks isolation with three Chromium pages; this one runs six sessions whose reruns overlap on the
server, as in a workshop, and checks that each session's settings and figures are exactly those a participant alone
with the same link gets. The client is the load benchmark's (benchmarks/streamlit_protocol.py).
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs


from benchmarks import streamlit_protocol

# What each participant opens (a link) and then moves (a slider key, by a number of steps).
PARTICIPANTS = [  # all on the comparison and the watch views' figures (view=watch draws the river and the series)
    ("view=watch&trust.initial=0.9", "w:trust.initial", -1),
    ("view=watch&lang=id&water.inflow=0.7", "w:trust.initial", 1),
    ("view=watch", "w:mix.integrative", 1),
    ("view=compare&trust.initial=0.2", "w:water.inflow", -1),
    ("view=compare&organisations.diversity=0.1", "w:mix.distributive", -1),
    ("view=compare", "w:trust.growth", 1),
]


def open_session(url: str, query: str):
    return streamlit_protocol.ProtocolSession(url, query_string=query)


async def _workshop(url: str) -> list[dict]:
    async def participant(query: str, key: str, steps: int) -> dict:
        async with open_session(url, query) as session:
            first = await session.run()
            before = session.query_string
            session.move(f"key:{key}", steps)
            after = await session.run()
            return {"first": first, "before": before, "after": after, "query": session.query_string}

    return await asyncio.gather(*(participant(*p) for p in PARTICIPANTS))


async def _alone(url: str, query: str):
    async with open_session(url, query) as session:
        return await session.run(), session.query_string


def test_overlapping_sessions_each_see_only_their_own_settings_and_figures(server):
    results = asyncio.run(_workshop(server))
    for (opened, key, _), result in zip(PARTICIPANTS, results, strict=True):
        for report in (result["first"], result["after"]):
            assert report.status == 0 and not report.errors and len(report.charts) == (2 if "watch" in opened else 1)
        before, after = parse_qs(result["before"]), parse_qs(result["query"])
        setting = key.removeprefix("w:")
        for name, value in parse_qs(opened).items():
            assert before[name] == value  # the link opened what it says
            assert name == setting or after[name] == value  # and what it did not move stays
        if setting.startswith("mix."):
            assert after["mix"] != before.get("mix")
        else:
            assert after[setting] != before.get(setting)  # its own move is in its address
        allowed = {"lang", "scenario", "view", *parse_qs(opened), "mix" if setting.startswith("mix.") else setting}
        assert set(after) <= allowed, set(after) - allowed  # nobody else's settings

    # Each session's figures are exactly those of a participant alone with the same final link.
    for result in results:
        alone, query = asyncio.run(_alone(server, result["query"]))
        assert query == result["query"]
        for chart in ("chart_series", "chart_river") if "view=watch" in result["query"] else ("chart_compare",):
            assert json.loads(alone.chart(chart)) == json.loads(result["after"].chart(chart)), chart
    figures = {json.dumps(json.loads(next(iter(r["after"].charts.values())))["data"]) for r in results}
    assert len(figures) == len(results)  # six different worlds, six different results

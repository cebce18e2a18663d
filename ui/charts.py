"""Plotly figure builders: pure functions from run data to figures, readable on a phone and on a projector.

Every builder returns a figure as plain data (a Plotly figure dict of lists, strings and numbers), not a
``go.Figure``: building Plotly's validated objects trace by trace cost most of a slider change on the server (the
river animation alone took 0.2 s, then Streamlit validated and deep-copied it again on every display). The layouts
with subplots still come from Plotly's own ``make_subplots``, built once per language and size and reused. The
tests validate every builder's output with ``go.Figure`` (tests/ui/test_charts.py), so skipping validation at
display time (:class:`Chart`) skips only the repetition, not the check.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.commons import Meeting
from sim.negotiation import kalai_smorodinsky_point, max_welfare_point, nash_point, pareto_frontier
from sim.negotiation.domain import WATER
from sim.negotiation.preferences import package_utilities
from ui.fmt import number, percent
from ui.runs import Run
from ui.text import t

SEPARATORS = {"en": ".,", "id": ",."}  # Plotly's decimal and thousands marks: Indonesian writes 1.234,5


def localised(spec: Spec, lang: str, expert: bool = False) -> Spec:
    """The figure with the language's decimal and thousands marks on its axes and hover labels (a new layout: the
    builders' layouts may be cached and shared), and in the expert view room for the toolbar
    (:func:`beside_toolbar`)."""
    layout = {**spec["layout"], "separators": SEPARATORS.get(lang, SEPARATORS["en"])}
    # Tick labels as large as the figure's text, 14 px at least: Streamlit's chart theme writes them at 12 px, too
    # small on a phone and at the back of a room.
    size = max(TICK_PX, layout.get("font", {}).get("size", TICK_PX))
    for name in {"xaxis", "yaxis", *(k for k in layout if k.startswith(("xaxis", "yaxis")))}:
        axis = layout.get(name, {})
        layout[name] = {**axis, "tickfont": {**axis.get("tickfont", {}), "size": axis.get("tickfont", {}).get("size", size)}}
    return beside_toolbar({**spec, "layout": layout}, expert)


TOOLBAR_PX = 56  # a right margin for Plotly's toolbar standing upright: its buttons are 44 px (BASE_CSS's tap size)


def beside_toolbar(spec: Spec, expert: bool) -> Spec:
    """In the expert view (the only one with Plotly's toolbar), the toolbar stands upright in a right margin of its
    own, and the legend keeps to the plot area's width from its right edge: lying along the top right, as Plotly
    puts it, the toolbar covered the legends (a phone wrapped it onto two rows). A legend wraps within the plot
    area's width; a single entry wider than that (a long name on a phone) runs out to the left, over the empty
    corner above the y axis, never under the toolbar. Unchanged elsewhere."""
    if not expert:
        return spec
    layout = spec["layout"]
    margin = layout.get("margin", {})
    changed = {**layout, "modebar": {**layout.get("modebar", {}), "orientation": "v"},
               "margin": {**margin, "r": max(margin.get("r", 0), TOOLBAR_PX)}}
    if "legend" in layout:
        changed["legend"] = {**layout["legend"], "x": 1, "xanchor": "right"}
    return {**spec, "layout": changed}


TICK_PX = 14

# Okabe & Ito's colour-blind-safe palette: slicing stays red-orange and expanding green, but a room of thirty likely
# holds someone with red-green colour blindness, for whom the usual red and green look alike.
RUN_COLOURS = {"slice": "#D55E00", "expand": "#009E73", "yours": "#0072B2"}
STRATEGY_COLOURS = {"distributive": "#D55E00", "integrative": "#009E73", "reciprocal": "#6A3D9A"}
PNG = {"toImageButtonOptions": {"format": "png", "scale": 2}, "displaylogo": False}


# The toolbar keeps the picture (PNG), zoom, pan and reset: selecting points and the zoom steps do nothing here, and
# fewer buttons keep it in one column beside the chart (see beside_toolbar).
TOOLBAR_LESS = ("select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d")


def config(expert: bool) -> dict:
    """Plotly's display options: the toolbar (with its camera button for a PNG) only in the expert view. On a phone
    it covered the legends, and a participant needs neither zoom nor pan."""
    return {**PNG, "displayModeBar": "hover" if expert else False, "modeBarButtonsToRemove": list(TOOLBAR_LESS)}

Spec = dict  # a Plotly figure as plain data: {"data": [...], "layout": {...}, "frames": [...]}


class Chart(go.Figure):
    """A figure given as plain data, for ``st.plotly_chart``.

    Streamlit re-validates a dict through ``go.Figure`` and deep-copies a ``go.Figure`` before encoding it; this
    figure hands over its data as it is. Its constructor deliberately skips Plotly's: use it only for specs from the
    builders in this module, which the tests validate.
    """

    def __init__(self, spec: Spec) -> None:  # noqa: D107 - see the class docstring
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> Spec:
        return self._spec

    to_plotly_json = to_dict


def values(array) -> list:
    """JSON-ready numbers: rounded (the screen shows three digits; fewer bytes to each phone), NaN as a gap."""
    out = np.round(np.asarray(array, dtype=float), 4)
    return [None if v != v else v for v in out.tolist()]


def _style(layout: dict, height: int, big: bool) -> None:
    layout.update(
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        font=dict(size=20 if big else 14),  # 14 px ticks at least: readable on a phone
        hovermode="x unified",
    )


def backbone_task(key: str, lang: str) -> str:
    """A backbone task's one name, the sidebar's (``backbone.*``), or "no backbone" / "all six" for the story's
    two ends: the story, its chart, the Learn view and the sidebar call a task the same."""
    return t(f"story.fn.{key}" if key in ("none", "all") else f"backbone.{key}", lang)


PANEL_LINE = 20  # characters: the longest line of a panel title a 390-pixel phone shows whole (22 ran off its edge)


def _wrap(title: str, width: int = 18) -> str:
    """A panel title longer than ``width`` characters on two lines, broken at the space nearest its middle: two
    panels side by side on a phone are about 160 pixels wide each, and Plotly never wraps a title itself. A unit in
    brackets at the end goes on the second line when both lines fit (a panel's width on a phone, at least)."""
    if len(title) <= width or " " not in title:
        return title
    name, bracket, unit = title.rpartition(" (")
    if bracket and unit.endswith(")") and max(len(name), len(unit) + 1) <= max(width, PANEL_LINE):
        return f"{name}<br>({unit}"
    spaces = [i for i, c in enumerate(title) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(title) / 2))
    return f"{title[:cut]}<br>{title[cut + 1:]}"


# The gap between two columns of panels, a share of the plot area's width: it holds the right-hand panels' y tick
# labels ("100%" is about 35 px at 14 px) on a 390-pixel phone, where the plot area is about 300 px wide. At 0.08
# (24 px there) those labels sat on the left-hand panels' lines (a new user's trial); a laptop's wider gap costs
# nothing.
COLUMN_GAP = 0.16


@functools.lru_cache(maxsize=32)
def _grid(rows: int, cols: int, titles: tuple[str, ...], x_title: str, height: int,
          big: bool) -> tuple[dict, dict[tuple[int, int], tuple[str, str]]]:
    """Layout of a grid of small multiples on shared x axes, and each cell's axis names (built once, read-only).

    Sizes are worked out in pixels, since panel titles and the legend keep their size however small the figure is
    drawn: the gap between rows holds the tallest panel title, and the legend sits at the very top of the figure,
    above the first row's titles (placed just above the panels, it ran into them)."""
    wrapped = [_wrap(title) for title in titles]
    font = 20 if big else 14
    lines = max(title.count("<br>") + 1 for title in wrapped)
    title_px = lines * font * 1.3 + 24
    top = title_px + 3 * font * 1.6  # the legend may take three lines on a phone (one a run)
    panels_px = height - top - 3.5 * font  # below the panels: the shared x axis's ticks and title
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, subplot_titles=wrapped,
                        vertical_spacing=title_px / panels_px, horizontal_spacing=COLUMN_GAP)
    fig.update_xaxes(title_text=x_title, row=rows)
    layout = fig.to_plotly_json()["layout"]
    _style(layout, height, big)
    layout["legend"] = dict(orientation="h", yref="container", y=1.0, yanchor="top", xanchor="left", x=0,
                            traceorder="normal")
    # 16 px on the right: a right-hand panel's title, centred over it, is wider than the panel on a phone (the
    # gap between the columns narrows the panels) and ran 2 px past the figure's edge with 10
    layout["margin"] = dict(l=10, r=16, t=round(top), b=10)
    axes = {}
    for r in range(1, rows + 1):
        for c in range(1, cols + 1):
            cell = fig.get_subplot(r, c)
            axes[(r, c)] = (cell.xaxis.plotly_name.replace("axis", ""), cell.yaxis.plotly_name.replace("axis", ""))
    return layout, axes


@functools.cache
def _template_layout() -> dict:
    """Plotly's default template, as a plain figure carries it (built once, read-only)."""
    return go.Figure().to_plotly_json()["layout"]


def _single_layout(height: int, big: bool, **changes) -> dict:
    """A fresh layout for a one-panel figure: the template, the common style, then ``changes``."""
    layout = dict(_template_layout())
    _style(layout, height, big)
    layout.update(changes)
    return layout


def _line(x, y, axes: tuple[str, str], **style) -> dict:
    return {"type": "scatter", "mode": "lines", "x": values(x), "y": values(y), "xaxis": axes[0], "yaxis": axes[1],
            **style}


def _shown(table: pd.DataFrame, metric: str, full_harvest: float) -> pd.Series:
    """A season measure as a chart shows it: the village's welfare as each organisation's net harvest, a share of a
    full harvest (as every harvest on the page is said), the others as recorded."""
    return table[metric] / full_harvest if metric == "total_welfare" else table[metric]


def comparison(runs: dict[str, pd.DataFrame], lang: str, big: bool = False, *, full_harvest: float) -> Spec:
    """Four small multiples on shared axes: water, welfare, infrastructure, trust, one line per way of bargaining.
    ``full_harvest`` is the whole village's harvest in one season with every need met, in the model's units
    (organisations x need x water value): the welfare panel shows each one's net harvest as a share of it."""
    metrics = ["stock_share", "total_welfare", "infrastructure", "mean_trust"]
    layout, axes = _grid(2, 2, tuple(t(f"metric.{m}", lang) for m in metrics), t("axis.season", lang),
                         500 if big else 560, big)
    data, shapes, notes = [], [], []
    for label, table in runs.items():
        for i, metric in enumerate(metrics):
            cell = axes[(i // 2 + 1, i % 2 + 1)]
            data.append(_line(table.season, _shown(table, metric, full_harvest), cell, name=t(f"run.{label}", lang),
                              legendgroup=label, showlegend=i == 0,
                              line=dict(color=RUN_COLOURS[label], width=4 if big else 2.5)))
            s, a = collapse_marks(table, RUN_COLOURS[label], lang, yref=cell[1])
            shapes += s
            notes += a if i == 0 else []
    return {"data": data, "layout": _from_zero(layout, axes, {"stock_share": 0, "mean_trust": 3}, shapes, notes,
                                               percents={"total_welfare": 1})}


def _from_zero(layout: dict, axes: dict, shares: dict[str, int], shapes: list[dict], notes: list[dict],
               percents: dict[str, int] | None = None) -> dict:
    """A copy of a cached grid layout whose y axes start at zero (a change of 0.05 must not fill a panel), shares
    (given as metric -> panel number) running 0 to 1, ``percents`` in percent on their own range (a harvest may go
    below 0 or above a full one), and the collapse marks added."""
    layout = dict(layout)
    share_panels, percent_panels = set(shares.values()), set((percents or {}).values())
    for n, (_, y) in enumerate(axes.values()):
        name = y.replace("y", "yaxis")
        axis = {**layout.get(name, {}), "rangemode": "tozero"}
        if n in share_panels:
            axis.update(range=[0, 1.05], tickformat=".0%")
        elif n in percent_panels:
            axis.update(tickformat=".0%")
        layout[name] = axis
    layout["shapes"] = [*layout.get("shapes", []), *shapes]
    layout["annotations"] = [*layout.get("annotations", []), *notes]
    return layout


def timeseries(table: pd.DataFrame, strategy_names: Sequence[str], lang: str, season: int | None = None,
               big: bool = False, *, full_harvest: float) -> Spec:
    """The user's run season by season: water, infrastructure, welfare, inequality, trust and strategy shares
    (``full_harvest`` as for :func:`comparison`)."""
    metrics = ["stock_share", "infrastructure", "total_welfare", "gini", "mean_trust", "shares"]
    layout, axes = _grid(3, 2, tuple(t(f"metric.{m}", lang) for m in metrics), t("axis.season", lang),
                         760 if big else 620, big)
    data = [_line(table.season, _shown(table, metric, full_harvest), axes[(i // 2 + 1, i % 2 + 1)], showlegend=False,
                  line=dict(color="#2471a3", width=2.5)) for i, metric in enumerate(metrics[:-1])]
    for name in strategy_names:
        data.append(_line(table.season, table[f"share_{name}"], axes[(3, 2)], stackgroup="shares",
                          name=t(f"strategy.{name}", lang), line=dict(color=STRATEGY_COLOURS.get(name, "#7f8c8d"))))
    shapes, notes = [], []
    for n, cell in enumerate(axes.values()):
        s, a = collapse_marks(table, "#8B4513", lang, yref=cell[1])
        shapes += s
        notes += a if n == 0 else []
    if season is not None:
        shapes += [{"type": "line", "x0": season, "x1": season, "y0": 0, "y1": 1, "xref": x, "yref": f"{y} domain",
                    "line": {"dash": "dot", "color": "#555"}} for x, y in axes.values()]
    return {"data": data, "layout": _from_zero(layout, axes, {"stock_share": 0, "mean_trust": 4, "shares": 5}, shapes, notes,
                                               percents={"total_welfare": 2})}


def _river_y(position: np.ndarray, community: np.ndarray) -> np.ndarray:
    """Where an organisation sits: on the river's bend, its community on its own bank, and neighbours along the river
    alternately above and below it (on a phone, thirty circles in a row overlapped)."""
    order = np.argsort(np.argsort(position))
    bank = np.where(order % 2 == 0, 0.11, -0.11)
    return 0.12 * np.sin(2 * np.pi * position) + bank + 0.35 * (community - community.mean())


def _water(stock: float, collapsed: bool) -> dict:
    """The river's line: wide and blue when full, thin and pale as it empties, brown once it has run dry."""
    if collapsed:
        return {"color": "rgba(139,69,19,0.9)", "width": 6, "dash": "dot"}
    return {"color": f"rgba(52,152,219,{0.15 + 0.5 * stock:.2f})", "width": round(3 + 22 * stock, 1)}


def river(run: Run, lang: str, big: bool = False, full_harvest: float | None = None) -> Spec:
    """Organisations along the river, season by season, with Plotly's own play/pause and season slider (the
    animation runs in the browser: no round trip to the server per frame). The river itself shrinks with its water
    and turns brown when the commons has collapsed. Hovering over an organisation tells its net harvest as a share
    of ``full_harvest`` (a full harvest in the model's units) where given, as the rest of the page speaks of it."""
    orgs = run.organisations
    seasons = sorted(int(s) for s in orgs.season.unique())
    x, y = run.position, _river_y(run.position, run.community)
    xs, ys = values(x), values(y)
    payoff = orgs.payoff.to_numpy().reshape(len(seasons), -1)
    spread = max(float(np.ptp(payoff)), 1e-9)
    size = np.round(8 + 16 * (payoff - payoff.min()) / spread, 1)
    strategy = orgs.strategy.to_numpy().reshape(len(seasons), -1)
    stock = run.seasons.stock_share.to_numpy()
    collapsed = np.maximum.accumulate(run.seasons.collapsed.to_numpy() > 0)
    names = list(run.strategy_names)
    label = {name: t(f"strategy.{name}", lang) for name in names}
    org_label = [t("neg.org", lang, i=i) for i in range(x.size)]

    def links(season: int) -> list[dict]:
        traces = []
        pairs, trust_ab, trust_ba = run.links[season] if season < len(run.links) else (np.empty((0, 2), int), [], [])
        trust = (np.asarray(trust_ab) + np.asarray(trust_ba)) / 2 if len(pairs) else np.empty(0)
        for low, high, alpha in ((0.0, 0.34, 0.15), (0.34, 0.67, 0.45), (0.67, 1.01, 0.9)):
            chosen = pairs[(trust >= low) & (trust < high)] if len(pairs) else np.empty((0, 2), int)
            lx, ly = [], []
            for a, b in chosen.tolist():
                lx += [xs[a], xs[b], None]
                ly += [ys[a], ys[b], None]
            traces.append({"type": "scatter", "x": lx, "y": ly, "mode": "lines", "hoverinfo": "skip",
                           "showlegend": False, "line": {"color": f"rgba(36,113,163,{alpha})", "width": 3}})
        return traces

    def hover(i: int, value: float) -> str:
        if full_harvest:
            return t("watch.hover", lang, org=org_label[i], harvest=percent(value / full_harvest, lang))
        return f"{org_label[i]}: {number(value, lang, 2)}"

    def organisations(season: int) -> list[dict]:
        traces = []
        for name in names:
            members = np.flatnonzero(strategy[season] == name).tolist()
            traces.append({
                "type": "scatter", "mode": "markers", "name": label[name], "hoverinfo": "text",
                "x": [xs[i] for i in members], "y": [ys[i] for i in members],
                "marker": {"size": size[season, members].tolist(), "color": STRATEGY_COLOURS.get(name, "#7f8c8d"),
                           "line": {"width": 1, "color": "white"}},
                "text": [hover(i, payoff[season, i]) for i in members],
            })
        return traces

    def title(season: int) -> str:
        text = f"{t('watch.season', lang, season=season)} · {t('watch.stock', lang, stock=percent(stock[season], lang))}"
        return f"{text} · <b>{t('chart.dry', lang)}</b>" if collapsed[season] else text

    river_x = np.linspace(0, 1, 100)
    river_line = {"x": values(river_x), "y": values(0.12 * np.sin(2 * np.pi * river_x))}

    def water(season: int) -> dict:
        return {"type": "scatter", **river_line, "mode": "lines", "hoverinfo": "skip", "showlegend": False,
                "line": _water(float(stock[season]), bool(collapsed[season]))}

    data = [water(0), *links(0), *organisations(0)]
    frames = [{"data": [water(s), *links(s), *organisations(s)], "traces": list(range(len(data))), "name": str(s),
               "layout": {"title": {"text": title(s)}}} for s in seasons]
    layout = _single_layout(
        480 if big else 420, big,
        # The title (season and water) on the figure's top line and the legend on its own line below it: both in
        # the margin, they overlapped once the fonts grew for a projector.
        title={"text": title(0), "yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 8}},
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        hovermode="closest",
        margin=dict(l=10, r=10, t=100 if big else 80, b=120),
        xaxis=dict(range=[-0.03, 1.03], showgrid=False, zeroline=False, showticklabels=False),
        yaxis=dict(visible=False, range=[-0.6, 0.6]),
        # The ends of the river are named on the river itself, so the controls below have the width to themselves.
        annotations=[dict(x=end, y=-0.5, xref="x", yref="y", text=t(key, lang), showarrow=False, xanchor=anchor,
                          font={"color": "#555"})
                     for end, key, anchor in ((0.0, "river.head", "left"), (1.0, "river.tail", "right"))],
        # Play and pause on a row of their own above the season slider: beside it, they covered the slider's
        # label on a phone.
        updatemenus=[dict(
            type="buttons", direction="left", x=0, y=0, xanchor="left", yanchor="top", showactive=False,
            font={"size": 30},  # a 44 px button (WCAG 2.5.5): Plotly sizes its buttons by their text
            buttons=[
                dict(label=t("watch.play", lang), method="animate",
                     args=[None, dict(frame=dict(duration=450, redraw=True), fromcurrent=True, transition=dict(duration=0))]),
                dict(label=t("watch.pause", lang), method="animate",
                     args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")]),
            ],
        )],
        sliders=[dict(
            active=0, x=0, y=-0.1, len=1.0, yanchor="top",
            currentvalue=dict(prefix=f"{t('axis.season', lang)}: "),
            steps=[dict(label=str(s), method="animate",
                        args=[[str(s)], dict(mode="immediate", frame=dict(duration=0, redraw=True))]) for s in seasons],
        )],
    )
    return {"data": data, "layout": layout, "frames": frames}


def dance(meeting: Meeting, pair: int, lang: str, names: tuple[str, str], big: bool = False,
          strategies: tuple[str, str] = ("distributive", "integrative"), expert: bool = False) -> Spec:
    """One negotiation: both sides' offers over time, how good each is for either side, the best deals for both
    (the Pareto frontier), the walk-away values and the outcome. Each side in its strategy's colour, as on every
    other chart (a second side of the same strategy is drawn with hollow squares). The Nash, Kalai–Smorodinsky and
    largest-total points belong to the expert view."""
    wa, wb = meeting.weights_a[pair : pair + 1], meeting.weights_b[pair : pair + 1]
    ra, rb = meeting.reservation_a[pair : pair + 1], meeting.reservation_b[pair : pair + 1]
    frontier = pareto_frontier(wa, wb, WATER.opposed)
    suffix = ".expert" if expert else ""

    def point(ua: float, ub: float, name: str, **marker) -> dict:
        return {"type": "scatter", "x": values([ua]), "y": values([ub]), "mode": "markers", "name": name,
                "marker": marker}

    data = [
        {"type": "scatter", "x": values(frontier.ua[0]), "y": values(frontier.ub[0]), "mode": "lines",
         "name": t("neg.frontier" + suffix, lang), "line": {"color": "#34495e", "width": 3}},
        point(ra[0], rb[0], t("neg.batna" + suffix, lang), symbol="x", size=14, color="#7f8c8d"),
    ]
    direct = np.flatnonzero(meeting.direct == pair)
    if direct.size and meeting.result is not None and meeting.result.trace is not None:
        dance_table = meeting.result.trace.pair(int(direct[0]))
        for side, (proposer, name, strategy) in enumerate(zip(("A", "B"), names, strategies, strict=True)):
            colour = STRATEGY_COLOURS.get(strategy, "#7f8c8d")
            hollow = side == 1 and strategies[0] == strategies[1]
            moves = dance_table[dance_table.proposer == proposer]
            data.append({
                "type": "scatter", "x": values(moves.utility_a), "y": values(moves.utility_b), "mode": "lines+markers",
                "name": t("neg.offers", lang, name=name),
                "marker": {"size": 9, "color": colour, "opacity": 0.9,
                           **({"symbol": "square-open", "line": {"width": 2}} if hollow else {})},
                "line": {"color": colour, "width": 1.5, **({"dash": "dot"} if hollow else {})},
                "hovertemplate": f"{t('axis.season', lang)} {meeting.season} · {t('neg.round', lang)} %{{text}}<extra></extra>",
                "text": [str(r) for r in moves["round"]],
            })
    if expert:
        nash, ks, best = nash_point(frontier, ra, rb), kalai_smorodinsky_point(frontier, ra, rb), max_welfare_point(frontier)
        for solution, key, symbol, colour in ((nash, "neg.nash", "diamond", "#8e44ad"), (ks, "neg.ks", "triangle-up", "#16a085"),
                                              (best, "neg.welfare", "square", "#2c3e50")):
            if not np.isnan(solution.ua[0]):
                data.append(point(solution.ua[0], solution.ub[0], t(key, lang), symbol=symbol, size=14, color=colour))
    if meeting.agreed[pair]:
        ua, ub = package_utilities(wa, wb, meeting.package[pair : pair + 1], WATER.opposed)
        data.append(point(ua[0], ub[0], t("neg.agreement", lang), symbol="star", size=22, color="#f1c40f",
                          line={"width": 1, "color": "#555"}))
    walk_away = {"type": "line", "line": {"dash": "dash", "color": "#7f8c8d"}}
    axis = "axis.utility_a" + suffix
    layout = _single_layout(
        560 if big else 480, big,
        hovermode="closest",
        # each title with its unit on two lines: on one it ran past a phone's edge
        xaxis={"title": {"text": _wrap(t(axis, lang, name=names[0]), 34)}, "range": [0, 1.02], "tickformat": ".0%",
               "automargin": True},
        yaxis={"title": {"text": _wrap(t(axis, lang, name=names[1]), 34)}, "range": [0, 1.02], "tickformat": ".0%",
               "automargin": True},
        shapes=[
            {**walk_away, "xref": "x domain", "yref": "y", "x0": 0, "x1": 1, "y0": float(rb[0]), "y1": float(rb[0])},
            {**walk_away, "xref": "x", "yref": "y domain", "x0": float(ra[0]), "x1": float(ra[0]), "y0": 0, "y1": 1},
        ],
    )
    _legend_above(layout, big)
    layout["margin"] = dict(l=10, r=10, t=20, b=10)
    return {"data": data, "layout": layout}


# -- the guided story -----------------------------------------------------------------------------------------------
def _legend_above(layout: dict, big: bool) -> None:
    """Legend above the plot, on its own lines (under it, it ran into the axis title on a phone; the toolbar that
    covered it up there is hidden outside the expert view)."""
    layout["legend"] = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
    layout["margin"] = dict(l=10, r=10, t=30, b=10)


def collapse_marks(table: pd.DataFrame, colour: str, lang: str, yref: str = "y",
                   who: str | None = None) -> tuple[list[dict], list[dict]]:
    """A dotted line and a label where the commons collapsed (shapes, annotations); nothing if it held. ``who``
    names the run the mark belongs to, where a chart has more than one."""
    found = np.flatnonzero(table.collapsed.to_numpy() > 0)
    if not found.size:
        return [], []
    season = int(table.season.iloc[found[0]])
    shape = {"type": "line", "x0": season, "x1": season, "y0": 0, "y1": 1, "xref": yref.replace("y", "x"),
             "yref": f"{yref} domain", "line": {"dash": "dot", "color": colour, "width": 2}}
    # Left of the line in the run's second half: Plotly widens the axis to hold a label, and one right of a late
    # collapse stretched the seasons far past the last (a new user saw 80 where the run ends at 39)
    late = season > (float(table.season.min()) + float(table.season.max())) / 2
    words = t("chart.dry_of", lang, who=who) if who else t("chart.dry", lang)
    note = {"x": season, "y": 0.98, "xref": yref.replace("y", "x"), "yref": f"{yref} domain", "yanchor": "top",
            "xanchor": "right" if late else "left", "showarrow": False, "font": {"color": colour},
            "text": f"{words} " if late else f" {words}", "bgcolor": "rgba(255,255,255,0.8)"}
    return [shape], [note]


STORY_HEIGHT = 300  # px: a story step's chart beside its figure, knob and question on a 1280×720 projector
WATER_COLOUR, NEED_COLOUR = "#56B4E9", "#444444"  # Okabe-Ito sky blue, and grey: apart from the runs' colours


def _clear_of(note: dict, lines: list[tuple[pd.DataFrame, str, str, str]], top: float | None) -> dict:
    """A collapse mark's label moved to the bottom of the plot where the lines pass through its place at the top
    (step 3's "river dry" sat on the expanding village's wells, which were at their highest). The label runs from
    its dotted line into the run, over up to 60% of the seasons on a phone; it takes the band, the top or bottom
    fifth of the y axis (``top``, or the highest value shown), that fewer of the lines' points cross there."""
    season = float(note["x"])
    seasons = pd.concat([table.season for table, *_ in lines])
    span = 0.6 * float(seasons.max() - seasons.min())
    low, high = (season - span, season) if note["xanchor"] == "right" else (season, season + span)
    points = pd.concat([table.loc[table.season.between(low, high), column] for table, column, *_ in lines]).dropna()
    if top is None:  # the axis runs from zero to a little above the highest value of any line
        top = 1.05 * max(max(float(table[column].max()) for table, column, *_ in lines), 1e-9)
    above, below = int((points >= 0.8 * top).sum()), int((points <= 0.2 * top).sum())
    return {**note, "y": 0.02, "yanchor": "bottom"} if below < above else note


def _series_chart(lines: list[tuple[pd.DataFrame, str, str, str]], lang: str, big: bool, y_title: str,
                  share: bool = True, percent: bool = True, owners: Sequence[str | None] | None = None,
                  top: float = 1.05) -> Spec:
    """One panel of lines over seasons, the y axis from zero (to ``top`` for shares), a collapse marked for each run
    that collapsed (labelled with ``owners``' names where lines come from different runs)."""
    data, shapes, notes = [], [], []
    for n, (table, column, name, colour) in enumerate(lines):
        data.append(_line(table.season, table[column], ("x", "y"), name=name, line=dict(color=colour, width=5 if big else 3),
                          hovertemplate=f"{name}: %{{y:{'.0%' if share else '.1f'}}}<extra></extra>"))
        if any(table is other for other, *_ in lines[:n]):
            continue  # a second line of the same run: its river's mark is there already
        s, a = collapse_marks(table, colour, lang, who=owners[n] if owners else None)
        shapes += s
        notes += [_clear_of(note, lines, top if share else None) for note in a]
    layout = _single_layout(STORY_HEIGHT, big, hovermode="x unified", shapes=shapes, annotations=notes,
                            xaxis={"title": {"text": t("axis.season", lang)}, "rangemode": "tozero", "automargin": True},
                            yaxis={"title": {"text": _wrap(y_title, 30)}, "rangemode": "tozero", "automargin": True,
                                   **({"tickformat": ".0%" if percent else ".1f", "range": [0, top]} if share else {})})
    _legend_above(layout, big)
    return {"data": data, "layout": layout}


def story_chart(step: str, runs: dict[str, Run], figures: dict[str, float], lang: str, big: bool = False) -> Spec:
    """The one large chart of a story step, from the step's runs and the figures its sentence quotes."""
    from ui import story  # the story's measures; imported here, the story imports nothing from the charts

    if step == "scarce":
        table = runs["village"].seasons
        return _series_chart([(table, "stock_share", t("chart.water", lang), WATER_COLOUR),
                              (table, "need_met", t("chart.need_met", lang), NEED_COLOUR)], lang, big, t("chart.share", lang))
    if step == "slice":
        table = runs["slice"].seasons
        return _series_chart([(table, "stock_share", t("chart.water", lang), WATER_COLOUR),
                              (table, "grab_rate", t("chart.grabbing", lang), RUN_COLOURS["slice"])], lang, big,
                             t("chart.share", lang))
    if step == "expand":
        return _series_chart([(runs["slice"].seasons, "infrastructure", t("run.slice", lang), RUN_COLOURS["slice"]),
                              (runs["expand"].seasons, "infrastructure", t("run.expand", lang), RUN_COLOURS["expand"])],
                             lang, big, t("chart.wells", lang), share=False,
                             owners=[t("run.slice.short", lang), t("run.expand.short", lang)])
    if step == "claimer":  # the harvest the headline quotes: the claimers' and the others', averaged season by season
        run = runs["claimer"]
        so_far = story.harvest_so_far(run, figures["unit"])
        lines = []
        for who, colour in (("others", STRATEGY_COLOURS["integrative"]), ("claimers", STRATEGY_COLOURS["distributive"])):
            collapsed = run.seasons.collapsed.to_numpy() if who == "others" else 0  # the river's mark once
            lines.append((pd.DataFrame({"season": run.seasons.season.to_numpy(), "harvest": so_far[who],
                                        "collapsed": collapsed}), "harvest", t(f"chart.{who}", lang), colour))
        # Never clipped: a line above a full harvest is true (story.harvest_so_far says why). A dotted line marks
        # 100%, labelled; on a projector the label says why a line goes above it (the page's note under the chart
        # would push the question off the screen), elsewhere the note does.
        top = max(1.05, figures["peak"] + 0.05)
        spec = _series_chart(lines, lang, big, t("chart.harvest_so_far", lang), top=top)
        if figures["peak"] > 1:
            layout = spec["layout"]
            layout["shapes"] = [*layout["shapes"], {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y",
                                                    "y0": 1, "y1": 1, "line": {"dash": "dot", "color": "#777", "width": 1.5}}]
            layout["annotations"] = [*layout["annotations"], {  # at the right, where the lines have settled; no
                "x": 1, "xref": "x domain", "y": 1, "yref": "y", "xanchor": "right", "yanchor": "bottom",  # backdrop:
                "showarrow": False, "font": {"color": "#555"},  # it must not hide a line
                "text": t("chart.above_full" if big else "chart.full_harvest", lang)}]
        return spec
    if step == "backbone":
        labels = ["none", *story.FUNCTIONS, "all"]
        harvest = [figures[k] for k in labels]
        base = harvest[0]
        colours = ["#7f7f7f", *([WATER_COLOUR] * (len(harvest) - 1))]  # one colour: the bars' lengths tell
        # one line per task: eight bars in the story's height leave no room for two-line names (they overlapped)
        names = [_wrap(backbone_task(k, lang), 28) for k in labels]
        layout = _single_layout(
            STORY_HEIGHT, big, hovermode="closest",
            xaxis={"title": {"text": _wrap(t("chart.harvest", lang))}, "rangemode": "tozero", "tickformat": ".0%",
                   "automargin": True},
            yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 16 if big else TICK_PX}},
            shapes=[{"type": "line", "x0": base, "x1": base, "y0": 0, "y1": 1, "xref": "x", "yref": "y domain",
                     "line": {"dash": "dot", "color": "#555"}}],
        )
        layout["margin"] = dict(l=10, r=10, t=20, b=10)
        layout["showlegend"] = False
        layout["uniformtext"] = {"minsize": 14, "mode": "show"}  # the bars' figures readable, not shrunk to fit
        data = [{"type": "bar", "orientation": "h", "x": values(harvest), "y": names, "marker": {"color": colours},
                 # each figure inside its bar at the bar's start: at its end (where Plotly puts it) every one
                 # sat on the dotted line of the harvest without a backbone, which the bars all end close to
                 "text": [percent(h, lang) for h in harvest], "textposition": "inside", "insidetextanchor": "start",
                 "hovertemplate": "%{y}: %{x:.0%}<extra></extra>"}]
        return {"data": data, "layout": layout}
    if step == "upstream":
        quarters = [_wrap(t(f"chart.quarter.{i}", lang), 8) for i in range(4)]  # a phone gives each about 80 px
        data = [{"type": "bar", "x": quarters, "y": values(story.head_tail(runs[label])), "name": t(f"run.{label}", lang),
                 "marker": {"color": RUN_COLOURS[label]}, "hovertemplate": "%{x}: %{y:.0%}<extra></extra>"}
                for label in ("slice", "expand")]
        layout = _single_layout(STORY_HEIGHT, big, hovermode="closest", barmode="group",
                                yaxis={"title": {"text": _wrap(t("chart.harvest_per_need", lang), 30)}, "rangemode": "tozero",
                                       "automargin": True,
                                       "tickformat": ".0%"})
        _legend_above(layout, big)
        return {"data": data, "layout": layout}
    raise ValueError(f"unknown story step {step!r}")

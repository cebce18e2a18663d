"""Plotly figure builders: pure functions from run data to figures, readable on a phone and on a projector."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.commons import Meeting
from sim.negotiation import kalai_smorodinsky_point, max_welfare_point, nash_point, pareto_frontier
from sim.negotiation.domain import WATER
from sim.negotiation.preferences import package_utilities
from ui.runs import Run
from ui.text import t

RUN_COLOURS = {"slice": "#c0392b", "expand": "#1e8449", "yours": "#2471a3"}
STRATEGY_COLOURS = {"distributive": "#c0392b", "integrative": "#1e8449", "reciprocal": "#d68910"}
PNG = {"toImageButtonOptions": {"format": "png", "scale": 2}, "displaylogo": False}


def _layout(fig: go.Figure, height: int, big: bool) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        font=dict(size=20 if big else 13),
        hovermode="x unified",
    )
    return fig


def comparison(runs: dict[str, pd.DataFrame], lang: str, big: bool = False) -> go.Figure:
    """Four small multiples on shared axes: water, welfare, infrastructure, trust, one line per way of bargaining."""
    metrics = ["stock_share", "total_welfare", "infrastructure", "mean_trust"]
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, subplot_titles=[t(f"metric.{m}", lang) for m in metrics],
                        vertical_spacing=0.12, horizontal_spacing=0.08)
    for label, table in runs.items():
        for i, metric in enumerate(metrics):
            fig.add_trace(
                go.Scatter(x=table.season, y=table[metric], name=t(f"run.{label}", lang), legendgroup=label,
                           showlegend=i == 0, line=dict(color=RUN_COLOURS[label], width=4 if big else 2.5)),
                row=i // 2 + 1, col=i % 2 + 1,
            )
    fig.update_xaxes(title_text=t("axis.season", lang), row=2)
    return _layout(fig, 620 if big else 520, big)


def timeseries(table: pd.DataFrame, strategy_names: tuple[str, ...], lang: str, season: int | None = None,
               big: bool = False) -> go.Figure:
    """The user's run season by season: water, infrastructure, welfare, inequality, trust and strategy shares."""
    metrics = ["stock_share", "infrastructure", "total_welfare", "gini", "mean_trust", "shares"]
    fig = make_subplots(rows=3, cols=2, shared_xaxes=True, subplot_titles=[t(f"metric.{m}", lang) for m in metrics],
                        vertical_spacing=0.09, horizontal_spacing=0.08)
    for i, metric in enumerate(metrics[:-1]):
        fig.add_trace(go.Scatter(x=table.season, y=table[metric], showlegend=False, line=dict(color="#2471a3", width=2.5)),
                      row=i // 2 + 1, col=i % 2 + 1)
    for name in strategy_names:
        fig.add_trace(
            go.Scatter(x=table.season, y=table[f"share_{name}"], stackgroup="shares", name=t(f"strategy.{name}", lang),
                       line=dict(color=STRATEGY_COLOURS.get(name, "#7f8c8d"))),
            row=3, col=2,
        )
    if season is not None:
        for row in (1, 2, 3):
            for col in (1, 2):
                fig.add_vline(x=season, line_dash="dot", line_color="#555", row=row, col=col)
    fig.update_xaxes(title_text=t("axis.season", lang), row=3)
    return _layout(fig, 640 if big else 560, big)


def _river_y(position: np.ndarray, community: np.ndarray) -> np.ndarray:
    return 0.12 * np.sin(2 * np.pi * position) + 0.35 * (community - community.mean())


def river(run: Run, lang: str, big: bool = False) -> go.Figure:
    """Organisations along the river, season by season, with Plotly's own play/pause and season slider (the
    animation runs in the browser: no round trip to the server per frame)."""
    orgs = run.organisations
    seasons = sorted(orgs.season.unique())
    x = run.position
    y = _river_y(run.position, run.community)
    payoff = orgs.payoff.to_numpy().reshape(len(seasons), -1)
    spread = max(float(np.ptp(payoff)), 1e-9)
    size = 10 + 30 * (payoff - payoff.min()) / spread
    strategy = orgs.strategy.to_numpy().reshape(len(seasons), -1)
    stock = run.seasons.stock_share.to_numpy()
    names = list(run.strategy_names)
    river_x = np.linspace(0, 1, 200)

    def links(season: int) -> list[go.Scatter]:
        traces = []
        pairs, trust_ab, trust_ba = run.links[season] if season < len(run.links) else (np.empty((0, 2), int), [], [])
        trust = (np.asarray(trust_ab) + np.asarray(trust_ba)) / 2 if len(pairs) else np.empty(0)
        for low, high, alpha in ((0.0, 0.34, 0.15), (0.34, 0.67, 0.45), (0.67, 1.01, 0.9)):
            chosen = pairs[(trust >= low) & (trust < high)] if len(pairs) else np.empty((0, 2), int)
            xs, ys = [], []
            for a, b in chosen:
                xs += [x[a], x[b], None]
                ys += [y[a], y[b], None]
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=f"rgba(36,113,163,{alpha})", width=3),
                                     hoverinfo="skip", showlegend=False))
        return traces

    def organisations(season: int) -> list[go.Scatter]:
        traces = []
        for name in names:
            mask = strategy[season] == name
            traces.append(go.Scatter(
                x=x[mask], y=y[mask], mode="markers", name=t(f"strategy.{name}", lang),
                marker=dict(size=size[season][mask], color=STRATEGY_COLOURS.get(name, "#7f8c8d"), line=dict(width=1, color="white")),
                text=[f"{t('neg.org', lang, i=int(i))}: {p:.2f}" for i, p in zip(np.flatnonzero(mask), payoff[season][mask], strict=True)],
                hoverinfo="text",
            ))
        return traces

    def title(season: int) -> str:
        return f"{t('watch.season', lang, season=season)} · {t('watch.stock', lang, stock=f'{stock[season]:.0%}')}"

    water = go.Scatter(x=river_x, y=0.12 * np.sin(2 * np.pi * river_x), mode="lines", hoverinfo="skip", showlegend=False,
                       line=dict(color="rgba(52,152,219,0.35)", width=18))
    fig = go.Figure(data=[water, *links(0), *organisations(0)])
    moving = list(range(1, len(fig.data)))  # frames carry only what changes: the river line is drawn once
    fig.frames = [go.Frame(data=[*links(s), *organisations(s)], traces=moving, name=str(s), layout=go.Layout(title=title(s)))
                  for s in seasons]
    fig.update_layout(
        title=title(0),
        xaxis=dict(title=t("axis.river", lang), range=[-0.03, 1.03], showgrid=False, zeroline=False, showticklabels=False),
        yaxis=dict(visible=False, range=[-0.6, 0.6]),
        updatemenus=[dict(
            type="buttons", direction="left", x=0, y=-0.12, xanchor="left", showactive=False,
            buttons=[
                dict(label=t("watch.play", lang), method="animate",
                     args=[None, dict(frame=dict(duration=450, redraw=True), fromcurrent=True, transition=dict(duration=0))]),
                dict(label=t("watch.pause", lang), method="animate",
                     args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")]),
            ],
        )],
        sliders=[dict(
            active=0, x=0.22, y=-0.08, len=0.78,
            currentvalue=dict(prefix=f"{t('axis.season', lang)}: "),
            steps=[dict(label=str(s), method="animate",
                        args=[[str(s)], dict(mode="immediate", frame=dict(duration=0, redraw=True))]) for s in seasons],
        )],
    )
    _layout(fig, 480 if big else 420, big)
    fig.update_layout(hovermode="closest", margin=dict(l=10, r=10, t=60, b=90))
    return fig


def dance(meeting: Meeting, pair: int, lang: str, names: tuple[str, str], big: bool = False) -> go.Figure:
    """One negotiation in utility space: both sides' offers over time, the Pareto frontier, the Nash,
    Kalai–Smorodinsky and max-welfare points, the BATNAs and the outcome."""
    wa, wb = meeting.weights_a[pair : pair + 1], meeting.weights_b[pair : pair + 1]
    ra, rb = meeting.reservation_a[pair : pair + 1], meeting.reservation_b[pair : pair + 1]
    frontier = pareto_frontier(wa, wb, WATER.opposed)
    nash, ks, best = nash_point(frontier, ra, rb), kalai_smorodinsky_point(frontier, ra, rb), max_welfare_point(frontier)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=frontier.ua[0], y=frontier.ub[0], mode="lines", name=t("neg.frontier", lang),
                             line=dict(color="#34495e", width=3)))
    fig.add_hline(y=float(rb[0]), line_dash="dash", line_color="#7f8c8d")
    fig.add_vline(x=float(ra[0]), line_dash="dash", line_color="#7f8c8d")
    fig.add_trace(go.Scatter(x=[ra[0]], y=[rb[0]], mode="markers", name=t("neg.batna", lang),
                             marker=dict(symbol="x", size=14, color="#7f8c8d")))
    direct = np.flatnonzero(meeting.direct == pair)
    if direct.size and meeting.result is not None and meeting.result.trace is not None:
        dance_table = meeting.result.trace.pair(int(direct[0]))
        for proposer, colour, name in (("A", "#2471a3", names[0]), ("B", "#d35400", names[1])):
            moves = dance_table[dance_table.proposer == proposer]
            fig.add_trace(go.Scatter(x=moves.utility_a, y=moves.utility_b, mode="lines+markers",
                                     name=t("neg.offers", lang, name=name),
                                     marker=dict(size=9, color=colour, opacity=0.85), line=dict(color=colour, width=1.5),
                                     text=[f"{t('axis.season', lang)} {meeting.season} · round {r}" for r in moves["round"]]))
    for point, label, symbol, colour in ((nash, "neg.nash", "diamond", "#8e44ad"), (ks, "neg.ks", "triangle-up", "#16a085"),
                                         (best, "neg.welfare", "square", "#2c3e50")):
        if not np.isnan(point.ua[0]):
            fig.add_trace(go.Scatter(x=[point.ua[0]], y=[point.ub[0]], mode="markers", name=t(label, lang),
                                     marker=dict(symbol=symbol, size=14, color=colour)))
    if meeting.agreed[pair]:
        ua, ub = package_utilities(wa, wb, meeting.package[pair : pair + 1], WATER.opposed)
        fig.add_trace(go.Scatter(x=ua, y=ub, mode="markers", name=t("neg.agreement", lang),
                                 marker=dict(symbol="star", size=22, color="#f1c40f", line=dict(width=1, color="#555"))))
    fig.update_xaxes(title_text=t("axis.utility_a", lang, name=names[0]), range=[0, 1.02])
    fig.update_yaxes(title_text=t("axis.utility_a", lang, name=names[1]), range=[0, 1.02])
    _layout(fig, 560 if big else 480, big)
    fig.update_layout(hovermode="closest")
    return fig

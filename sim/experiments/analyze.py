"""Analysing a finished sweep: run measures with confidence intervals by parameter, sensitivity indices where the
design allows them (SALib: Sobol for Saltelli designs, Morris for Morris designs), time series when the sweep kept
every season, and an HTML report of Plotly charts.

Measures are those of :mod:`sim.measures`: the analysis is always of run measures (``total_welfare_sum``), computed
from the seasons when the sweep kept them, with the same function a run's summary uses.
"""

from __future__ import annotations

import html
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy import stats

from sim.errors import InputError
from sim.experiments.design import build_design
from sim.experiments.spec import Sweep
from sim.measures import MEASURES, RUN_MEASURES, SEASON_MEASURES, run_measures

ID_COLUMNS = ("run", "point", "replication", "seed", "season", "status", "error")
PHASE = ("welfare_integrative_mean", "welfare_distributive_mean")
"""What the phase diagram compares: payoff per organisation of each way of bargaining, over the run."""


@dataclass
class Analysis:
    sweep: Sweep
    end: pd.DataFrame  # one row per successful run: its run measures and settings
    metrics: list[str]  # run measures present
    by_point: pd.DataFrame
    by_parameter: dict[str, pd.DataFrame]
    sensitivity: dict[str, pd.DataFrame] = field(default_factory=dict)
    failed: int = 0
    seasons: pd.DataFrame | None = None  # every season of every successful run, when the sweep kept them
    notes: list[str] = field(default_factory=list)  # what a reader must know (adjustments, library warnings)


def end_of_runs(sweep: Sweep, table: pd.DataFrame) -> pd.DataFrame:
    """One row per successful run with its run measures: as stored (keep = "end"), or computed from its seasons."""
    ok = table[table["status"] == "ok"]
    if "season" not in ok or ok.empty:
        return ok.reset_index(drop=True)
    identity = ok.drop_duplicates("run")[[c for c in ("run", "point", "replication", "seed", *sweep.names) if c in ok]]
    measures = run_measures(ok, by="run")
    return identity.merge(measures, on="run").reset_index(drop=True)


def _mean_ci(values: pd.Series) -> tuple[float, float, int]:
    v = values.dropna().to_numpy(dtype=float)
    if v.size == 0:
        return float("nan"), float("nan"), 0
    if v.size == 1:
        return float(v[0]), float("nan"), 1
    half = stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
    return float(v.mean()), float(half), int(v.size)


def _summarise(frame: pd.DataFrame, keys: list[str], metrics: list[str]) -> pd.DataFrame:
    rows = []
    for group, part in frame.groupby(keys, sort=True):
        row = dict(zip(keys, group if isinstance(group, tuple) else (group,), strict=True))
        row["replications"] = len(part)  # runs at this point (a measure may be empty in some, e.g. collapse_season)
        for metric in metrics:
            mean, half, _ = _mean_ci(part[metric])
            row[f"{metric}_mean"], row[f"{metric}_ci95"] = mean, half
        rows.append(row)
    return pd.DataFrame(rows)


def analyse(sweep: Sweep, table: pd.DataFrame) -> Analysis:
    end = end_of_runs(sweep, table)
    metrics = [m for m in RUN_MEASURES if m in end.columns and pd.api.types.is_numeric_dtype(end[m])]
    by_point = _summarise(end, ["point", *sweep.names], metrics) if not end.empty else pd.DataFrame()
    method = sweep.settings.sampling.method
    by_parameter = {}
    for name in sweep.names:
        frame = end.copy()
        if sweep.parameters[name].continuous and method != "grid" and frame[name].nunique() > 12:
            frame[name] = pd.qcut(frame[name], 10, duplicates="drop").apply(lambda b: float(b.mid)).astype(float)
        by_parameter[name] = _summarise(frame, [name], metrics) if not frame.empty else pd.DataFrame()
    seasons = None
    if "season" in table:
        seasons = table[table["status"] == "ok"]
    failed = int((table["status"] != "ok").sum()) if "season" not in table else int(
        table.loc[table["status"] != "ok", "run"].nunique())
    analysis = Analysis(sweep, end, metrics, by_point, by_parameter, failed=failed, seasons=seasons,
                        notes=list(sweep.notes))
    if method in ("sobol", "morris") and not end.empty:
        analysis.sensitivity = _sensitivity(sweep, end, metrics, analysis.notes)
    return analysis


def _sensitivity(sweep: Sweep, end: pd.DataFrame, metrics: list[str], notes: list[str]) -> dict[str, pd.DataFrame]:
    design = build_design(sweep)
    means = end.groupby("point")[metrics].mean().reindex(range(len(design.points)))
    names = design.problem["names"]
    if not names:
        notes.append("no parameter varies, so there are no sensitivity indices")
        return {}
    out = {}
    skipped = []
    for metric in metrics:
        y = means[metric].to_numpy(dtype=float)
        if np.isnan(y).any() or np.ptp(y) <= 1e-12 * max(1.0, float(np.abs(y).max())):
            skipped.append(metric)  # a failed or empty point, or the same value everywhere: indices are undefined
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if sweep.settings.sampling.method == "sobol":
                from SALib.analyze import sobol

                result = sobol.analyze(design.problem, y, calc_second_order=False, conf_level=0.95,
                                       seed=sweep.settings.master_seed % 2**32)
                out[metric] = pd.DataFrame({"parameter": names, "S1": result["S1"], "S1_conf": result["S1_conf"],
                                            "ST": result["ST"], "ST_conf": result["ST_conf"]})
            else:
                from SALib.analyze import morris

                result = morris.analyze(design.problem, design.matrix, y, conf_level=0.95,
                                        seed=sweep.settings.master_seed % 2**32)
                out[metric] = pd.DataFrame({"parameter": names, "mu_star": result["mu_star"],
                                            "mu_star_conf": result["mu_star_conf"], "sigma": result["sigma"]})
        if any("Constant values" in str(w.message) for w in caught):
            notes.append(f"{metric}: some bootstrap resamples had the same value everywhere; their indices count as 0, "
                         "so the confidence intervals are rough")
    if skipped:
        notes.append(f"no sensitivity indices for {', '.join(skipped)}: the same value at every design point, or a "
                     "point with no successful run")
    return out


def uncertain_indices(analysis: Analysis) -> list[str]:
    """Measures whose sensitivity indices are not yet telling: some index's 95% confidence half-width exceeds the
    index itself (SALib's bootstrap), which with few samples is the rule rather than the exception."""
    index, conf = ("ST", "ST_conf") if analysis.sweep.settings.sampling.method == "sobol" else ("mu_star", "mu_star_conf")
    return [metric for metric, frame in analysis.sensitivity.items()
            if (frame[conf].to_numpy() > np.abs(frame[index].to_numpy())).any()]


def uncertainty_note(analysis: Analysis) -> str:
    """The sentence that says which indices are too uncertain to read, or '' when none is."""
    uncertain = uncertain_indices(analysis)
    if not uncertain:
        return ""
    return (f"The indices of {', '.join(uncertain)} are uncertain (a 95% confidence interval wider than the index; "
            f"Sobol indices outside 0 to 1 are sampling error): raise sweep.sampling.samples (now "
            f"{analysis.sweep.settings.sampling.samples}) and sweep again.")


def check_metric(analysis: Analysis, metric: str | None) -> str:
    """The run measure the report's charts show: ``metric`` if this sweep has it, else an InputError listing
    the ones it has."""
    if not analysis.metrics:
        raise InputError("--metric", "this sweep recorded no measure", "a sweep with successful runs")
    if metric is None:
        return next((m for m in ("total_welfare_sum", "stock_share_end") if m in analysis.metrics), analysis.metrics[0])
    if metric in analysis.metrics:
        return metric
    if metric in SEASON_MEASURES:
        over_run = [m for m in analysis.metrics if RUN_MEASURES[m].of == metric]
        hint = f"{metric} is a season measure; over the run it is {' or '.join(over_run) or 'not kept by this sweep'}"
    elif metric in MEASURES:
        hint = f"{metric} was not kept by this sweep"
    else:
        from sim.suggest import did_you_mean

        hint = f"{metric!r} is not a measure{did_you_mean(metric, analysis.metrics)}"
    raise InputError("--metric", hint, ", ".join(analysis.metrics))


# -- figures ----------------------------------------------------------------------------------------------------
def _two_numeric(analysis: Analysis) -> list[str]:
    """The numeric parameters that vary in this sweep's runs (a heatmap needs two)."""
    end = analysis.end
    return [n for n in analysis.sweep.names if not end.empty and end[n].nunique() > 1
            and analysis.sweep.parameters[n].kind in ("number", "whole number")]


def _phase(analysis: Analysis) -> tuple[str, str] | str:
    """The two parameters of the phase diagram, or why there is none."""
    end = analysis.end
    names = _two_numeric(analysis)
    missing = [m for m in PHASE if m not in end.columns]
    if missing:
        return (f"No phase diagram: it compares {PHASE[0]} with {PHASE[1]} (what problem-solvers and claimers earn "
                f"per organisation), and this sweep did not keep {', '.join(missing)}. Keep them in sweep.metrics "
                "(or keep every measure).")
    gap = end[PHASE[0]] - end[PHASE[1]]
    if not gap.notna().any():
        return ("No phase diagram: no run had both integrative and distributive organisations (set both in the "
                "scenario's strategies.mix, or vary mix.integrative and mix.distributive).")
    if len(names) < 2:
        return "No phase diagram: it needs two numeric parameters that vary (for example trust.initial and water.inflow)."
    return names[0], names[1]


def _grid(frame: pd.DataFrame, x: str, y: str, binned: bool) -> pd.DataFrame:
    if binned:
        for axis in (x, y):
            if frame[axis].nunique() > 8:
                frame[axis] = pd.cut(frame[axis], 8).apply(lambda b: float(b.mid)).astype(float)
    return frame.pivot_table(index=y, columns=x, values="value", aggfunc="mean")


def figures(analysis: Analysis, metric: str) -> list[go.Figure]:
    """Response curves for each parameter, time series, a heatmap of two parameters, the phase diagram (when it
    means something) and sensitivity indices with their 95% confidence intervals."""
    figs = []
    label = MEASURES[metric].label()
    for name, frame in analysis.by_parameter.items():
        if frame.empty or f"{metric}_mean" not in frame or len(frame) < 2:
            continue
        mean, half = frame[f"{metric}_mean"], frame[f"{metric}_ci95"].fillna(0)
        fig = go.Figure(go.Scatter(x=frame[name].astype(str) if frame[name].dtype == object else frame[name], y=mean,
                                   mode="lines+markers", error_y=dict(type="data", array=half), name=metric))
        fig.update_layout(title=f"{metric} by {name} (mean, 95% CI over runs)", xaxis_title=name, yaxis_title=label,
                          height=380)
        figs.append(fig)
    figs += _time_series(analysis, metric)
    end = analysis.end
    binned = analysis.sweep.settings.sampling.method != "grid"
    numeric = _two_numeric(analysis)
    if len(numeric) >= 2:
        x, y = numeric[:2]
        grid = _grid(end.assign(value=end[metric].to_numpy()), x, y, binned)
        fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=grid.columns, y=grid.index, colorscale="Viridis",
                                   colorbar=dict(title=metric)))
        fig.update_layout(title=f"{metric} over {x} and {y} (mean over runs)", xaxis_title=x, yaxis_title=y, height=420)
        figs.append(fig)
    phase = _phase(analysis)
    if isinstance(phase, tuple):
        x, y = phase
        gap = end[PHASE[0]] - end[PHASE[1]]
        grid = _grid(end.assign(value=gap.to_numpy()), x, y, binned)
        reach = float(np.nanmax(np.abs(grid.to_numpy()))) if np.isfinite(grid.to_numpy()).any() else 1.0
        fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=grid.columns, y=grid.index, colorscale="RdBu", zmid=0,
                                   zmin=-reach or -1, zmax=reach or 1,
                                   colorbar=dict(title="integrative −<br>distributive")))
        fig.update_layout(title=f"Phase diagram: where problem-solvers out-earn claimers ({PHASE[0]} − {PHASE[1]}, "
                                f"blue: problem-solvers ahead) over {x} and {y}",
                          xaxis_title=x, yaxis_title=y, height=440)
        figs.append(fig)
    frame = analysis.sensitivity.get(metric)
    if frame is not None:
        sobol = "ST" in frame
        bars = [("S1", "S1_conf", "first order"), ("ST", "ST_conf", "total")] if sobol else [
            ("mu_star", "mu_star_conf", "Morris μ*")]
        fig = go.Figure([go.Bar(x=frame["parameter"], y=frame[i], name=n,
                                error_y=dict(type="data", array=frame[c].to_numpy(), visible=True)) for i, c, n in bars])
        fig.update_layout(title=f"Sensitivity of {metric} ({'Sobol indices' if sobol else 'Morris μ*'}, "
                                "95% confidence intervals)", barmode="group", height=380)
        figs.append(fig)
    return figs


def season_bands(seasons: pd.DataFrame, measure: str, by: str | None = None) -> pd.DataFrame:
    """Mean of a season measure in each season over runs, with a 95% confidence interval (optionally per value of
    ``by``)."""
    keys = ["season"] if by is None else [by, "season"]
    grouped = seasons.groupby(keys, sort=True)[measure]
    frame = grouped.agg(["mean", "std", "count"]).reset_index()
    t = stats.t.ppf(0.975, np.maximum(frame["count"] - 1, 1))
    frame["ci95"] = np.where(frame["count"] > 1, t * frame["std"] / np.sqrt(frame["count"]), np.nan)
    return frame.drop(columns="std")


def _time_series(analysis: Analysis, metric: str) -> list[go.Figure]:
    if analysis.seasons is None or analysis.seasons.empty:
        return []
    measure = RUN_MEASURES[metric].of
    if measure not in analysis.seasons:
        return []
    small = [n for n in analysis.sweep.names if 1 < analysis.seasons[n].nunique() <= 5]
    by = small[0] if small else None
    bands = season_bands(analysis.seasons, measure, by)
    fig = go.Figure()
    palette = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")  # Okabe & Ito
    groups = bands.groupby(by, sort=True) if by else [(None, bands)]
    for i, (value, part) in enumerate(groups):
        colour = palette[i % len(palette)]
        low, high = part["mean"] - part["ci95"].fillna(0), part["mean"] + part["ci95"].fillna(0)
        name = f"{by} = {value}" if by else "all runs"
        fig.add_trace(go.Scatter(x=np.r_[part["season"], part["season"][::-1]], y=np.r_[high, low[::-1]],
                                 fill="toself", fillcolor=colour, opacity=0.2, line=dict(width=0), hoverinfo="skip",
                                 showlegend=False))
        fig.add_trace(go.Scatter(x=part["season"], y=part["mean"], mode="lines", line=dict(color=colour), name=name))
    fig.update_layout(title=f"{measure} season by season (mean over runs, 95% confidence band)", xaxis_title="season",
                      yaxis_title=SEASON_MEASURES[measure].label(), height=400)
    return [fig]


# -- reading ----------------------------------------------------------------------------------------------------
def readable(value: object, scale: float | None = None) -> str:
    """A number as a reader wants it: three significant figures, thousands whole, and rounding noise (a value far
    below its column's scale, e.g. 4e-18 beside 0.5) as 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return "" if value is None else str(value)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}" if abs(int(value)) >= 10_000 else str(int(value))
    if not math.isfinite(value):
        return "–"
    if abs(value) < 1e-9 * max(1.0, scale or 0.0) or abs(value) < 1e-12:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def readable_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every number as text for reading (see :func:`readable`); columns keep their names."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            finite = out[column].to_numpy(dtype=float)
            finite = finite[np.isfinite(finite)]
            scale = float(np.abs(finite).max()) if finite.size else 0.0
            out[column] = [readable(v, scale) for v in out[column]]
        elif pd.api.types.is_integer_dtype(out[column]):
            out[column] = [readable(v) for v in out[column]]
    return out


def report_html(analysis: Analysis, metric: str | None = None, patterns_html: str = "") -> str:
    """A self-contained HTML report (plotly.js inlined once: it opens offline, at a workshop with no internet)."""
    metric = check_metric(analysis, metric)
    sweep = analysis.sweep
    parts = [
        "<html><head><meta charset='utf-8'><title>Rembug sweep report</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em} table{border-collapse:collapse;"
        "font-size:12px} td,th{border:1px solid #ccc;padding:2px 6px} .note{background:#fff3bf;padding:.5em}</style>"
        "</head><body>",
        "<h1>Rembug sweep report</h1>",
        f"<p>Scenario <b>{html.escape(sweep.scenario.id)}</b>, {sweep.settings.sampling.method} design over "
        f"{html.escape(', '.join(sweep.names))}; {len(analysis.end)} successful runs, {analysis.failed} failed. "
        f"Charts show <b>{html.escape(MEASURES[metric].label())}</b>.</p>",
    ]
    notes = list(analysis.notes)
    uncertain = uncertainty_note(analysis)
    if uncertain:
        notes.append(uncertain)
    phase = _phase(analysis)
    if isinstance(phase, str):
        notes.append(phase)
    for note in notes:
        parts.append(f"<p class='note'>{html.escape(note)}</p>")
    for i, fig in enumerate(figures(analysis, metric)):
        parts.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0)))
    for name, frame in analysis.sensitivity.items():
        parts.append(f"<h2>Sensitivity of {html.escape(name)} (95% confidence intervals)</h2>"
                     + readable_frame(frame).to_html(index=False))
    parts.append("<h2>Means and 95% confidence intervals by design point</h2>")
    parts.append(readable_frame(analysis.by_point).to_html(index=False))
    parts.append("<h2>The measures</h2>")
    legend = pd.DataFrame([{"measure": m, "unit": MEASURES[m].unit, "meaning": MEASURES[m].describe()}
                           for m in analysis.metrics])
    parts.append(legend.to_html(index=False))
    if patterns_html:
        parts.append(patterns_html)
    parts.append("</body></html>")
    return "\n".join(parts)

"""Analysing a finished sweep: means with confidence intervals by parameter, sensitivity indices where the design
allows them (SALib: Sobol for Saltelli designs, Morris for Morris designs), and an HTML report of Plotly charts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy import stats

from sim.experiments.design import build_design
from sim.experiments.spec import Sweep

ID_COLUMNS = ("run", "point", "replication", "seed", "season", "status", "error")


@dataclass
class Analysis:
    sweep: Sweep
    end: pd.DataFrame  # one row per successful run: its last season
    metrics: list[str]
    by_point: pd.DataFrame
    by_parameter: dict[str, pd.DataFrame]
    sensitivity: dict[str, pd.DataFrame] = field(default_factory=dict)
    failed: int = 0


def end_of_runs(table: pd.DataFrame) -> pd.DataFrame:
    ok = table[table["status"] == "ok"]
    if "season" in ok and ok["season"].notna().any():
        ok = ok.sort_values(["run", "season"]).groupby("run", as_index=False).tail(1)
    return ok.reset_index(drop=True)


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
        for metric in metrics:
            mean, half, n = _mean_ci(part[metric])
            row[f"{metric}_mean"], row[f"{metric}_ci95"] = mean, half
            row["replications"] = n
        rows.append(row)
    return pd.DataFrame(rows)


def analyse(sweep: Sweep, table: pd.DataFrame) -> Analysis:
    end = end_of_runs(table)
    metrics = [c for c in end.columns if c not in ID_COLUMNS and c not in sweep.names and pd.api.types.is_numeric_dtype(end[c])]
    by_point = _summarise(end, ["point", *sweep.names], metrics) if not end.empty else pd.DataFrame()
    method = sweep.settings.sampling.method
    by_parameter = {}
    for name in sweep.names:
        frame = end.copy()
        if method != "grid" and frame[name].nunique() > 12:  # sampled: bin into deciles for a response curve
            frame[name] = pd.qcut(frame[name], 10, duplicates="drop").apply(lambda b: float(b.mid)).astype(float)
        by_parameter[name] = _summarise(frame, [name], metrics) if not frame.empty else pd.DataFrame()
    analysis = Analysis(sweep, end, metrics, by_point, by_parameter, failed=int((table["status"] != "ok").sum()))
    if method in ("sobol", "morris") and not end.empty:
        analysis.sensitivity = _sensitivity(sweep, end, metrics)
    return analysis


def _sensitivity(sweep: Sweep, end: pd.DataFrame, metrics: list[str]) -> dict[str, pd.DataFrame]:
    design = build_design(sweep)
    means = end.groupby("point")[metrics].mean().reindex(range(len(design.points)))
    names = design.problem["names"]
    out = {}
    for metric in metrics:
        y = means[metric].to_numpy(dtype=float)
        if np.isnan(y).any() or np.nanstd(y) == 0:
            continue  # a failed point, or a constant output: indices are undefined
        if sweep.settings.sampling.method == "sobol":
            from SALib.analyze import sobol

            result = sobol.analyze(design.problem, y, calc_second_order=False, seed=sweep.settings.master_seed % 2**32)
            out[metric] = pd.DataFrame({"parameter": names, "S1": result["S1"], "S1_conf": result["S1_conf"],
                                        "ST": result["ST"], "ST_conf": result["ST_conf"]})
        else:
            from SALib.analyze import morris

            result = morris.analyze(design.problem, design.points[names].to_numpy(), y, seed=sweep.settings.master_seed % 2**32)
            out[metric] = pd.DataFrame({"parameter": names, "mu_star": result["mu_star"],
                                        "mu_star_conf": result["mu_star_conf"], "sigma": result["sigma"]})
    return out


def uncertain_indices(analysis: Analysis) -> list[str]:
    """Measures whose sensitivity indices are not yet telling: some index's 95% confidence half-width exceeds the
    index itself (SALib's bootstrap), which with few samples is the rule rather than the exception."""
    index, conf = ("ST", "ST_conf") if analysis.sweep.settings.sampling.method == "sobol" else ("mu_star", "mu_star_conf")
    return [metric for metric, frame in analysis.sensitivity.items()
            if (frame[conf].to_numpy() > np.abs(frame[index].to_numpy())).any()]


def _advantage(end: pd.DataFrame) -> tuple[pd.Series, str]:
    """Where integrative strategies win or lose: their welfare minus the distributives' when both play, else
    their share of organisations at the end."""
    if {"welfare_integrative", "welfare_distributive"} <= set(end.columns):
        gap = end["welfare_integrative"] - end["welfare_distributive"]
        if gap.notna().any():
            return gap, "integrative minus distributive welfare per organisation"
    if "share_integrative" in end.columns:
        return end["share_integrative"], "integrative share of organisations at the end"
    return pd.Series(np.nan, index=end.index), "not recorded"


def figures(analysis: Analysis, metric: str) -> list[go.Figure]:
    """Response curves for each parameter, a heatmap of two parameters, and the integrative phase diagram."""
    figs = []
    for name, frame in analysis.by_parameter.items():
        if frame.empty or f"{metric}_mean" not in frame or len(frame) < 2:
            continue
        mean, half = frame[f"{metric}_mean"], frame[f"{metric}_ci95"].fillna(0)
        fig = go.Figure(go.Scatter(x=frame[name], y=mean, mode="lines+markers", error_y=dict(type="data", array=half),
                                   name=metric))
        fig.update_layout(title=f"{metric} by {name} (mean, 95% CI over runs)", xaxis_title=name, yaxis_title=metric,
                          height=380)
        figs.append(fig)
    names = [n for n in analysis.sweep.names if analysis.end[n].nunique() > 1] if not analysis.end.empty else []
    end = analysis.end
    if len(names) >= 2 and not end.empty:
        x, y = names[0], names[1]
        for values, title in ((end[metric], f"{metric}"), _advantage(end)):
            frame = end.assign(value=values.to_numpy())
            if analysis.sweep.settings.sampling.method != "grid":
                for axis in (x, y):
                    frame[axis] = pd.cut(frame[axis], 8).apply(lambda b: float(b.mid)).astype(float)
            grid = frame.pivot_table(index=y, columns=x, values="value", aggfunc="mean")
            diverging = "minus" in title
            fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=grid.columns, y=grid.index,
                                       colorscale="RdBu" if diverging else "Viridis", zmid=0 if diverging else None))
            label = "Phase diagram: " if title != metric else ""
            fig.update_layout(title=f"{label}{title} over {x} and {y}", xaxis_title=x, yaxis_title=y, height=420)
            figs.append(fig)
    for metric_name, frame in analysis.sensitivity.items():
        if metric_name != metric:
            continue
        column = "ST" if "ST" in frame else "mu_star"
        fig = go.Figure(go.Bar(x=frame["parameter"], y=frame[column]))
        fig.update_layout(title=f"Sensitivity of {metric} ({'total Sobol index' if column == 'ST' else 'Morris mu*'})",
                          height=360)
        figs.append(fig)
    return figs


def report_html(analysis: Analysis, metric: str | None = None) -> str:
    """A self-contained HTML report (plotly.js inlined once: it opens offline, at a workshop with no internet)."""
    metric = metric or next((m for m in ("total_welfare", "stock_share") if m in analysis.metrics), analysis.metrics[0])
    parts = [
        "<html><head><meta charset='utf-8'><title>Rembug sweep report</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em} table{border-collapse:collapse;"
        "font-size:12px} td,th{border:1px solid #ccc;padding:2px 6px}</style></head><body>",
        "<h1>Rembug sweep report</h1>",
        f"<p>Scenario <b>{analysis.sweep.scenario.id}</b>, {analysis.sweep.settings.sampling.method} design over "
        f"{', '.join(analysis.sweep.names)}; {len(analysis.end)} successful runs, {analysis.failed} failed.</p>",
    ]
    for i, fig in enumerate(figures(analysis, metric)):
        parts.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0)))
    parts.append("<h2>Means and 95% confidence intervals by design point</h2>")
    parts.append(analysis.by_point.to_html(index=False, float_format=lambda v: f"{v:.4g}"))
    for name, frame in analysis.sensitivity.items():
        parts.append(f"<h2>Sensitivity of {name}</h2>" + frame.to_html(index=False, float_format=lambda v: f"{v:.3f}"))
    parts.append("</body></html>")
    return "\n".join(parts)

"""Analysing a finished sweep: run measures with confidence intervals by parameter (and policy), sensitivity indices
where the design allows them (SALib: Sobol for Saltelli designs, Morris for Morris designs), envelopes (seasonal
bands) of every kept measure when the sweep kept every season, and an HTML report of Plotly charts.

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
    meanings: dict[str, str] = field(default_factory=dict)  # custom outcomes: what each column is

    @property
    def by(self) -> list[str]:
        """Keys every summary is also split by: the policy, when the sweep compares policies."""
        return ["policy"] if "policy" in self.end.columns else []

    def label(self, metric: str) -> str:
        """A measure's name with its meaning and unit, built-in or custom."""
        if metric in MEASURES:
            return MEASURES[metric].label()
        return f"{metric} ({self.meanings.get(metric, 'custom outcome')})"


def end_of_runs(sweep: Sweep, table: pd.DataFrame) -> pd.DataFrame:
    """One row per successful run (and policy) with its run measures: as stored (keep = "end"), or computed from its
    seasons with the same functions a run uses (custom season outcomes summarised, run outcomes as stored)."""
    from sim.experiments.outcomes import _summaries

    ok = table[table["status"] == "ok"]
    if "season" not in ok or ok.empty:
        return ok.reset_index(drop=True)
    keys = ["run", "policy"] if "policy" in ok else ["run"]
    ok = ok.assign(_unit=ok.groupby(keys, sort=False).ngroup())
    run_level = [o.name for o in sweep.outcomes.values() if o.per == "run" and o.name in ok]
    identity = ok.drop_duplicates("_unit")[[c for c in ("_unit", "run", "point", "replication", "seed", "policy",
                                                        *sweep.names, *run_level) if c in ok]]
    measures = run_measures(ok, by="_unit")
    for outcome in sweep.outcomes.values():
        if outcome.per == "season" and outcome.name in ok:
            ordered = ok.sort_values(["_unit", "season"], kind="stable")
            rows = {unit: _summaries(part.to_numpy(dtype=float), outcome.over)
                    for unit, part in ordered.groupby("_unit", sort=True)[outcome.name]}
            summary = pd.DataFrame.from_dict(rows, orient="index", columns=outcome.columns)
            measures = measures.merge(summary, left_on="_unit", right_index=True, how="left")
    return identity.merge(measures, on="_unit").drop(columns="_unit").reset_index(drop=True)


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


def analyse(sweep: Sweep, table: pd.DataFrame, outcomes: dict[str, str] | None = None) -> Analysis:
    """Everything a report shows. ``outcomes``: run outcomes defined now, as expressions over the run measures
    (``{"gain": "total_welfare_sum - fees_sum"}``), added to every summary beside the stored measures."""
    from sim.experiments.outcomes import describe

    end = end_of_runs(sweep, table)
    meanings = describe(sweep.outcomes)
    if outcomes and not end.empty:
        end = add_outcomes(end, outcomes)
        meanings.update({name: f"custom: {text}" for name, text in outcomes.items()})
    custom = [c for c in meanings if c in end.columns and c not in RUN_MEASURES]
    metrics = [m for m in [*RUN_MEASURES, *custom] if m in end.columns and pd.api.types.is_numeric_dtype(end[m])
               and not pd.api.types.is_bool_dtype(end[m])]
    by = ["policy"] if "policy" in end.columns else []
    by_point = _summarise(end, ["point", *by, *sweep.names], metrics) if not end.empty else pd.DataFrame()
    method = sweep.settings.sampling.method
    by_parameter = {}
    for name in sweep.names:
        frame = end.copy()
        if sweep.parameters[name].continuous and method != "grid" and frame[name].nunique() > 12:
            frame[name] = pd.qcut(frame[name], 10, duplicates="drop").apply(lambda b: float(b.mid)).astype(float)
        by_parameter[name] = _summarise(frame, [name, *by], metrics) if not frame.empty else pd.DataFrame()
    seasons = None
    if "season" in table:
        seasons = table[table["status"] == "ok"]
    failed = int((table["status"] != "ok").sum()) if "season" not in table else int(
        table.loc[table["status"] != "ok", "run"].nunique())
    analysis = Analysis(sweep, end, metrics, by_point, by_parameter, failed=failed, seasons=seasons,
                        notes=list(sweep.notes), meanings=meanings)
    if method in ("sobol", "morris") and not end.empty:
        if by:  # indices per policy: each policy's runs are a complete design
            for policy, part in end.groupby("policy", sort=False):
                for metric, frame in _sensitivity(sweep, part, metrics, analysis.notes).items():
                    analysis.sensitivity[f"{metric} under {policy}"] = frame
        else:
            analysis.sensitivity = _sensitivity(sweep, end, metrics, analysis.notes)
    return analysis


def add_outcomes(end: pd.DataFrame, outcomes: dict[str, str]) -> pd.DataFrame:
    """``end`` with outcomes defined as expressions over its columns (run measures and settings)."""
    from sim.experiments.expressions import Expression

    out = end.copy()
    for name, text in outcomes.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise InputError("--outcome", f"{name!r} is not a name", "NAME=EXPRESSION, e.g. gain=total_welfare_sum/40")
        if name in out.columns:
            raise InputError("--outcome", f"{name!r} is a column of the results already", "a new name")
        value = Expression(text, f"--outcome {name}").evaluate(out)
        out[name] = np.asarray(value, dtype=float) * np.ones(len(out))
    return out


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
        note = (f"no sensitivity indices for {', '.join(skipped)}: the same value at every design point, or a "
                "point with no successful run")
        if note not in notes:
            notes.append(note)
    return out


def uncertain_indices(analysis: Analysis) -> list[str]:
    """Measures whose sensitivity indices are not yet telling: some index's 95% confidence half-width exceeds the
    index itself (SALib's bootstrap), which with few samples is the rule rather than the exception. For Sobol
    indices both the first-order (S1) and the total (ST) index are checked."""
    pairs = ([("S1", "S1_conf"), ("ST", "ST_conf")] if analysis.sweep.settings.sampling.method == "sobol"
             else [("mu_star", "mu_star_conf")])
    return [metric for metric, frame in analysis.sensitivity.items()
            if any((frame[conf].to_numpy() > np.abs(frame[index].to_numpy())).any() for index, conf in pairs)]


def uncertainty_note(analysis: Analysis) -> str:
    """The sentence that says which indices are too uncertain to read, or '' when none is."""
    uncertain = uncertain_indices(analysis)
    if not uncertain:
        return ""
    written, used = analysis.sweep.settings.sampling.samples, analysis.sweep.samples
    now = f"now {used}" + (f", rounded up from {written}" if used != written else "")
    return (f"The indices of {', '.join(uncertain)} are uncertain (a 95% confidence interval wider than the index; "
            f"Sobol indices outside 0 to 1 are sampling error): raise sweep.sampling.samples ({now}) and sweep "
            "again.")


def check_metric(analysis: Analysis, metric: str | None) -> str:
    """The run measure the report's charts show: ``metric`` if this sweep has it, else an InputError listing
    the ones it has."""
    if not analysis.metrics:
        raise InputError("--metric", "this sweep recorded no measure", "a sweep with successful runs")
    if metric is None:
        return next((m for m in ("total_welfare_sum", "stock_share_end") if m in analysis.metrics), analysis.metrics[0])
    if metric in analysis.metrics:
        return metric
    if metric in analysis.meanings:
        over_run = [m for m in analysis.metrics if m.startswith(f"{metric}_")]
        hint = f"{metric} is a season outcome; over the run it is {' or '.join(over_run) or 'not kept'}"
    elif metric in SEASON_MEASURES:
        over_run = [m for m in analysis.metrics if m in RUN_MEASURES and RUN_MEASURES[m].of == metric]
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
    if "policy" in end.columns:
        return ("No phase diagram: this sweep compares policies run by run (the charts draw one line per policy, and "
                "`rembug discover` finds where one does not beat another).")
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
    label = analysis.label(metric)
    for name, frame in analysis.by_parameter.items():
        if frame.empty or f"{metric}_mean" not in frame or frame[name].nunique() < 2:
            continue
        fig = go.Figure()
        groups = frame.groupby("policy", sort=False) if "policy" in frame else [(None, frame)]
        for i, (policy, part) in enumerate(groups):
            mean, half = part[f"{metric}_mean"], part[f"{metric}_ci95"].fillna(0)
            fig.add_trace(go.Scatter(x=part[name].astype(str) if part[name].dtype == object else part[name], y=mean,
                                     mode="lines+markers", error_y=dict(type="data", array=half),
                                     name=policy or metric, line=dict(color=PALETTE[i % len(PALETTE)])))
        fig.update_layout(title=f"{metric} by {name} (mean, 95% CI over runs)", xaxis_title=name, yaxis_title=label,
                          height=380)
        figs.append(fig)
    end = analysis.end
    binned = analysis.sweep.settings.sampling.method != "grid"
    numeric = _two_numeric(analysis)
    if len(numeric) >= 2:
        x, y = numeric[:2]
        for policy, part in (end.groupby("policy", sort=False) if analysis.by else [(None, end)]):
            grid = _grid(part.assign(value=part[metric].to_numpy()), x, y, binned)
            fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=grid.columns, y=grid.index, colorscale="Viridis",
                                       colorbar=dict(title=metric)))
            under = f" under {policy}" if policy is not None else ""
            fig.update_layout(title=f"{metric}{under} over {x} and {y} (mean over runs)", xaxis_title=x,
                              yaxis_title=y, height=420)
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
    for key, frame in analysis.sensitivity.items():
        if key != metric and not key.startswith(f"{metric} under "):
            continue
        sobol = "ST" in frame
        bars = [("S1", "S1_conf", "first order"), ("ST", "ST_conf", "total")] if sobol else [
            ("mu_star", "mu_star_conf", "Morris μ*")]
        fig = go.Figure([go.Bar(x=frame["parameter"], y=frame[i], name=n,
                                error_y=dict(type="data", array=frame[c].to_numpy(), visible=True)) for i, c, n in bars])
        fig.update_layout(title=f"Sensitivity of {key} ({'Sobol indices' if sobol else 'Morris μ*'}, "
                                "95% confidence intervals)", barmode="group", height=380)
        figs.append(fig)
    return figs


PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")  # Okabe & Ito
QUANTILES = (0.05, 0.5, 0.95)


def season_bands(seasons: pd.DataFrame, measure: str, by: str | None = None) -> pd.DataFrame:
    """Mean of a season measure in each season over runs, with a 95% confidence interval (optionally per value of
    ``by``)."""
    keys = ["season"] if by is None else [by, "season"]
    grouped = seasons.groupby(keys, sort=True)[measure]
    frame = grouped.agg(["mean", "std", "count"]).reset_index()
    t = stats.t.ppf(0.975, np.maximum(frame["count"] - 1, 1))
    frame["ci95"] = np.where(frame["count"] > 1, t * frame["std"] / np.sqrt(frame["count"]), np.nan)
    return frame.drop(columns="std")


def envelope_measures(analysis: Analysis) -> list[str]:
    """Every season measure the sweep kept (built-in and custom), in the vocabulary's order."""
    if analysis.seasons is None or analysis.seasons.empty:
        return []
    kept = analysis.sweep.kept() if analysis.sweep.settings.keep == "seasons" else []
    custom = [o.name for o in analysis.sweep.outcomes.values() if o.per == "season"]
    return [m for m in dict.fromkeys([*kept, *custom]) if m in analysis.seasons
            and pd.api.types.is_numeric_dtype(analysis.seasons[m])]


def envelope_group(analysis: Analysis) -> str | None:
    """What envelopes are drawn apart by: the policy, else the first parameter with 2 to 5 values, else nothing."""
    if analysis.seasons is None:
        return None
    if "policy" in analysis.seasons:
        return "policy"
    small = [n for n in analysis.sweep.names if 1 < analysis.seasons[n].nunique() <= 5]
    return small[0] if small else None


def envelopes(analysis: Analysis) -> pd.DataFrame:
    """The envelope of every kept season measure: in each season (and group), over runs, the mean with its 95%
    confidence interval, the 5%, 50% and 95% quantiles and the whole range. One tidy table: measure, [group,] season,
    runs, mean, ci95, min, p05, median, p95, max."""
    measures = envelope_measures(analysis)
    if not measures:
        return pd.DataFrame()
    by = envelope_group(analysis)
    keys = ["season"] if by is None else [by, "season"]
    seasons = analysis.seasons
    grouped = seasons.groupby(keys, sort=by != "policy")
    frames = []
    for measure in measures:
        column = grouped[measure]
        frame = column.agg(["count", "mean", "std", "min", "max"]).reset_index()
        quantiles = column.quantile(list(QUANTILES)).unstack().reset_index(drop=True)
        frame["p05"], frame["median"], frame["p95"] = (quantiles[q].to_numpy() for q in QUANTILES)
        t = stats.t.ppf(0.975, np.maximum(frame["count"] - 1, 1))
        frame["ci95"] = np.where(frame["count"] > 1, t * frame["std"] / np.sqrt(frame["count"]), np.nan)
        frame.insert(0, "measure", measure)
        frames.append(frame.rename(columns={"count": "runs"}).drop(columns="std"))
    table = pd.concat(frames, ignore_index=True)
    columns = ["measure", *([by] if by else []), "season", "runs", "mean", "ci95", "min", "p05", "median", "p95", "max"]
    return table[columns]


def envelope_figures(analysis: Analysis, table: pd.DataFrame | None = None) -> list[go.Figure]:
    """One chart per kept season measure: for each group its range over runs (lightest), its 5-95% band, and its
    mean (line) season by season, as EMA Workbench draws envelopes."""
    table = envelopes(analysis) if table is None else table
    if table.empty:
        return []
    by = envelope_group(analysis)
    figs = []
    for measure, rows in table.groupby("measure", sort=False):
        fig = go.Figure()
        groups = rows.groupby(by, sort=False) if by else [(None, rows)]
        for i, (value, part) in enumerate(groups):
            colour = PALETTE[i % len(PALETTE)]
            x = part["season"].to_numpy()
            for low, high, opacity in (("min", "max", 0.12), ("p05", "p95", 0.25)):
                fig.add_trace(go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[part[high], part[low][::-1]], fill="toself",
                                         fillcolor=colour, opacity=opacity, line=dict(width=0), hoverinfo="skip",
                                         showlegend=False))
            name = f"{by} = {value}" if by else "all runs"
            fig.add_trace(go.Scatter(x=x, y=part["mean"], mode="lines", line=dict(color=colour), name=name))
        label = SEASON_MEASURES[measure].label() if measure in SEASON_MEASURES else \
            f"{measure} ({analysis.meanings.get(measure, 'custom outcome')})"
        fig.update_layout(title=f"{measure} season by season (envelope over runs: mean, 5-95% band, whole range)",
                          xaxis_title="season", yaxis_title=label, height=380)
        figs.append(fig)
    return figs


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
        f"{html.escape(', '.join(sweep.names))}; {len(analysis.end)} successful runs, {analysis.failed} failed"
        + (f", each world run under the policies {html.escape(', '.join(sweep.policy_names))} with the same seed"
           if sweep.policies else "")
        + f". Charts show <b>{html.escape(analysis.label(metric))}</b>.</p>",
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
    if not envelope_measures(analysis):
        notes.append("No envelopes: they draw every measure season by season, and this sweep kept one row per run "
                     '(keep = "end"); sweep with keep = "seasons" to have them.')
    envelope = envelope_figures(analysis)
    drawn = 0  # plotly.js is inlined with the first chart only
    for fig in figures(analysis, metric):
        parts.append(fig.to_html(full_html=False, include_plotlyjs=drawn == 0))
        drawn += 1
    if envelope:
        parts.append("<h2>Envelopes: every kept measure season by season</h2><p>For each season, over runs: the mean "
                     "(line), the 5–95% band and the whole range (lightest); the numbers are in envelopes.csv.</p>")
        for fig in envelope:
            parts.append(fig.to_html(full_html=False, include_plotlyjs=drawn == 0))
            drawn += 1
    for name, frame in analysis.sensitivity.items():
        parts.append(f"<h2>Sensitivity of {html.escape(name)} (95% confidence intervals)</h2>"
                     + readable_frame(frame).to_html(index=False))
    parts.append("<h2>Means and 95% confidence intervals by design point</h2>")
    parts.append(readable_frame(analysis.by_point).to_html(index=False))
    parts.append("<h2>The measures</h2>")
    legend = pd.DataFrame([{"measure": m, "unit": MEASURES[m].unit if m in MEASURES else "",
                            "meaning": MEASURES[m].describe() if m in MEASURES else analysis.meanings.get(m, "")}
                           for m in analysis.metrics])
    parts.append(legend.to_html(index=False))
    if patterns_html:
        parts.append(patterns_html)
    parts.append("</body></html>")
    return "\n".join(parts)

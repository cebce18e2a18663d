"""Sensitivity indices are flagged as uncertain exactly when a confidence interval is wider than its index."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments import parse_sweep
from sim.experiments.analyze import Analysis, uncertain_indices, uncertainty_note

SPEC = """
[sweep]
scenario = "mixed_village"
[sweep.sampling]
method = "{method}"
samples = 8
[parameters]
"trust.initial" = {{ low = 0.1, high = 0.9 }}
"water.inflow" = {{ low = 0.7, high = 1.2 }}
"""


def analysis(method: str, sensitivity: dict[str, pd.DataFrame]) -> Analysis:
    empty = pd.DataFrame()
    return Analysis(parse_sweep(SPEC.format(method=method)), empty, [], empty, {}, sensitivity)


@pytest.mark.parametrize(("method", "index", "conf"), [("sobol", "ST", "ST_conf"), ("morris", "mu_star", "mu_star_conf")])
def test_uncertain_indices(method, index, conf):
    tight = pd.DataFrame({"parameter": ["a", "b"], index: [0.6, -0.3], conf: [0.1, 0.2]})
    loose = pd.DataFrame({"parameter": ["a", "b"], index: [0.6, 0.05], conf: [0.1, 0.2]})
    if method == "sobol":
        tight = tight.assign(S1=[0.5, 0.2], S1_conf=[0.1, 0.1])
        loose = loose.assign(S1=[0.5, 0.2], S1_conf=[0.1, 0.1])
    assert uncertain_indices(analysis(method, {"welfare": tight, "stock": loose})) == ["stock"]
    assert uncertain_indices(analysis(method, {"welfare": tight})) == []


def test_a_first_order_index_wider_than_itself_is_flagged_too():
    """The issue's case: S1 = 0.07 ± 0.40 beside a well-measured ST was not flagged (only ST was checked)."""
    frame = pd.DataFrame({"parameter": ["a"], "S1": [0.07], "S1_conf": [0.40], "ST": [0.6], "ST_conf": [0.1]})
    assert uncertain_indices(analysis("sobol", {"welfare": frame})) == ["welfare"]


def test_the_uncertainty_note_names_the_samples_used_and_as_written():
    """10 base samples are rounded up to 16 (a power of two); the note said 'now 10'."""
    frame = pd.DataFrame({"parameter": ["a"], "S1": [0.07], "S1_conf": [0.40], "ST": [0.6], "ST_conf": [0.1]})
    result = Analysis(parse_sweep(SPEC.format(method="sobol").replace("samples = 8", "samples = 10")),
                      pd.DataFrame(), [], pd.DataFrame(), {}, {"welfare": frame})
    assert "raise sweep.sampling.samples (now 16, rounded up from 10)" in uncertainty_note(result)


# -- the report -------------------------------------------------------------------------------------------------
import numpy as np  # noqa: E402

import sim  # noqa: E402
from sim.experiments.analyze import (  # noqa: E402
    analyse,
    envelope_figures,
    envelopes,
    figures,
    readable,
    readable_frame,
    report_html,
)

README_SPEC = """
[sweep]
scenario = "mixed_village"
replications = 2
master_seed = 1
metrics = ["total_welfare", "stock_share", "collapsed", "share_integrative"]
[sweep.sampling]
method = "grid"
[parameters]
"trust.initial" = {{ values = [0.2, 0.8] }}
"water.inflow" = {{ values = [0.8, 1.2] }}
"world.seasons" = {{ values = [4] }}
"world.organisations" = {{ values = [8] }}
"""


def _report(text: str) -> tuple[str, list]:
    sweep = parse_sweep(text)
    analysis = analyse(sweep, sim.sweep(sweep))
    metric = analysis.metrics[0] if "total_welfare_sum" not in analysis.metrics else "total_welfare_sum"
    return report_html(analysis, metric), figures(analysis, metric)


def test_no_phase_diagram_without_the_welfare_by_strategy_and_the_report_says_what_it_needs():
    """The README's old example kept share_integrative (constant at 0.4): no diagram is drawn on it."""
    report, figs = _report(README_SPEC.format())
    titles = [f.layout.title.text for f in figs]
    assert not any(t.startswith("Phase diagram") for t in titles)
    assert "No phase diagram: it compares welfare_integrative_mean with welfare_distributive_mean" in report
    assert "not recorded" not in report


def test_the_phase_diagram_is_centred_on_zero_when_it_means_something():
    text = README_SPEC.format().replace('"share_integrative"]', '"welfare_integrative", "welfare_distributive"]')
    _, figs = _report(text)
    phase = next(f for f in figs if f.layout.title.text.startswith("Phase diagram"))
    heat = phase.data[0]
    assert heat.zmid == 0 and heat.zmin == -heat.zmax and heat.zmax > 0
    assert np.isfinite(np.asarray(heat.z, dtype=float)).all()


def test_keeping_seasons_gives_run_measures_and_time_series_with_bands():
    text = README_SPEC.format().replace("master_seed = 1", 'master_seed = 1\nkeep = "seasons"')
    sweep = parse_sweep(text)
    table = sim.sweep(sweep)
    analysis = analyse(sweep, table)
    assert "total_welfare_sum" in analysis.metrics and len(analysis.end) == 8
    sums = table.groupby("run").total_welfare.sum().to_numpy()
    assert np.allclose(analysis.end.sort_values("run")["total_welfare_sum"].to_numpy(), sums)
    series = [f for f in envelope_figures(analysis) if "season by season" in f.layout.title.text]
    assert series and any(trace.fill == "toself" for trace in series[0].data)  # the bands


def test_an_envelope_for_every_kept_measure_as_a_chart_and_a_table():
    """Every season measure the sweep kept gets its envelope (mean, 5-95% band, range over runs, season by season),
    not only the --metric one; the same numbers are a tidy table (envelopes.csv)."""
    text = README_SPEC.format().replace("master_seed = 1", 'master_seed = 1\nkeep = "seasons"')
    sweep = parse_sweep(text)
    table = sim.sweep(sweep)
    analysis = analyse(sweep, table)
    kept = ["stock_share", "total_welfare", "collapsed", "share_integrative"]
    bands = envelopes(analysis)
    assert set(bands["measure"]) == set(kept)
    assert list(bands.columns) == ["measure", "trust.initial", "season", "runs", "mean", "ci95", "min", "p05", "median",
                                   "p95", "max"]
    welfare = bands[(bands.measure == "total_welfare") & (bands["trust.initial"] == 0.2)].set_index("season")
    runs = table[table["trust.initial"] == 0.2].groupby("season").total_welfare
    assert np.allclose(welfare["mean"], runs.mean()) and np.allclose(welfare["max"], runs.max())
    assert (welfare["runs"] == 4).all() and (welfare["min"] <= welfare["p05"]).all() and (welfare["p95"] <= welfare["max"]).all()
    charts = envelope_figures(analysis, bands)
    assert sorted(f.layout.title.text.split()[0] for f in charts) == sorted(kept)
    assert all(len(f.data) == 2 * 3 for f in charts)  # two groups (trust 0.2, 0.8): range, band, mean each
    assert "Envelopes: every kept measure season by season" in report_html(analysis, "total_welfare_sum")


def test_sensitivity_charts_carry_confidence_intervals():
    sweep = parse_sweep(SPEC.format(method="sobol").replace("[parameters]", '[parameters]\n"world.seasons" = { values = [3] }\n'
                                    '"world.organisations" = { values = [6] }'))
    analysis = analyse(sweep, sim.sweep(sweep, workers=2))
    bars = next(f for f in figures(analysis, "total_welfare_sum") if f.layout.title.text.startswith("Sensitivity"))
    assert {b.name for b in bars.data} == {"first order", "total"}
    for bar in bars.data:
        assert bar.error_y.visible and len(bar.error_y.array) == 2 and np.all(np.asarray(bar.error_y.array) >= 0)


@pytest.mark.parametrize(("value", "scale", "shown"), [
    (4.093e-18, 0.5, "0"), (0.123456, None, "0.123"), (662.5, None, "662"), (12345.6, None, "12,346"),
    (float("nan"), None, "–"), (-0.0004567, 0.001, "-0.000457"), (3, None, "3"),
])
def test_numbers_are_rounded_for_reading(value, scale, shown):
    assert readable(value, scale) == shown


def test_tables_show_no_rounding_noise():
    frame = pd.DataFrame({"parameter": ["a", "b"], "S1": [0.51234, 4.093e-18]})
    assert readable_frame(frame)["S1"].tolist() == ["0.512", "0"]


def test_replications_count_the_runs_at_each_point_even_where_a_measure_is_empty():
    """collapse_season is empty where the river never collapses; the count of runs must not follow it to 0."""
    sweep = parse_sweep(README_SPEC.format().replace('metrics = ["total_welfare", "stock_share", "collapsed", '
                                                     '"share_integrative"]', 'metrics = ["total_welfare", "collapsed"]'))
    analysis = analyse(sweep, sim.sweep(sweep))
    assert analysis.by_point["replications"].tolist() == [2] * len(analysis.by_point)
    assert analysis.by_parameter["trust.initial"]["replications"].tolist() == [4, 4]  # 2 inflows x 2 replications
    assert analysis.by_parameter["world.seasons"]["replications"].tolist() == [8]

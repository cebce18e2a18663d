"""Sensitivity indices are flagged as uncertain exactly when a confidence interval is wider than its index."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments import parse_sweep
from sim.experiments.analyze import Analysis, uncertain_indices

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
    assert uncertain_indices(analysis(method, {"welfare": tight, "stock": loose})) == ["stock"]
    assert uncertain_indices(analysis(method, {"welfare": tight})) == []

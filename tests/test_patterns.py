"""The pattern catalogue: well-formed claims, honest verdicts, deterministic measurement, and the command that prints
and writes it. The tests run it on the suite's own seeds (below 1,000); the README's table uses seeds from 10,000."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from sim.cli import main
from sim.patterns import FRESH_SEEDS_FROM, Expect, catalogue, interval, measure, to_html, to_markdown

TESTS = Path(__file__).resolve().parent
SEEDS = (0, 1, 2)


def test_every_pattern_states_its_claim_source_condition_and_measure():
    patterns = catalogue()
    keys = [p.key for p in patterns]
    assert len(keys) == len(set(keys)), "pattern names must be unique"
    for p in patterns:
        assert p.claim and p.source and p.condition and p.measure, p.key
        assert p.runs, p.key
        assert p.expect.describe()
    required = ("trust_helps.", "function_alone.", "all_six_beat_none", "backbone_can_fail_to_pay", "scarcity.",
                "abundance.", "identical_interests.", "river.", "efficiency.", "engine.dilemma.", "engine.fixed_pie.",
                "partner_choice.", "learning.", "preset.mixed_village.", "conduct.")
    for prefix in required:
        assert any(k.startswith(prefix) for k in keys), prefix
    # every preset is checked for trust helping, and each of the six functions alone
    assert sum(k.startswith("trust_helps.") for k in keys) == 8
    assert sum(k.startswith("function_alone.") and k.endswith(".welfare") for k in keys) == 6


@pytest.mark.parametrize(
    ("expect", "interval_", "verdict"),
    [
        (Expect(low=0.0), (0.5, 0.1, 0.9), "holds"),
        (Expect(low=0.0), (0.1, -0.2, 0.4), "unclear"),
        (Expect(low=0.0), (-0.5, -0.9, -0.1), "fails"),
        (Expect(high=0.1), (0.05, 0.0, 0.09), "holds"),
        (Expect(low=0.1, high=0.35), (0.25, 0.2, 0.3), "holds"),
        (Expect(low=0.1, high=0.35), (0.25, 0.05, 0.3), "unclear"),
        (Expect(low=0.35, high=0.65), (0.25, 0.2, 0.3), "fails"),
        (Expect(includes=0.0), (3.0, -1.0, 7.0), "holds"),
        (Expect(includes=0.0), (3.0, 1.0, 7.0), "fails"),
        (Expect(not_below=0.0), (-3.0, -8.0, 1.0), "holds"),
        (Expect(not_below=0.0), (-3.0, -8.0, -1.0), "fails"),
        (Expect(low=0.0), (float("nan"),) * 3, "unclear"),
    ],
)
def test_verdicts_follow_the_whole_interval(expect, interval_, verdict):
    assert expect.verdict(*interval_) == verdict


def test_the_interval_is_students_t():
    values = np.array([1.0, 2.0, 4.0, 7.0, 11.0])
    mean, lo, hi = interval(values)
    half = stats.t.ppf(0.975, 4) * values.std(ddof=1) / np.sqrt(5)
    assert mean == pytest.approx(5.0) and lo == pytest.approx(5.0 - half) and hi == pytest.approx(5.0 + half)
    assert interval(np.array([3.0, np.nan, 3.0])) == (3.0, 3.0, 3.0)


@pytest.fixture(scope="module")
def measured():
    return measure(SEEDS, workers=2)


def test_the_whole_catalogue_measures_on_the_tests_seeds(measured, figures):
    assert len(measured.measured) == len(catalogue())
    for m in measured.measured:
        assert m.values.shape == (len(SEEDS),), m.pattern.key
        assert np.isfinite(m.values).all(), m.pattern.key
        assert m.verdict in ("holds", "unclear", "fails")
    counts = measured.counts()
    figures.record("pattern catalogue on the tests' seeds 0-2: patterns that hold", counts["holds"], f"of {len(catalogue())}")
    table = measured.table()
    assert {"pattern", "claim", "source", "mean", "ci_low", "ci_high", "verdict", "note"} <= set(table.columns)


def test_measuring_is_deterministic_and_does_not_depend_on_workers(measured):
    subset = [p for p in catalogue() if p.key.startswith(("engine.fixed_pie", "function_alone.funding", "efficiency."))]
    alone = measure(SEEDS, subset, workers=1)
    by_key = {m.pattern.key: m for m in measured.measured}
    for m in alone.measured:
        np.testing.assert_array_equal(m.values, by_key[m.pattern.key].values)


def test_reports_show_every_pattern_and_escape_text(measured):
    markdown, page = to_markdown(measured), to_html(measured)
    for m in measured.measured:
        assert f"`{m.pattern.key}`" in markdown and m.pattern.key in page
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "Thompson &amp; Hrebec" in page  # escaped


def test_the_command_prints_writes_and_updates_a_readme(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- patterns:start -->\nold table\n<!-- patterns:end -->\nafter\n", encoding="utf-8")
    code = main(["patterns", "--seeds", "2", "--first-seed", "0", "--only", "engine.fixed_pie", "--workers", "1",
                 "--out", str(tmp_path / "out"), "--readme", str(readme), "--quiet"])
    assert code == 0
    printed = capsys.readouterr()
    assert "engine.fixed_pie.lose_lose" in printed.out and "hold" in printed.out
    assert "include the test suite's" in printed.err
    for name in ("patterns.md", "patterns.html", "patterns.csv"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    text = readme.read_text(encoding="utf-8")
    assert "old table" not in text and "engine.fixed_pie.blind" in text and text.endswith("after\n")


@pytest.mark.parametrize(("argv", "field"), [(["--seeds", "1"], "--seeds"), (["--first-seed", "-3"], "--first-seed"),
                                             (["--only", "nope"], "--only"), (["--workers", "0"], "--workers")])
def test_the_command_names_the_bad_option(argv, field, capsys, tmp_path):
    assert main(["patterns", "--out", str(tmp_path), "--quiet", *argv]) == 2
    assert capsys.readouterr().err.startswith(f"error: {field}:")


def test_the_test_suite_never_uses_the_catalogues_fresh_seeds():
    """The README's claims are measured on seeds from FRESH_SEEDS_FROM on; no test may pin a figure on them."""
    big = re.compile(r"seed[^\n]{0,40}?\b(\d{5,})\b")
    for path in TESTS.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for number in big.findall(line):
                assert int(number) < FRESH_SEEDS_FROM, f"{path.name}: {line.strip()}"

"""The robustness screen: how the central result moves when one setting at a time moves.

The central result is the gap between expanding and slicing the pie: on the same river, in the same years, the total
welfare of a village where everyone is integrative minus one where everyone is distributive. A reviewer's question
is whether that gap is a property of the mechanisms or of a constant. The screen answers it one factor at a time
(a local sensitivity analysis around a preset, as ODD's "robustness analysis" element asks): each factor is set to a
few levels across its plausible range, the others stay at the preset's values, and on every level the gap is
measured on fresh seeds (from :data:`SEEDS_FROM`, which neither the tests nor the pattern catalogue use) with its
95% confidence interval.

Each gap is decomposed two ways, both exact (they add up to the gap):

- **by season**: the part earned in seasons when the slicing village had collapsed and the expanding one had not
  (*collapse avoided*), and the rest (*everyday*, seasons when both rivers were in the same state);
- **by account**: harvest, maintenance labour, investment, the cost of quarrels, fees and outside money.

Beside them go the mechanisms' own indicators (agreements reached, value created at the table, broken agreements,
wells and canals standing, collapse). Where the gap changes most between two neighbouring levels, :func:`tips` names
the indicator that moved most, in units of its spread over seeds: the mechanism that tips it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim._pool import LifelinePool
from sim.patterns import interval

SEEDS_FROM = 20_000
"""The screen's seeds start here: above the tests' (below 1,000) and the pattern catalogue's (10,000 on)."""


@dataclass(frozen=True)
class Factor:
    """One setting the screen moves, with the levels it takes (the preset's own value among them)."""

    key: str
    levels: tuple[Any, ...]
    about: str


FACTORS: tuple[Factor, ...] = (
    Factor("water.inflow", (0.6, 0.8, 1.0, 1.2, 1.5, 2.0), "water for need: how scarce the river is"),
    Factor("water.recovery", (0.0, 0.1, 0.2, 0.35, 0.5), "how fast the allocation rule refills a low river"),
    Factor("water.drought_probability", (0.0, 0.05, 0.1, 0.2, 0.3), "chance of a drought each season"),
    Factor("water.base_capture", (0.5, 0.6, 0.7, 0.8, 0.9), "share of inflow captured without wells and canals"),
    Factor("organisations.grab", (1.0, 1.25, 1.5, 2.0, 2.5), "how much a grab takes, as a multiple of need"),
    Factor("organisations.conflict_cost", (0.0, 0.1, 0.2, 0.35, 0.5), "what a quarrel (impasse) costs each side"),
    Factor("organisations.diversity", (0.0, 0.35, 0.7, 1.0), "how much priorities differ (room to trade)"),
    Factor("organisations.dry_loss", (0.0, 0.15, 0.3, 0.45, 0.6), "dry-season water lost without turns"),
    Factor("conduct.honesty", (0.0, 0.15, 0.3, 0.45, 0.6), "the norm against breaking one's word or grabbing"),
    Factor("conduct.monitoring", (0.0, 0.1, 0.2, 0.4, 0.6), "chance a breach or grab is seen"),
    Factor("conduct.fine", (0.0, 0.15, 0.3, 0.6, 1.0), "the fine when seen"),
    Factor("conduct.noise", (0.02, 0.05, 0.1, 0.2, 0.4), "how much organisations differ in temptation"),
    Factor("trust.initial", (0.0, 0.25, 0.5, 0.75, 1.0), "trust between strangers"),
    Factor("trust.gossip", (0.0, 0.1, 0.2, 0.4, 0.6), "how visible conduct is by word of mouth"),
    Factor("negotiation.rounds", (2, 4, 8, 12, 24), "offers each side may make at a meeting"),
    Factor("strategies.fixed_pie", (0.5, 0.6, 0.68, 0.8, 0.95), "starting belief that interests are opposed"),
)

EXPAND = {"strategies.mix": {"integrative": 1.0}}
SLICE = {"strategies.mix": {"distributive": 1.0}}
ACCOUNTS = ("harvest", "labour", "invested", "conflict", "fees", "outside_money")
"""total welfare = harvest - labour - invested - conflict - fees - outside money, season by season."""

INDICATORS = {
    # indicator: (column, how it is summarised over a run, what it stands for)
    "agreement_rate": ("agreement_rate", "mean", "agreements reached"),
    "value_created": ("value_created", "mean", "value created at the table"),
    "breaches": ("breaches", "mean", "broken agreements per season"),
    "infrastructure": ("infrastructure", "mean", "wells and canals standing"),
    "collapsed": ("collapsed", "max", "the river collapsing"),
}


def _one(config_data: tuple[str, tuple[tuple[str, Any], ...], int]) -> dict[str, float]:
    """Both villages on one river: the gap, its decompositions and the indicators for each."""
    from sim.commons import CommonsModel
    from sim.scenarios import builtin_scenarios, with_changes

    scenario, changes, seed = config_data
    base = builtin_scenarios()[scenario].config
    tables = {}
    for name, mix in (("expand", EXPAND), ("slice", SLICE)):
        config = with_changes(base, {**dict(changes), **mix, "world.seed": seed}, "robustness")
        tables[name] = CommonsModel(config).run().season_table()
    e, s = tables["expand"], tables["slice"]
    per_season = e.total_welfare.to_numpy() - s.total_welfare.to_numpy()
    avoided = (s.collapsed.to_numpy() > 0) & (e.collapsed.to_numpy() == 0)
    row = {"gap": float(per_season.sum()), "collapse_avoided": float(per_season[avoided].sum()),
           "everyday": float(per_season[~avoided].sum())}
    for account in ACCOUNTS:
        sign = 1.0 if account == "harvest" else -1.0
        row[f"by_{account}"] = sign * float(e[account].sum() - s[account].sum())
    for name, (column, how, _) in INDICATORS.items():
        for village, table in (("expand", e), ("slice", s)):
            row[f"{name}_{village}"] = float(getattr(table[column], how)())
    return row


def _many(items: list[tuple[str, tuple[tuple[str, Any], ...], int]]) -> list[dict[str, float]]:
    return [_one(item) for item in items]


def screen(
    scenario: str = "mixed_village",
    factors: Sequence[Factor] = FACTORS,
    seeds: Sequence[int] = range(SEEDS_FROM, SEEDS_FROM + 20),
    *,
    workers: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """One row per factor, level and seed (tidy): the gap, its decompositions, and both villages' indicators."""
    items = [(scenario, ((f.key, level),), int(seed)) for f in factors for level in f.levels for seed in seeds]
    keys = [(f.key, level, int(seed)) for f in factors for level in f.levels for seed in seeds]
    chunks = [items[i: i + 8] for i in range(0, len(items), 8)]
    rows: list[dict[str, float]] = []
    if workers > 1 and len(chunks) > 1:
        with LifelinePool(workers) as pool:  # workers leave with this process, even on SIGKILL
            for found in pool.map(_many, chunks):
                rows += found
                if on_progress:
                    on_progress(len(rows), len(items))
    else:
        for chunk in chunks:
            rows += _many(chunk)
            if on_progress:
                on_progress(len(rows), len(items))
    frame = pd.DataFrame(rows)
    frame.insert(0, "seed", [k[2] for k in keys])
    frame.insert(0, "level", [k[1] for k in keys])
    frame.insert(0, "factor", [k[0] for k in keys])
    return frame


def summarise(frame: pd.DataFrame) -> pd.DataFrame:
    """Per factor and level: the mean gap with its 95% interval, the decompositions' means and the indicators'."""
    rows = []
    for (factor, level), group in frame.groupby(["factor", "level"], sort=False):
        mean, lo, hi = interval(group.gap.to_numpy(dtype=float))
        row = {"factor": factor, "level": level, "seeds": len(group), "gap": mean, "ci_low": lo, "ci_high": hi}
        for column in group.columns:
            if column not in ("factor", "level", "seed", "gap"):
                row[column] = float(group[column].mean())
        rows.append(row)
    return pd.DataFrame(rows)


def tips(frame: pd.DataFrame) -> pd.DataFrame:
    """For each factor, the step between neighbouring levels where the gap changes most, and the indicator that moved
    most between them in units of its spread over seeds (the mechanism that tips the gap there)."""
    rows = []
    for factor, group in frame.groupby("factor", sort=False):
        levels = list(dict.fromkeys(group.level))
        best = None
        for low, high in zip(levels, levels[1:]):
            a, b = group[group.level == low], group[group.level == high]
            step = float(b.gap.mean() - a.gap.mean())
            if best is None or abs(step) > abs(best[2]):
                best = (low, high, step, a, b)
        if best is None:
            continue
        low, high, step, a, b = best
        mechanism, score = "", 0.0
        for name, (_, _, meaning) in INDICATORS.items():
            for village in ("expand", "slice"):
                column = f"{name}_{village}"
                change = b[column].to_numpy() - a[column].to_numpy()
                spread = float(np.std(np.concatenate([a[column], b[column]]))) or 1.0
                moved = abs(float(np.mean(change))) / spread
                if moved > score:
                    direction = "more" if np.mean(change) > 0 else "less"
                    village_name = "expanding" if village == "expand" else "slicing"
                    mechanism, score = f"{direction} {meaning} when {village_name}", moved
        rows.append({"factor": factor, "from": low, "to": high, "gap_change": step, "mechanism": mechanism,
                     "moved_by_spreads": score})
    return pd.DataFrame(rows)


def to_markdown(summary: pd.DataFrame, tipping: pd.DataFrame, factors: Sequence[Factor] = FACTORS) -> str:
    """The screen as Markdown: a table per factor (gap with CI and its two decompositions) and where it tips."""
    about = {f.key: f.about for f in factors}
    lines = []
    for factor, group in summary.groupby("factor", sort=False):
        lines += [f"#### `{factor}`: {about.get(factor, '')}", "",
                  "| level | gap [95% CI] | collapse avoided | everyday | harvest | labour | investment | quarrels | "
                  "agreements (E / S) | collapse (E / S) |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for row in group.itertuples():
            lines.append(
                f"| {row.level:g} | {row.gap:+.0f} [{row.ci_low:+.0f}, {row.ci_high:+.0f}] | {row.collapse_avoided:+.0f} "
                f"| {row.everyday:+.0f} | {row.by_harvest:+.0f} | {row.by_labour:+.0f} | {row.by_invested:+.0f} | "
                f"{row.by_conflict:+.0f} | {row.agreement_rate_expand:.2f} / {row.agreement_rate_slice:.2f} | "
                f"{row.collapsed_expand:.2f} / {row.collapsed_slice:.2f} |")
        tip = tipping[tipping.factor == factor]
        if len(tip):
            t = tip.iloc[0]
            lines += ["", f"Largest step: {t['from']:g} → {t['to']:g}, gap {t.gap_change:+.0f}; the mechanism that moved "
                          f"most: {t.mechanism} ({t.moved_by_spreads:.1f} spreads)."]
        lines.append("")
    return "\n".join(lines)

"""The guided story: six steps in one world and seed that a facilitator clicks through in ten minutes.

The world is the default scenario (the mixed village, its own seed) with scarce water: the river brings 90% of what
the organisations need (and they get less: dry seasons, droughts, water that runs past without wells). The pattern
catalogue measures on fresh seeds that at this scarcity a village of claimers runs dry and a village of trusting
problem-solvers holds (``preset.story.*`` in ``sim.patterns``), so the preset's own seed tells the typical story, not a
lucky one.

Each step is data: the runs it compares (settings on the story world), the one knob a participant may turn, and a
measure function that turns the runs into the figures its sentence and headline quote. Nothing here draws or
writes text: ``ui.views.story`` does, with ``ui.charts.story_chart``. The figures come from the model's own tables.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.commons import CommonsConfig
from sim.patterns import STORY_WORLD  # the village the pattern catalogue measures as preset.story.*
from sim.scenarios import default_scenario, with_changes
from ui.controls import BY_SETTING
from ui.runs import Run

SLICE = {"strategies.mix": {"distributive": 1.0}}
EXPAND = {"strategies.mix": {"integrative": 1.0}}
LOW_TRUST, HIGH_TRUST = 0.2, 0.9
FUNCTIONS = ("common_agenda", "aligned_activities", "shared_measurement", "public_will", "policy", "funding")
NO_FUNCTIONS = {"backbone.present": True, **{f"backbone.{f}": 0.0 for f in (*FUNCTIONS, "communication")}}
UPSTREAM = {"water.river_order": True, "negotiation.matching": "neighbours"}
CLAIMERS = "claimers"  # the knob of the claimer step: how many claimers sit among the cooperators


@dataclass(frozen=True)
class Knob:
    """The one setting a step invites the room to turn, and which of the step's runs it changes."""

    setting: str  # a model setting, or CLAIMERS
    low: float
    high: float
    step: float
    default: float
    applies_to: tuple[str, ...]

    @property
    def integer(self) -> bool:
        return self.setting == CLAIMERS

    @property
    def percent(self) -> bool:
        """Shown as a percentage where the sidebar shows the same setting so (``ui.controls.Control.percent``)."""
        control = BY_SETTING.get(self.setting)
        return control is not None and control.percent


@dataclass(frozen=True)
class Lesson:
    """What turning a step's knob from its low end to its high end does to one of the step's figures, as the step's
    "try it" line says it: the direction, and the least change (averaged over villages) the line stands for.

    ``size`` comes from measuring on seeds the tests never use (``benchmarks/story_knobs.py``, seeds 40000 on, in
    docs/facilitator.md); the tests check the direction and the size on their own seeds."""

    figure: str
    direction: int  # +1: the figure rises as the knob turns up; -1: it falls
    size: float  # the least change from the knob's low end to its high end
    runs: tuple[str, ...]  # the runs the figure needs (a test runs only these)
    # The line says every turn moves the figure its way ("Turn it up: ..."): averaged over villages, each quarter of
    # the knob's range does. False where only a wide turn does, and the line says that a small turn can go either way.
    steady: bool = True


@dataclass(frozen=True)
class Step:
    key: str
    runs: Mapping[str, Mapping[str, Any]]  # label -> settings on the story world
    knob: Knob
    measure: Callable[[dict[str, Run], dict[str, CommonsConfig]], dict[str, float]] = field(repr=False)
    lesson: Lesson
    links: tuple[str, ...] = ()  # runs whose partnerships the measure reads (recorded only where needed)


# -- measures -------------------------------------------------------------------------------------------------------
def full_harvests(table: pd.DataFrame, config: CommonsConfig) -> float:
    """Harvest after costs per organisation per season, as a share of a full harvest (all the water it needs):
    the unit a participant feels. Negative when quarrels, labour and investment cost more than the harvest."""
    o = config.organisations
    return float(table.total_welfare.sum() / (config.world.organisations * len(table) * o.need * o.water_value))


def outside_share(table: pd.DataFrame, config: CommonsConfig) -> float:
    """Money a backbone brought from outside (matched to what organisations invested), per organisation and season,
    as a share of a full harvest: what :func:`full_harvests` has already taken off as a cost."""
    o = config.organisations
    return float(table.outside_money.sum() / (config.world.organisations * len(table) * o.need * o.water_value))


def collapse_season(table: pd.DataFrame) -> float:
    """The season the commons collapsed in, or NaN if it held."""
    found = np.flatnonzero(table.collapsed.to_numpy() > 0)
    return float(found[0]) if found.size else float("nan")


def _scarce(runs: dict[str, Run], configs: dict[str, CommonsConfig]) -> dict[str, float]:
    table, config = runs["village"].seasons, configs["village"]
    return {"inflow": config.water.inflow, "need_met": float(table.need_met.mean()),
            "collapse": collapse_season(table), "harvest": full_harvests(table, config)}


def _slice(runs: dict[str, Run], configs: dict[str, CommonsConfig]) -> dict[str, float]:
    table, config = runs["slice"].seasons, configs["slice"]
    return {"grab": float(table.grab_rate.mean()), "collapse": collapse_season(table),
            "harvest": full_harvests(table, config), "agreements": float(table.agreement_rate.mean())}


def _expand(runs: dict[str, Run], configs: dict[str, CommonsConfig]) -> dict[str, float]:
    s, e, config = runs["slice"].seasons, runs["expand"].seasons, configs["expand"]
    return {"wells_e": float(e.infrastructure.iloc[-1]), "wells_s": float(s.infrastructure.iloc[-1]),
            "harvest_e": full_harvests(e, config), "harvest_s": full_harvests(s, config),
            "disclosure": float(e.disclosure_rate.mean()), "collapse_e": collapse_season(e),
            "trust_start": configs["expand"].trust.initial, "trust_end": float(e.mean_trust.iloc[-1]),
            "collapse_s": collapse_season(s)}


def claimer_trust(run: Run) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per season: the trust cooperators place in a claimer partner, the trust among cooperators (NaN where no such
    pair met), and whether each claimer found a partner at all."""
    strategy = run.organisations[run.organisations.season == 0].strategy.to_numpy()
    claimer = strategy == "distributive"
    towards, among, partnered = [], [], []
    for pairs, trust_ab, trust_ba in run.links:
        a, b = pairs[:, 0], pairs[:, 1]
        ca, cb = claimer[a], claimer[b]
        seen = np.concatenate([trust_ba[ca & ~cb], trust_ab[cb & ~ca]])
        mutual = np.concatenate([trust_ab[~ca & ~cb], trust_ba[~ca & ~cb]])
        towards.append(seen.mean() if seen.size else np.nan)
        among.append(mutual.mean() if mutual.size else np.nan)
        met = np.zeros(claimer.size, bool)
        met[pairs.ravel()] = True
        partnered.append(met[claimer].mean() if claimer.any() else np.nan)
    return np.array(towards), np.array(among), np.array(partnered)


def harvest_so_far(run: Run, unit: float) -> dict[str, np.ndarray]:
    """Per season, the net harvest of the organisations that slice the pie ("claimers") and of the others, each
    averaged over the seasons so far, in full harvests of ``unit`` (NaN before a group has played).

    It can run above 100% of a full harvest, truly: one that slices and finds no partner grabs half as much water
    again as it needs (``organisations.grab``; water beyond the need still has some value) and pays nothing towards
    canals or wells; a full harvest is an organisation of average need's, and some need more; a partner caught
    breaking its word pays it a fine."""
    orgs = run.organisations
    claimer = orgs.strategy.to_numpy() == "distributive"
    seasons, payoff, n = orgs.season.to_numpy(), orgs.payoff.to_numpy(), len(run.seasons)
    out = {}
    for who, rows in (("others", ~claimer), ("claimers", claimer)):
        total = np.cumsum(np.bincount(seasons[rows], weights=payoff[rows], minlength=n))
        count = np.cumsum(np.bincount(seasons[rows], minlength=n))
        out[who] = np.where(count > 0, total / np.maximum(count, 1), np.nan) / unit
    return out


def _claimer(runs: dict[str, Run], configs: dict[str, CommonsConfig]) -> dict[str, float]:
    run, config = runs["claimer"], configs["claimer"]
    towards, among, partnered = claimer_trust(run)
    orgs = run.organisations
    claimer = orgs.strategy.to_numpy() == "distributive"
    unit = config.organisations.need * config.organisations.water_value
    so_far = harvest_so_far(run, unit)
    first = towards[~np.isnan(towards)]
    seated = claimer.reshape(-1, config.world.organisations)[0]  # the first season's claimers
    return {
        "claimers": float(seated.sum()),
        "cooperators": float((~seated).sum()),
        "trust_start": config.trust.initial,
        "trust_claimer": float(first[0]) if first.size else float("nan"),
        "trust_among": float(np.nanmean(among[len(among) // 2:])) if np.isfinite(among).any() else float("nan"),
        "alone": float(1.0 - np.nanmean(partnered)) if np.isfinite(partnered).any() else float("nan"),
        "harvest_claimer": float(orgs.payoff[claimer].mean() / unit) if claimer.any() else float("nan"),
        "harvest_others": float(orgs.payoff[~claimer].mean() / unit),
        "edge": float((orgs.payoff[claimer].mean() - orgs.payoff[~claimer].mean()) / unit) if claimer.any() else float("nan"),
        "unit": float(unit),  # a full harvest, for the chart's season-by-season harvests
        # the highest the chart's lines go, in full harvests (above 1, the page says why)
        "peak": float(max(np.nanmax(line, initial=-np.inf) for line in so_far.values())),
    }


def _backbone(runs: dict[str, Run], configs: dict[str, CommonsConfig]) -> dict[str, float]:
    config = configs["all"]
    figures = {label: full_harvests(run.seasons, config) for label, run in runs.items()}
    figures["collapse_none"] = collapse_season(runs["none"].seasons)
    figures["collapse_all"] = collapse_season(runs["all"].seasons)
    figures["fee"] = config.backbone.cost / (config.organisations.need * config.organisations.water_value)
    figures["outside"] = outside_share(runs["all"].seasons, config)
    figures["gain"] = figures["all"] - figures["none"]
    return figures


def head_tail(run: Run, quarters: int = 4) -> np.ndarray:
    """Harvest after costs per unit of need, by quarter of the river from head to tail, over the seasons before
    any collapse (after it, everyone is short and position no longer tells)."""
    orgs = run.organisations
    end = collapse_season(run.seasons)
    if not np.isnan(end):
        orgs = orgs[orgs.season < end] if end > 0 else orgs
    quarter = np.minimum(np.floor(orgs.position.to_numpy() * quarters), quarters - 1).astype(int)
    payoff = np.bincount(quarter, weights=orgs.payoff.to_numpy(), minlength=quarters)
    need = np.bincount(quarter, weights=orgs.need.to_numpy(), minlength=quarters)
    return payoff / need


def _upstream(runs: dict[str, Run], configs: dict[str, CommonsConfig]) -> dict[str, float]:  # noqa: ARG001
    s, e = head_tail(runs["slice"]), head_tail(runs["expand"])

    def ratio(q: np.ndarray) -> float:
        return float(q[0] / q[-1]) if q[-1] > 0 else float("nan")

    return {"ratio_s": ratio(s), "ratio_e": ratio(e), "head_s": float(s[0]), "tail_s": float(s[-1]),
            "head_e": float(e[0]), "tail_e": float(e[-1]), "collapse_s": collapse_season(runs["slice"].seasons),
            "collapse_e": collapse_season(runs["expand"].seasons)}


# -- the steps ------------------------------------------------------------------------------------------------------
# Each lesson's size is the least change the "try it" line stands for, from the knob's low end to its high end,
# averaged over villages. Measured on seeds 40000-40019 (`python -m benchmarks.story_knobs`; the table in
# docs/facilitator.md): water 30% -> 200%: water needs met 14% -> 99%; trust 0 -> 1 among slicers: 19% -> 5% take water
# by force; trust 0 -> 1 among problem-solvers: they say what matters in 58% -> 99% of meetings (wells 26 -> 37,
# harvest 45% -> 50%: expanding beats slicing even at trust 0); claimers 1 -> 10: a claimer sits alone in 67% -> 19% of
# meetings; the backbone's fee 0 -> 0.3: its gain over no backbone +5 -> -26 points; trust 0 -> 1 on the ordered river:
# the head's harvest for each of the tail's 0.93 -> 0.89 (it barely moves, and the step says so). Checked again on
# 40020-40039 (tests/ui/test_story.py): every line held but step 2's, whose 0.08 met -0.076 there. Trust's effect on
# grabbing differs from village to village (a third set, 40040-40059: -0.159; in 13 of its 20 villages a drop of 0.08
# or more, in the others little): step 2 now claims 0.05 and its line says that it varies.
# Between the ends, at every 5-point step of the knob (`knob_curve`, seeds 50000-50019): step 2's grabbing, averaged
# over the villages, goes up at 8 of the 20 steps (50020-50039: 9), by up to 5 points (trust 0, .2, .4, .6, .8, 1:
# 24%, 26%, 18%, 19%, 15%, 9%); only a wide turn lowers it, so its line claims no more (steady=False). Step 3's
# average rises at every step (51% -> 99%), step 4's falls at all but one (5 -> 6: +3 points); on one village any of
# them can step back (the story's own: step 4 from 1 to 2 claimers, alone 65% -> 78%).
STEPS: tuple[Step, ...] = (
    Step("scarce", {"village": {}}, Knob("water.inflow", 0.3, 2.0, 0.05, 0.9, ("village",)), _scarce,
         Lesson("need_met", +1, 0.5, ("village",))),
    Step("slice", {"slice": {**SLICE, "trust.initial": LOW_TRUST}},
         Knob("trust.initial", 0.0, 1.0, 0.05, LOW_TRUST, ("slice",)), _slice,
         Lesson("grab", -1, 0.05, ("slice",), steady=False)),
    Step("expand", {"slice": {**SLICE, "trust.initial": LOW_TRUST}, "expand": {**EXPAND, "trust.initial": HIGH_TRUST}},
         Knob("trust.initial", 0.0, 1.0, 0.05, HIGH_TRUST, ("expand",)), _expand,
         Lesson("disclosure", +1, 0.25, ("slice", "expand"))),
    Step("claimer", {"claimer": {"trust.initial": HIGH_TRUST}},
         Knob(CLAIMERS, 1, 10, 1, 1, ("claimer",)), _claimer, Lesson("alone", -1, 0.25, ("claimer",)),
         links=("claimer",)),
    Step("backbone",
         {"none": {**SLICE, "trust.initial": LOW_TRUST},
          **{f: {**SLICE, "trust.initial": LOW_TRUST, **NO_FUNCTIONS, f"backbone.{f}": 1.0} for f in FUNCTIONS},
          "all": {**SLICE, "trust.initial": LOW_TRUST, **NO_FUNCTIONS, **{f"backbone.{f}": 1.0 for f in FUNCTIONS}}},
         Knob("backbone.cost", 0.0, 0.3, 0.01, 0.05, (*FUNCTIONS, "all")), _backbone,
         Lesson("gain", -1, 0.25, ("none", "all"))),
    Step("upstream", {"slice": {**SLICE, **UPSTREAM}, "expand": {**EXPAND, **UPSTREAM}},
         Knob("trust.initial", 0.0, 1.0, 0.05, 0.3, ("slice", "expand")), _upstream,
         Lesson("ratio_s", 0, 0.15, ("slice", "expand"))),
)
BY_KEY = {step.key: step for step in STEPS}


@functools.cache
def world() -> CommonsConfig:
    """The story's world: the default scenario with scarce water (read once: every rerun of a step starts here;
    callers never change it, ``with_changes`` makes new settings)."""
    return with_changes(default_scenario().config, STORY_WORLD)


def _knob_changes(knob: Knob, value: float, organisations: int) -> dict[str, Any]:
    if knob.setting == CLAIMERS:
        claimers = int(min(max(round(value), 0), organisations))
        mix = {"integrative": (organisations - claimers) / organisations}
        if claimers:
            mix["distributive"] = claimers / organisations
        return {"strategies.mix": mix}
    return {knob.setting: value}


def configs(step: Step, knob_value: float | None = None) -> dict[str, CommonsConfig]:
    """The settings of each of the step's runs, with the knob at ``knob_value`` (its default when None)."""
    base = world()
    value = step.knob.default if knob_value is None else knob_value
    out = {}
    for label, changes in step.runs.items():
        applied = dict(changes)
        if label in step.knob.applies_to:
            applied.update(_knob_changes(step.knob, value, base.world.organisations))
        out[label] = with_changes(base, applied, f"story step {step.key}")
    return out


def lesson_figures(step: Step, value: float, seed: int) -> dict[str, float]:
    """The step's figures with its knob at ``value`` in the story's village on another seed, from only the runs its
    lesson needs (not cached: for measuring the lesson across villages, in the tests and benchmarks/story_knobs.py)."""
    from ui.runs import simulate

    chosen = {label: with_changes(config, {"world.seed": seed})
              for label, config in configs(step, value).items() if label in step.lesson.runs}
    runs = {label: simulate.__wrapped__(config.model_dump_json(), negotiations=label in step.links)
            for label, config in chosen.items()}
    return step.measure(runs, chosen)


def knob_points(knob: Knob, parts: int) -> list[float]:
    """The knob's low end, its high end and the ``parts - 1`` points evenly between them (whole numbers for a count)."""
    points = [knob.low + (knob.high - knob.low) * i / parts for i in range(parts + 1)]
    return [float(round(p)) for p in points] if knob.integer else points


def knob_curve(step: Step, seeds: Sequence[int], values: Sequence[float]) -> list[float]:
    """The lesson's figure with the knob at each of ``values``, each averaged over ``seeds`` (a village each)."""
    figure = step.lesson.figure
    return [float(np.nanmean([lesson_figures(step, value, seed)[figure] for seed in seeds])) for value in values]


def knob_ends(step: Step, seeds: Sequence[int]) -> tuple[float, float]:
    """The lesson's figure with the knob at its low end and at its high end, each averaged over ``seeds``."""
    low, high = knob_curve(step, seeds, (step.knob.low, step.knob.high))
    return low, high

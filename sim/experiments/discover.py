"""Scenario discovery: where in the swept settings does a condition hold (expanding does not pay, the river
collapses)? PRIM (the Patient Rule Induction Method, Friedman and Fisher 1999) finds boxes, ranges of a few settings,
inside which the condition holds in most runs, as Bryant and Lempert (2010) use it for scenario discovery.

The implementation is the EMA Workbench's (``ema_workbench.analysis.prim``): kept up by the group that made scenario
discovery common practice (Kwakkel, TU Delft), aware of whole-number and categorical inputs, with the quasi-p
values that say whether a restriction is more than chance. The `prim` package on PyPI (Project Platypus) is an older
port of the same algorithm whose last release predates its own maintenance; the Workbench is also what researchers
use beside this project (see sim.experiments.ema), so their boxes and ours come from the same code.

A box is reported with its **coverage** (the share of all runs where the condition holds that fall inside the box)
and its **density** (the share of runs inside the box where it holds), and in plain words: "when water.inflow <= 0.87
and world.seasons <= 12, ...". PRIM peels a box down step by step; the box reported is the one on that trajectory
with the highest coverage among those whose density reaches the threshold (or, if none does, the densest), and up to
``boxes`` boxes are found one after another, each on the runs the earlier ones left out. A restriction whose
quasi-p value (Bryant and Lempert 2010) is above ``max_qp`` (0.05) is dropped, as a researcher would after inspecting
the box: what remains are the settings that tell, which is what the sentence names.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.experiments.expressions import Expression
from sim.experiments.spec import Sweep

ID_COLUMNS = ("run", "point", "replication", "seed", "policy", "status", "error", "season")


@dataclass(frozen=True)
class Restriction:
    """One setting a box restricts: a range of a number, or some of a setting's values."""

    parameter: str
    low: float | None = None
    high: float | None = None
    values: tuple = ()
    qp: float = float("nan")  # quasi-p value of the restriction (Bryant and Lempert 2010): small is telling

    def words(self, full: tuple[float, float] | None = None) -> str:
        if self.values:
            shown = [("true" if v else "false") if isinstance(v, (bool, np.bool_)) else str(v) for v in self.values]
            return f"{self.parameter} is {' or '.join(shown)}"
        full_low, full_high = full or (None, None)
        low = self.low if full_low is None or self.low > full_low else None
        high = self.high if full_high is None or self.high < full_high else None
        if low is not None and high is not None:
            return f"{_num(low)} <= {self.parameter} <= {_num(high)}"
        if low is not None:
            return f"{self.parameter} >= {_num(low)}"
        return f"{self.parameter} <= {_num(high)}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.3g}"


@dataclass
class Box:
    number: int
    restrictions: list[Restriction]
    coverage: float
    density: float
    mass: float
    runs: int  # runs inside the box
    cases: int  # runs inside the box where the condition holds
    meets_threshold: bool  # PRIM's box reached the threshold (before restrictions with a high quasi-p were dropped)
    step: int  # which box of PRIM's peeling trajectory

    def words(self, condition: str, ranges: dict[str, tuple[float, float]], unit: str = "runs") -> str:
        clauses = " and ".join(r.words(ranges.get(r.parameter)) for r in self.restrictions) or "anywhere"
        return (f"Box {self.number}: when {clauses}, {condition} holds in {self.density:.0%} of {unit} "
                f"({self.cases} of {self.runs}; density {self.density:.2f}), and the box holds {self.coverage:.0%} "
                f"of all {unit} where it holds (coverage {self.coverage:.2f}).")


@dataclass
class Discovery:
    condition: str
    inputs: list[str]
    runs: int
    cases: int
    threshold: float
    boxes: list[Box] = field(default_factory=list)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unit: str = "runs"  # "worlds" when each world was run under several policies

    def sentences(self) -> list[str]:
        head = (f"{self.condition} holds in {self.cases} of {self.runs} {self.unit} "
                f"({self.cases / max(self.runs, 1):.0%}); PRIM over {', '.join(self.inputs)}:")
        return [head, *(b.words(self.condition, self.ranges, self.unit) for b in self.boxes), *self.notes]

    def table(self) -> pd.DataFrame:
        """One row per restriction of each box (the data behind the sentences)."""
        rows = []
        for box in self.boxes:
            for r in box.restrictions or [Restriction("(none)")]:
                rows.append({"box": box.number, "coverage": box.coverage, "density": box.density, "mass": box.mass,
                             "runs": box.runs, "cases": box.cases, "meets_threshold": box.meets_threshold,
                             "parameter": r.parameter, "low": r.low, "high": r.high,
                             "values": "|".join(map(str, r.values)), "qp": r.qp})
        return pd.DataFrame(rows)

    def record(self) -> dict:
        return {"condition": self.condition, "inputs": self.inputs, "runs": self.runs, "cases": self.cases,
                "threshold": self.threshold, "sentences": self.sentences(),
                "boxes": [{"box": b.number, "coverage": b.coverage, "density": b.density, "mass": b.mass,
                           "runs": b.runs, "cases": b.cases, "meets_threshold": b.meets_threshold,
                           "restrictions": [{"parameter": r.parameter, "low": r.low, "high": r.high,
                                             "values": [v.item() if hasattr(v, "item") else v for v in r.values],
                                             "qp": None if math.isnan(r.qp) else r.qp}
                                            for r in b.restrictions]} for b in self.boxes]}


def run_table(sweep: Sweep, end: pd.DataFrame) -> pd.DataFrame:
    """One row per run (one world): its settings, and its measures; with policies, each measure once per policy as
    ``POLICY.measure`` (``expand.total_welfare_sum``), so a condition can compare policies world by world."""
    if "policy" not in end.columns:
        return end.reset_index(drop=True)
    settings = end.drop_duplicates("run").set_index("run")[[c for c in ("point", "replication", "seed", *sweep.names)
                                                            if c in end.columns]]
    measures = [c for c in end.columns if c not in ID_COLUMNS and c not in sweep.names]
    wide = end.pivot(index="run", columns="policy", values=measures)
    wide.columns = [f"{policy}.{measure}" for measure, policy in wide.columns]
    order = [f"{p}.{m}" for m in measures for p in sweep.policy_names if f"{p}.{m}" in wide.columns]
    return settings.join(wide[order], how="inner").reset_index()


def discover(sweep: Sweep, end: pd.DataFrame, where: str, *, threshold: float = 0.8, boxes: int = 3,
             peel_alpha: float = 0.05, paste_alpha: float = 0.05, mass_min: float = 0.05, max_qp: float = 0.05,
             inputs: list[str] | None = None) -> Discovery:
    """The boxes of swept settings where ``where`` holds (see the module's note)."""
    if not 0 < threshold <= 1:
        raise InputError("--threshold", f"{threshold} is not a density", "above 0, at most 1")
    if not 0 < peel_alpha < 0.5:
        raise InputError("--peel-alpha", f"{peel_alpha}", "above 0 and below 0.5")
    if not 0 < mass_min < 1:
        raise InputError("--mass-min", f"{mass_min}", "above 0 and below 1")
    if boxes < 1:
        raise InputError("--boxes", f"{boxes}", "1 or more")
    if not 0 < max_qp <= 1:
        raise InputError("--max-qp", f"{max_qp}", "above 0, at most 1 (1 keeps every restriction)")
    table = run_table(sweep, end)
    condition = Expression(where, "--where")
    condition.check_names(table.columns, "a setting or measure of this sweep" + (
        " (with policies, a measure is POLICY.measure)" if sweep.policies else ""))
    varied = [n for n in sweep.names if table[n].nunique() > 1]
    chosen = inputs or varied
    unknown = [n for n in chosen if n not in varied]
    if unknown:
        raise InputError("--inputs", f"{', '.join(unknown)} is not a setting this sweep varies", ", ".join(varied))
    if not chosen:
        raise InputError(str(where), "this sweep varies no setting, so there is nothing to discover",
                         "a sweep with parameters that vary")
    y = np.asarray(condition.evaluate(table))
    if y.dtype != bool:
        raise InputError("--where", f"{where!r} is a number, not a condition", "a comparison, e.g. collapsed_max > 0")
    known = ~pd.isna(table[condition.names]).any(axis=1).to_numpy()  # a run whose measure is empty cannot count
    x = table.loc[known, chosen].reset_index(drop=True)
    y = y[known]
    whole = set()
    for name in chosen:  # the Workbench treats non-numbers as categories; a yes/no setting is one
        if x[name].dtype == bool:
            x[name] = x[name].map({True: "true", False: "false"})
        elif pd.api.types.is_integer_dtype(x[name]):  # pasting writes midpoints, which pandas 3 refuses in an int column
            x[name] = x[name].astype(float)
            whole.add(name)
    result = Discovery(where, chosen, int(known.sum()), int(y.sum()), threshold,
                       ranges={n: (float(x[n].min()), float(x[n].max())) for n in chosen
                               if pd.api.types.is_numeric_dtype(x[n])},
                       unit="worlds" if sweep.policies else "runs")
    if known.sum() < len(table):
        result.notes.append(f"{len(table) - int(known.sum())} {result.unit} left out: a measure of the condition is "
                            "empty there")
    if y.sum() == 0 or y.all():
        result.notes.append(f"{where} holds in {'no' if y.sum() == 0 else 'every'} run: there is no box to find")
        return result
    from sim.experiments.ema import workbench

    prim = workbench("ema_workbench.analysis.prim", "discover")
    with warnings.catch_warnings():  # the Workbench's own deprecation warnings from pandas are not the reader's
        warnings.simplefilter("ignore")
        finder = prim.Prim(x, y.astype(int), peel_alpha=peel_alpha, paste_alpha=paste_alpha, mass_min=mass_min)
        for number in range(1, boxes + 1):
            box = finder.find_box()
            if box is None:
                break
            found = _choose(box, threshold, number, whole, max_qp)
            if found is None or found.cases == 0:
                break
            result.boxes.append(found)
            if not found.meets_threshold:
                result.notes.append(f"box {number} is the densest PRIM found and does not reach density "
                                    f"{threshold:g}: no further box is sought (lower --threshold, or sweep more "
                                    "points)")
                break
    return result


def _choose(box, threshold: float, number: int, whole: set[str], max_qp: float) -> Box | None:
    """The box of PRIM's peeling trajectory with the highest coverage whose density reaches ``threshold``, without
    the restrictions that are not telling (quasi-p above ``max_qp``, dropped worst first, one always kept)."""
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    good = trajectory[trajectory["density"] >= threshold]
    step = int(good["coverage"].idxmax()) if not good.empty else int(trajectory["density"].idxmax())
    reached = bool(trajectory.loc[step, "density"] >= threshold)  # PRIM's own box, before restrictions are dropped
    box.select(step)
    while True:
        restrictions = _restrictions(box, step, whole)
        loose = [r for r in restrictions if not math.isnan(r.qp) and r.qp > max_qp]
        if not loose or len(restrictions) <= 1:
            break
        box.drop_restriction(max(loose, key=lambda r: r.qp).parameter)
        step = len(box.peeling_trajectory) - 1
    row = box.peeling_trajectory.reset_index(drop=True).iloc[step]
    return Box(number, restrictions, float(row["coverage"]), float(row["density"]), float(row["mass"]),
               int(row["n"]), int(row["k"]), reached, step)


def _restrictions(box, step: int, whole: set[str]) -> list[Restriction]:
    """The settings box ``step`` of the trajectory restricts, most telling (lowest quasi-p) first."""
    # The box's limits and quasi-p values as PrimBox keeps them (its inspect(style="data") cannot show a category
    # under pandas 3: it writes the set of values into a column of floats).
    limits, initial, p_values = box.box_lims[step], box.prim.box_init, box.p_values[step]
    restrictions = []
    for parameter in limits.columns:
        low, high = limits[parameter].iloc[0], limits[parameter].iloc[1]
        if list(initial[parameter]) == [low, high]:
            continue  # not restricted
        qps = [q for q in p_values.get(parameter, ()) if isinstance(q, (int, float)) and not pd.isna(q) and q >= 0]
        qp = float(min(qps)) if qps else float("nan")
        if isinstance(low, (set, frozenset)):
            values = sorted(low, key=str)
            typed = tuple(v == "true" if v in ("true", "false") else v for v in values)
            restrictions.append(Restriction(parameter, values=typed, qp=qp))
        elif parameter in whole:  # a whole number: the whole numbers inside the limits
            restrictions.append(Restriction(parameter, float(math.ceil(low)), float(math.floor(high)), qp=qp))
        else:
            restrictions.append(Restriction(parameter, float(low), float(high), qp=qp))
    restrictions.sort(key=lambda r: (math.isnan(r.qp), r.qp))
    return restrictions

"""The measures: one vocabulary for the run summary, sweeps, ``analyze`` and the app.

A **season measure** is what the model records each season (``total_welfare``: welfare in that season). A **run
measure** summarises one season measure over a whole run, and its name says how: ``total_welfare_sum`` (summed over
the run), ``stock_share_end`` (at the end), ``agreement_rate_mean`` (mean over the seasons), ``collapsed_max`` (1 if
it happened in any season). One name never means two things: a sweep that keeps one row per run stores run
measures, a sweep that keeps every season stores season measures, and ``analyze`` computes the run measures from
the seasons with the same function (:func:`run_measures`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sim.negotiation.strategies import REGISTRY

Per = Literal["season", "run"]
How = Literal["sum", "mean", "end", "max"]

HOW: dict[str, tuple[str, str]] = {
    "sum": ("summed over the run", "dijumlah selama simulasi"),
    "mean": ("mean over the seasons", "rata-rata per musim"),
    "end": ("at the end of the run", "di akhir simulasi"),
    "max": ("1 if it happened in any season", "1 bila terjadi di musim mana pun"),
}


@dataclass(frozen=True)
class Measure:
    """A named measure: what it means (English, Indonesian), its unit, and whether it is per season or over a run.
    A run measure names the season measure it summarises (``of``) and how (``how``)."""

    name: str
    meaning: tuple[str, str]
    unit: str
    per: Per
    of: str | None = None
    how: How | None = None

    def describe(self, language: str = "en") -> str:
        return self.meaning[1 if language == "id" else 0]

    def label(self, language: str = "en") -> str:
        """The name with its meaning and unit, for a chart axis or a table."""
        unit = f", {self.unit}" if self.unit else ""
        return f"{self.name} ({self.describe(language)}{unit})"


# name: (English, Indonesian, unit, how it is summarised over a run; several where each says something)
_SEASON: dict[str, tuple[str, str, str, tuple[How, ...]]] = {
    "wet": ("1 in a wet season, 0 in a dry one", "1 di musim hujan, 0 di musim kemarau", "", ()),
    "drought": ("1 if the season had a drought", "1 bila musim itu kering", "", ("mean",)),
    "inflow": ("water flowing in", "air yang mengalir masuk", "water units", ("sum",)),
    "stock_before": ("stock before the season's use", "cadangan sebelum dipakai musim itu", "water units", ()),
    "captured": ("inflow captured", "aliran masuk yang tertampung", "water units", ("sum",)),
    "demanded": ("water asked for", "air yang diminta", "water units", ("sum",)),
    "extracted": ("water taken", "air yang diambil", "water units", ("sum",)),
    "spilled": ("water spilled over capacity", "air yang meluap melebihi daya tampung", "water units", ("sum",)),
    "water_stock": ("water in storage", "air dalam tampungan", "water units", ("end",)),
    "stock_share": ("water in storage as a share of capacity", "sisa air di sungai, bagian dari sungai penuh", "share",
                    ("end", "mean")),
    "capacity": ("storage capacity", "daya tampung", "water units", ("end",)),
    "infrastructure": ("wells, canals and storage built", "sumur, saluran dan tampungan yang dibangun",
                       "investment units", ("end",)),
    "total_welfare": ("welfare of all organisations, net of outside money",
                      "kesejahteraan semua organisasi, dikurangi dana dari luar", "payoff units", ("sum",)),
    "harvest": ("value of water used", "nilai air yang dipakai", "payoff units", ("sum",)),
    "labour": ("labour on canals", "tenaga untuk saluran", "payoff units", ("sum",)),
    "invested": ("money invested in infrastructure", "uang yang diinvestasikan untuk infrastruktur", "payoff units",
                 ("sum",)),
    "conflict": ("cost of impasses", "biaya kebuntuan", "payoff units", ("sum",)),
    "fees": ("fees paid to a backbone or broker", "iuran untuk organisasi penggerak atau perantara", "payoff units", ("sum",)),
    "outside_money": ("money a backbone brought from outside, matched to investment",
                      "dana dari luar yang digalang organisasi penggerak, sepadan dengan investasi", "payoff units",
                      ("sum",)),
    "mean_payoff": ("payoff per organisation", "hasil per organisasi", "payoff units", ("mean",)),
    "gini": ("inequality of payoffs (Gini)", "ketimpangan hasil (Gini)", "0 to 1", ("mean",)),
    "need_met": ("share of need met", "bagian kebutuhan yang terpenuhi", "share", ("mean",)),
    "grab_rate": ("share of organisations grabbing water", "bagian organisasi yang menyerobot air", "share",
                  ("mean",)),
    "breaches": ("agreements broken", "kesepakatan yang dilanggar", "count", ("sum",)),
    "detected_breaches": ("broken agreements detected", "pelanggaran yang ketahuan", "count", ("sum",)),
    "undetected_breaches": ("broken agreements not detected", "pelanggaran yang tidak ketahuan", "count", ("sum",)),
    "mean_trust": ("trust between partners", "kepercayaan antarmitra", "0 to 1", ("end", "mean")),
    "mean_reputation": ("reputation", "reputasi", "0 to 1", ("end",)),
    "head_tail_ratio": ("harvest per unit of need, head of the river over tail",
                        "panen per satuan kebutuhan, hulu dibanding hilir", "ratio", ("mean",)),
    "depleted": ("1 if the river is depleted", "1 bila sungai habis", "", ("mean",)),
    "collapsed": ("1 if the commons failed its users", "1 bila sumber bersama gagal melayani penggunanya", "",
                  ("max", "mean")),
    "pairs": ("pairs at the last meeting", "pasangan pada pertemuan terakhir", "count", ("mean",)),
    "unpaired": ("share of organisations without a partner", "bagian organisasi tanpa mitra", "share", ("mean",)),
    "agreement_rate": ("share of pairs that agreed", "bagian pasangan yang sepakat", "share", ("mean",)),
    "facilitated_rate": ("share of meetings facilitated", "bagian pertemuan yang dipandu", "share", ("mean",)),
    "kept_rate": ("share of pairs that stayed together", "bagian pasangan yang tetap bersama", "share", ("mean",)),
    "pareto_rate": ("share of agreements on the Pareto frontier", "bagian kesepakatan di batas Pareto", "share",
                    ("mean",)),
    "value_created": ("value created per agreement", "nilai yang tercipta per kesepakatan", "utility", ("mean",)),
    "lose_lose_rate": ("share of agreements lose-lose on the well", "bagian kesepakatan kalah-kalah soal sumur",
                       "share", ("mean",)),
    "claim_rate": ("share of negotiations where openness was exploited",
                   "bagian perundingan di mana keterbukaan dimanfaatkan", "share", ("mean",)),
    "disclosure_rate": ("share of negotiations with priorities disclosed",
                        "bagian perundingan dengan prioritas diungkapkan", "share", ("mean",)),
    "integrative_rate": ("share of negotiations bargained integratively",
                         "bagian perundingan yang integratif", "share", ("mean",)),
    "mean_rounds": ("rounds per negotiation", "putaran per perundingan", "rounds", ("mean",)),
    "pair_diversity": ("how different partners' interests are", "seberapa berbeda kepentingan mitra", "0 to 1",
                       ("mean",)),
}
for _strategy in REGISTRY:
    _SEASON[f"share_{_strategy}"] = (f"share of organisations playing {_strategy}",
                                     f"bagian organisasi yang bermain {_strategy}", "share", ("end", "mean"))
    _SEASON[f"welfare_{_strategy}"] = (f"payoff per organisation playing {_strategy}",
                                       f"hasil per organisasi yang bermain {_strategy}", "payoff units", ("mean",))


def _build() -> tuple[dict[str, Measure], dict[str, Measure]]:
    season: dict[str, Measure] = {}
    run: dict[str, Measure] = {}
    for name, (en, id_, unit, hows) in _SEASON.items():
        season[name] = Measure(name, (en, id_), unit, "season")
        for how in hows:
            text = HOW[how]
            meaning = (f"{en}, {text[0]}", f"{id_}, {text[1]}")
            if en.startswith("1 if ") and how in ("max", "mean"):  # an indicator: say what its summary counts
                meaning = ({"max": f"{en} in any season", "mean": f"share of seasons: {en.removeprefix('1 if ')}"}[how],
                           {"max": f"{id_} di musim mana pun", "mean": f"bagian musim: {id_.removeprefix('1 bila ')}"}[how])
            run[f"{name}_{how}"] = Measure(f"{name}_{how}", meaning, unit or ("0 or 1" if how == "max" else "share"),
                                           "run", name, how)
    run["collapse_season"] = Measure(
        "collapse_season", ("first season the commons failed its users (empty if never)",
                            "musim pertama sumber bersama gagal melayani penggunanya (kosong bila tidak pernah)"),
        "season", "run", "collapsed", None,
    )
    return season, run


SEASON_MEASURES, RUN_MEASURES = _build()
"""Every season measure and every run measure, by name."""

MEASURES: dict[str, Measure] = {**SEASON_MEASURES, **RUN_MEASURES}


def measure(name: str) -> Measure:
    """The measure ``name``; a KeyError names the valid ones."""
    try:
        return MEASURES[name]
    except KeyError:
        from sim.suggest import did_you_mean

        raise KeyError(f"{name!r} is not a measure{did_you_mean(name, MEASURES)}; known: {', '.join(MEASURES)}") from None


def run_names_for(names: list[str] | tuple[str, ...]) -> list[str]:
    """The run measures a list of names asks for: a run measure itself, or every run measure of a season measure."""
    out: list[str] = []
    for name in names:
        if name in RUN_MEASURES:
            chosen = [name]
        else:
            chosen = [r.name for r in RUN_MEASURES.values() if r.of == name]
        out += [c for c in chosen if c not in out]
    return out


def season_names_for(names: list[str] | tuple[str, ...]) -> list[str]:
    """The season measures a list of names needs: a season measure itself, or the one a run measure summarises."""
    out: list[str] = []
    for name in names:
        season = name if name in SEASON_MEASURES else RUN_MEASURES[name].of
        if season not in out:
            out.append(season)
    return out


def _summarise(values: np.ndarray, season: np.ndarray, wanted: list[Measure], columns: list[str]) -> list[float]:
    """Run measures of one run from its season measures (``values``: seasons x ``columns``, in season order): a few
    array operations for all measures at once. NaN is skipped, except at the end: a measure never recorded is NaN."""
    missing = np.isnan(values)
    count = (~missing).sum(axis=0)
    filled = np.where(missing, 0.0, values)
    total = filled.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    peak = np.where(count > 0, np.where(missing, -np.inf, values).max(axis=0, initial=-np.inf), np.nan)
    last = values[-1] if len(values) else np.full(len(columns), np.nan)
    total = np.where(count > 0, total, np.nan)
    out = []
    for m in wanted:
        j = columns.index(m.of)
        if m.how == "sum":
            out.append(float(total[j]))
        elif m.how == "mean":
            out.append(float(mean[j]))
        elif m.how == "end":
            out.append(float(last[j]))
        elif m.how == "max":
            out.append(float(peak[j]))
        else:  # collapse_season: the first season the commons had failed
            hit = np.flatnonzero(values[:, j] > 0)
            out.append(float(season[hit[0]]) if hit.size else float("nan"))
    return out


def run_measures(seasons: pd.DataFrame, names: list[str] | None = None, by: str | None = None) -> pd.DataFrame:
    """Run measures from a per-season table: one row, or with ``by`` (e.g. "run") one row per group. Only run
    measures whose season measure is in the table are computed; ``names`` limits them further."""
    wanted = [m for m in RUN_MEASURES.values() if m.of in seasons.columns and (names is None or m.name in names)]
    needed = list(dict.fromkeys(m.of for m in wanted))
    names_out = [m.name for m in wanted]
    keys = [by] if by else []
    ordered = seasons
    if "season" in seasons and not (by is None and seasons["season"].is_monotonic_increasing):
        ordered = seasons.sort_values([*keys, "season"], kind="stable")
    values = ordered[needed].to_numpy(dtype=float)
    season = ordered["season"].to_numpy(dtype=float) if "season" in ordered else np.arange(len(ordered), dtype=float)
    if by is None:
        return pd.DataFrame(np.array([_summarise(values, season, wanted, needed)]).reshape(1, len(names_out)),
                            columns=names_out)  # one float block: quick to build, and a sweep builds one per run
    runs = ordered[by].to_numpy()
    starts = np.flatnonzero(np.r_[True, runs[1:] != runs[:-1]]) if runs.size else np.array([], dtype=int)
    bounds = np.r_[starts, runs.size]
    rows = np.array([_summarise(values[a:b], season[a:b], wanted, needed)
                     for a, b in zip(bounds[:-1], bounds[1:], strict=True)]).reshape(len(starts), len(names_out))
    frame = pd.DataFrame(rows, columns=names_out)
    frame.insert(0, by, runs[starts])
    return frame


def summary(seasons: pd.DataFrame) -> dict[str, float]:
    """Every run measure of one run's season table."""
    row = run_measures(seasons).iloc[0]
    return {name: float(row[name]) for name in row.index}


def describe_table(names: list[str], language: str = "en") -> pd.DataFrame:
    """Name, per, unit and meaning of ``names``: the legend a results table needs."""
    rows = [{"measure": n, "per": MEASURES[n].per, "unit": MEASURES[n].unit, "meaning": MEASURES[n].describe(language)}
            for n in names if n in MEASURES]
    return pd.DataFrame(rows)

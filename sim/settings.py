"""Every setting a scenario, a sweep or ``--set`` can change: its key, default, range, unit and meaning (English and
Bahasa Indonesia), read from the validated configuration (:mod:`sim.commons.config`), so the list cannot drift from
what the model accepts. Only the units and the Indonesian meanings are kept here, in one table; a test requires an
entry for every setting and no entry for a setting that does not exist.

Keys are ``section.key`` (``trust.initial``) or ``mix.<strategy>`` (a strategy's weight in the starting mix): the
same keys in scenario files (as sections), sweep files and ``rembug run --set``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import annotated_types

from sim.commons.config import REMOVED, CommonsConfig
from sim.negotiation.strategies import REGISTRY
from sim.scenarios import ScenarioError, with_changes

UNITS: dict[str, tuple[str, str]] = {
    "share": ("share, 0 to 1", "proporsi, 0 sampai 1"),
    "probability": ("probability", "peluang"),
    "level": ("level, 0 to 1", "tingkat, 0 sampai 1"),
    "organisations": ("organisations", "organisasi"),
    "seasons": ("seasons", "musim"),
    "communities": ("communities", "komunitas"),
    "offers": ("offers per side", "tawaran per pihak"),
    "partners": ("partners", "mitra"),
    "seed": ("whole number", "bilangan bulat"),
    "water": ("water units", "satuan air"),
    "water per season": ("water units per season", "satuan air per musim"),
    "of need": ("multiple of need", "kelipatan kebutuhan"),
    "of total need": ("share of total need per season", "proporsi total kebutuhan per musim"),
    "investment": ("investment units", "satuan investasi"),
    "per investment": ("infrastructure per investment unit", "infrastruktur per satuan investasi"),
    "per unit built": ("share per unit built", "proporsi per satuan yang dibangun"),
    "payoff": ("payoff units", "satuan hasil"),
    "payoff per season": ("payoff units per season", "satuan hasil per musim"),
    "payoff per water": ("payoff units per water unit", "satuan hasil per satuan air"),
    "utility": ("utility, 0 to 1", "utilitas, 0 sampai 1"),
    "tempo": ("exponent", "eksponen"),
    "weight": ("relative weight", "bobot relatif"),
    "weights": ("four weights summing to 1", "empat bobot berjumlah 1"),
    "yes/no": ("true or false", "true atau false"),
    "choice": ("one of the listed words", "salah satu kata yang disebut"),
    "funding": ("outside money per unit invested together", "dana luar per satuan investasi bersama"),
}
"""Units, in English and Indonesian."""

DETAILS: dict[str, tuple[str, str]] = {
    "world.organisations": ("organisations", "organisasi yang berbagi sungai"),
    "world.seasons": ("seasons", "jumlah musim yang disimulasikan (setahun = musim hujan dan musim kemarau)"),
    "world.seed": ("seed", "benih acak: skenario dan benih yang sama memberi hasil yang sama"),
    "world.communities": ("communities", "komunitas terpisah yang hanya bertemu lewat perantara"),
    "water.capacity": ("water", "daya tampung sungai, waduk dan air tanah"),
    "water.initial_stock": ("share", "cadangan air di awal, sebagai proporsi daya tampung"),
    "water.inflow": ("of total need", "rata-rata aliran masuk per musim, per satuan total kebutuhan"),
    "water.seasonality": ("share", "musim hujan membawa 1 + nilai ini, musim kemarau 1 - nilai ini"),
    "water.drought_probability": ("probability", "peluang satu musim dilanda kekeringan"),
    "water.drought_severity": ("share", "bagian aliran masuk yang hilang karena kekeringan"),
    "water.base_capture": ("share", "bagian aliran masuk yang tertampung tanpa infrastruktur"),
    "water.collapse_level": ("share", "proporsi cadangan di bawahnya sungai dianggap habis (satu syarat runtuh)"),
    "water.collapse_need": ("share", "bila kebutuhan terpenuhi kurang dari ini dan sungai habis, sungai runtuh: "
                                     "gagal melayani penggunanya"),
    "water.recovery": ("share", "bagian selisih antara cadangan dan sasarannya yang ditutup oleh pembagian air satu "
                                "musim: kesepakatan mengambil lebih sedikit saat sungai rendah, lebih banyak saat tinggi"),
    "water.river_order": ("yes/no", "organisasi di hulu mengambil lebih dulu (letak adalah kuasa)"),
    "infrastructure.initial": ("investment", "infrastruktur di awal, dalam satuan investasi"),
    "infrastructure.decay": ("share", "bagian yang rusak setiap musim"),
    "infrastructure.efficiency": ("per investment", "infrastruktur yang terbangun per satuan investasi"),
    "infrastructure.capture_per_unit": ("per unit built", "tambahan bagian aliran yang tertampung per satuan yang dibangun"),
    "infrastructure.storage_per_unit": ("per unit built", "tambahan daya tampung per satuan yang dibangun"),
    "infrastructure.max_storage_gain": ("share", "tambahan daya tampung terbesar yang bisa diberikan infrastruktur"),
    "organisations.need": ("water per season", "air yang dibutuhkan satu organisasi per musim"),
    "organisations.need_spread": ("share", "sebaran relatif kebutuhan antarorganisasi"),
    "organisations.endowment": ("payoff per season", "uang dan tenaga yang bisa diinvestasikan satu organisasi per musim"),
    "organisations.water_value": ("payoff per water", "nilai satu satuan air sampai batas kebutuhan"),
    "organisations.surplus_value": ("share", "nilai air di atas kebutuhan, dibanding air di dalam kebutuhan"),
    "organisations.volume_range": ("share", "seberapa jauh isu volume menggeser bagian dari pembagian yang adil"),
    "organisations.labour_cost": ("payoff per season", "biaya merawat saluran satu pasangan selama satu musim"),
    "organisations.dry_loss": ("share", "bagian air musim kemarau yang hilang tanpa giliran irigasi"),
    "organisations.diversity": ("share", "keragaman kepentingan: 0 semua sama, 1 prioritas saling lepas"),
    "organisations.profile": ("weights", "prioritas komunitas: volume, jadwal musim kemarau, perawatan, investasi"),
    "organisations.grab": ("of need", "air yang diambil organisasi yang mengambil paksa, kelipatan kebutuhannya"),
    "organisations.conflict_cost": ("payoff", "biaya kebuntuan bagi masing-masing pihak"),
    "strategies.mix": ("weight", "bagian organisasi yang memulai dengan tiap strategi"),
    "strategies.concession": ("tempo", "tempo konsesi: <1 bertahan, >1 cepat mengalah"),
    "strategies.misreport": ("probability", "peluang organisasi distributif mengumumkan prioritas palsu"),
    "strategies.matching": ("share", "bagian konsesi mitra yang dibalas oleh si penawar keras"),
    "strategies.reciprocal_threshold": ("level", "kepercayaan yang dibutuhkan organisasi resiprokal untuk bekerja sama"),
    "strategies.fixed_pie": ("probability", "seberapa yakin perunding di awal bahwa setiap isu bertentangan (persepsi kue "
                                       "tetap: 0,5 tanpa prasangka, 1 tak tergoyahkan); keyakinan ini diperbaiki dari "
                                       "tawaran mitra"),
    "strategies.variation": ("share", "seberapa berbeda perunding dalam membuka tawaran dan cepatnya mengalah"),
    "negotiation.rounds": ("offers", "tawaran yang boleh diajukan tiap pihak sebelum pertemuan berakhir"),
    "negotiation.term": ("seasons", "musim yang dicakup satu kesepakatan sebelum dirunding ulang"),
    "negotiation.matching": ("choice", "siapa yang bisa ditemui: siapa saja di sepanjang sungai (random), atau "
                                       "tetangganya (neighbours)"),
    "negotiation.candidates": ("partners", "calon mitra yang ditimbang tiap organisasi dalam satu pertemuan"),
    "negotiation.partner_choice": ("share", "seberapa jauh organisasi memilih mitra yang paling dipercaya (0: acak)"),
    "negotiation.refuse_exploiters": ("yes/no", "organisasi menolak bertemu mitra yang pernah memanfaatkan "
                                                "keterbukaannya"),
    "negotiation.rembug": ("yes/no", "organisasi bertemu dan berunding; tidak: tidak pernah ada pertemuan, tiap "
                                     "organisasi memutuskan sendiri tiap musim apakah mengambil bagiannya yang adil "
                                     "atau mengambil paksa"),
    "trust.initial": ("level", "kepercayaan antara organisasi yang belum pernah bertemu"),
    "trust.growth": ("share", "bagian jarak ke kepercayaan penuh yang tertutup oleh kesepakatan yang ditepati"),
    "trust.cut": ("share", "bagian kepercayaan yang hilang karena dimanfaatkan atau pelanggaran yang ketahuan"),
    "trust.gossip": ("share", "seberapa terlihat perilaku organisasi oleh yang tidak berurusan dengannya (kabar "
                              "dari mulut ke mulut)"),
    "conduct.breach_excess": ("of need", "tambahan air yang diambil saat melanggar, sebagai bagian kebutuhannya"),
    "conduct.monitoring": ("probability", "peluang pelanggaran, atau mengambil paksa melebihi bagian yang adil, "
                                          "ketahuan tanpa pengukuran bersama"),
    "conduct.fine": ("payoff", "denda bila pelanggaran ketahuan (dibayar kepada mitra) atau bila mengambil paksa "
                               "melebihi bagian yang adil ketahuan (dibayar kepada pengguna sungai lainnya)"),
    "conduct.honesty": ("payoff", "rasa rugi karena ingkar janji, atau karena mengambil melebihi bagian yang adil "
                                  "setelah mundur, dalam satuan hasil (norma sosial)"),
    "conduct.reciprocity": ("payoff", "tambahan rasa rugi bila ingkar kepada mitra yang sangat dipercaya"),
    "conduct.noise": ("payoff", "seberapa berbeda organisasi dalam godaan untuk melanggar (0: semua sama)"),
    "learning.rate": ("probability", "peluang per musim sebuah organisasi membandingkan dirinya dengan yang lain"),
    "learning.memory": ("share", "bobot masa lalu dalam hasil yang dibandingkan"),
    "backbone.present": ("yes/no", "ada organisasi penggerak yang mendukung seluruh sungai"),
    "backbone.common_agenda": ("level", "menyepakati tujuan bersama: pemahaman bersama tentang masalah, sehingga "
                                        "perunding melihat bahwa keduanya menginginkan sumur"),
    "backbone.aligned_activities": ("level", "mempertemukan mitra: bagian organisasi yang dipertemukan dengan mitra "
                                             "yang kepentingannya saling melengkapi, dalam pertemuan yang dipandu"),
    "backbone.shared_measurement": ("level", "mencatat bersama: pelanggaran terlihat, sumbangan tercatat"),
    "backbone.public_will": ("level", "menggalang dukungan warga: kesepakatan dibuat di depan umum, sehingga ingkar janji "
                                      "lebih mahal"),
    "backbone.communication": ("level", "terus saling memberi kabar secara terbuka: kepercayaan tumbuh lebih cepat dan "
                                        "semua mendengar siapa yang menepati janji"),
    "backbone.policy": ("level", "mendorong aturan air: batas bagi yang menyerobot air"),
    "backbone.funding": ("funding", "menggalang dana: uang dari luar yang menambah investasi bersama"),
    "backbone.cost": ("payoff per season", "iuran untuk organisasi penggerak, per organisasi per musim"),
    "broker.present": ("yes/no", "ada perantara yang menghubungkan dua komunitas"),
    "broker.bridging": ("share", "bagian pasangan yang dibentuknya lintas komunitas"),
    "broker.mediation": ("share", "bagian pertemuan lintas komunitas yang ditengahinya, menyampaikan prioritas "
                                  "yang disepakati kedua pihak untuk dibagi"),
    "broker.cost": ("payoff per season", "biaya per musim per organisasi"),
}
"""For each ``section.key``: its unit (a key of UNITS) and its meaning in Indonesian (the English is the field's
description in :mod:`sim.commons.config`)."""

MIX_MEANING = ("weight of {strategy} in the starting mix (weights are divided by their sum)",
               "bobot {strategy} dalam campuran awal (bobot dibagi jumlahnya)")


@dataclass(frozen=True)
class Setting:
    """One setting: what it is, what it accepts, what it means."""

    key: str
    kind: str  # number | whole number | yes/no | choice | weights | shares
    default: Any
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # the range excludes ``low`` (gt rather than ge)
    choices: tuple[str, ...] = ()
    unit: tuple[str, str] = ("", "")
    meaning: tuple[str, str] = ("", "")

    def range_text(self, language: str = "en") -> str:
        """What the setting accepts, as an error message or a listing says it. The words follow ``language``; the
        numbers stay as a scenario or sweep file writes them (a decimal point), since that is what one types."""
        words = RANGE_WORDS["id" if language == "id" else "en"]
        if self.choices:
            return words["or"].join(repr(c) for c in self.choices)
        if self.kind == "yes/no":
            return words["yes/no"]
        if self.low is None or self.high is None:
            return words["see"]
        low, high = _plain(self.low, language), _plain(self.high, language)
        return f"{words['above'] if self.low_open else ''}{low}{words['to']}{high}"

    def describe(self, language: str = "en") -> str:
        i = 1 if language == "id" else 0
        return self.meaning[i]


RANGE_WORDS = {
    "en": {"or": " or ", "yes/no": "true or false", "see": "see the meaning", "above": "above ", "to": " to "},
    "id": {"or": " atau ", "yes/no": "true atau false", "see": "lihat artinya", "above": "lebih dari ", "to": " sampai "},
}


def _plain(x: float, language: str = "en") -> str:
    """A bound as a person writes it: 4,294,967,295 rather than 4.29497e+09 (in Indonesian without grouping, where a
    comma would read as a decimal mark: 4294967295)."""
    if float(x).is_integer():
        return f"{int(x)}" if language == "id" else f"{int(x):,}"
    return f"{x:g}"


def _bounds(metadata: list) -> tuple[float | None, float | None, bool]:
    low = high = None
    low_open = False
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            low = float(item.ge)
        elif isinstance(item, annotated_types.Gt):
            low, low_open = float(item.gt), True
        elif isinstance(item, annotated_types.Le):
            high = float(item.le)
    return low, high, low_open


def _kind(annotation: Any) -> tuple[str, tuple[str, ...]]:
    if annotation is bool:
        return "yes/no", ()
    if annotation is int:
        return "whole number", ()
    if annotation is float:
        return "number", ()
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", tuple(typing.get_args(annotation))
    if typing.get_origin(annotation) in (tuple, types.GenericAlias):
        return "weights", ()
    return "shares", ()


def _build() -> dict[str, Setting]:
    found: dict[str, Setting] = {}
    for section, field in CommonsConfig.model_fields.items():
        model = field.annotation
        for name, spec in model.model_fields.items():
            key = f"{section}.{name}"
            unit, meaning_id = DETAILS.get(key, ("", ""))
            default = spec.default_factory() if spec.default_factory is not None else spec.default
            kind, choices = _kind(spec.annotation)
            low, high, low_open = _bounds(spec.metadata)
            found[key] = Setting(key, kind, default, low, high, low_open, choices, UNITS.get(unit, ("", "")),
                                 (spec.description or "", meaning_id))
            if key == "strategies.mix":
                for strategy in REGISTRY:
                    mix_key = f"mix.{strategy}"
                    found[mix_key] = Setting(mix_key, "number", float(default.get(strategy, 0.0)), 0.0, 1.0,
                                             unit=UNITS["weight"],
                                             meaning=tuple(m.format(strategy=strategy) for m in MIX_MEANING))
    return found


SETTINGS: dict[str, Setting] = _build()
"""Every setting by key, in the order of the configuration."""


def setting(key: str, field: str | None = None) -> Setting:
    """The setting ``key``, or an error naming it, saying what replaced it or which keys exist."""
    if key in SETTINGS:
        return SETTINGS[key]
    raise ScenarioError([(field or key, not_a_setting(key))], "settings")


def not_a_setting(key: str) -> str:
    """Why ``key`` is refused: what replaced it, or the nearest setting and where to find them all."""
    from sim.suggest import did_you_mean

    return REMOVED.get(key, f"is not a setting{did_you_mean(key, SETTINGS)} (see `rembug settings` for every key)")


def apply(config: CommonsConfig, changes: Mapping[str, Any], source: str = "settings") -> CommonsConfig:
    """``config`` with settings changed by key (``section.key`` or ``mix.<strategy>``), validated again; every
    problem is reported at once."""
    from sim.suggest import did_you_mean

    problems: list[tuple[str, str]] = []
    plain: dict[str, Any] = {}
    mix = dict(config.strategies.mix)
    for key, value in changes.items():
        if key.startswith("mix."):
            if key not in SETTINGS:
                problems.append((key, f"unknown strategy{did_you_mean(key, SETTINGS)}; known: {', '.join(REGISTRY)}"))
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append((key, f"{value!r} is not a number (allowed: 0 to 1)"))
            elif not 0 <= value <= 1:  # said for this share, not as the whole mix the model checks
                problems.append((key, f"{value:g} is out of range (allowed: 0 to 1)"))
            else:
                mix[key[4:]] = float(value)
        elif key not in SETTINGS:
            problems.append((key, not_a_setting(key)))
        else:
            plain[key] = value
    if any(key.startswith("mix.") for key in changes) and not any(f.startswith("mix.") for f, _ in problems):
        plain["strategies.mix"] = mix
    try:
        config = with_changes(config, plain, source)
    except ScenarioError as error:
        problems += [(_mix_field(f, changes), _with_range(f, m)) for f, m in error.problems]
    if problems:
        raise ScenarioError(problems, source)
    return config


def _with_range(field: str, message: str) -> str:
    """A bound broken ("less than or equal to 1") said with the whole range the setting allows."""
    setting = SETTINGS.get(field)
    if setting is None or "allowed" in message:
        return message
    if "should be a valid" in message:  # the validation library's words for 'abc' where a number goes, said plainly
        kind = "a whole number" if "integer" in message else "a yes/no value" if "boolean" in message else "a number"
        wrote = message.split("; you wrote ", 1)[1] if "; you wrote " in message else "this"
        return f"{wrote} is not {kind} (allowed: {setting.range_text()})"
    if not any(w in message for w in ("greater than", "less than")):
        return message
    return f"{message} (allowed: {setting.range_text()})"


def _mix_field(field: str, changes: Mapping[str, Any]) -> str:
    """A problem with the mix, named after the ``mix.`` keys the user wrote."""
    if field.startswith("strategies.mix") and "strategies.mix" not in changes:
        return ", ".join(k for k in changes if k.startswith("mix.")) or field
    return field


def table(language: str = "en") -> list[dict[str, str]]:
    """Every setting as rows of text (key, default, range, unit, meaning), for a listing."""
    i = 1 if language == "id" else 0
    rows = []
    for s in SETTINGS.values():
        default = s.default
        if isinstance(default, bool):
            shown = "true" if default else "false"
        elif isinstance(default, dict):
            shown = ", ".join(f"{k} {v:g}" for k, v in default.items())
        elif isinstance(default, tuple):
            shown = ", ".join(f"{v:g}" for v in default)
        elif isinstance(default, float):
            shown = f"{default:g}"
        else:
            shown = str(default)
        rows.append({"key": s.key, "default": shown, "range": s.range_text(language), "unit": s.unit[i],
                     "meaning": s.meaning[i]})
    return rows

"""The commons model as an EMA Workbench model, so researchers can use the Workbench's samplers, evaluators and
analyses (PRIM, CART, feature scoring, envelopes, optimisation) on it directly::

    from ema_workbench import perform_experiments
    from sim.experiments.ema import ema_model

    model = ema_model("mixed_village", uncertainties=["water.inflow", "trust.initial"], levers=["mix.integrative"])
    experiments, outcomes = perform_experiments(model, scenarios=100, policies=4)

Uncertainties and levers are settings (the keys of ``rembug settings``), with the ranges the settings allow unless a
narrower one is given (``{"water.inflow": (0.5, 1.5)}``): numbers as RealParameter, whole numbers as
IntegerParameter, yes/no as BooleanParameter, choices as CategoricalParameter. The Workbench wants Python names,
so ``trust.initial`` is ``trust_initial`` there (:func:`ema_name`). Outcomes are measures: run measures as
ScalarOutcome (``total_welfare_sum``), season measures as ArrayOutcome, one value per season (``stock_share``); with
replications, each is the mean over the experiment's seeds.

Randomness stays the model's: every experiment runs with ``world.seed`` (a Constant, the scenario's seed, unless
``replications`` asks for several seeds, then a ReplicatorModel runs each experiment once per seed, derived from
``master_seed`` as sweeps derive theirs). The same experiment gives the same outcomes in any process.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Mapping

import numpy as np

from sim.errors import InputError

DEFAULT_OUTCOMES = ("total_welfare_sum", "stock_share_end", "collapsed_max", "mean_trust_end", "agreement_rate_mean")
SEED = "world_seed"


def ema_name(key: str) -> str:
    """A setting's key as a Python name for the Workbench: ``trust.initial`` -> ``trust_initial``."""
    return key.replace(".", "_")


def workbench(module: str = "ema_workbench", needed_by: str = "ema_model"):
    """A module of the EMA Workbench, imported without the warnings about its optional parts we do not use
    (ipyparallel, altair); an InputError naming ``needed_by`` and the install command when it is missing."""
    import importlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return importlib.import_module(module)
        except ImportError:
            raise InputError(needed_by, "needs the EMA Workbench, which is not installed",
                             "pip install 'rembug[research]' (make install does)") from None


def _parameters(given: Iterable[str] | Mapping[str, object] | None, role: str) -> list:
    """Workbench parameters for settings, with their own ranges or narrower ones."""
    from sim.settings import SETTINGS, not_a_setting

    wb = workbench()
    if given is None:
        return []
    ranges = dict(given) if isinstance(given, Mapping) else {key: None for key in given}
    out = []
    for key, bounds in ranges.items():
        setting = SETTINGS.get(key)
        if setting is None:
            raise InputError(f"{role}.{key}", not_a_setting(key))
        name = ema_name(key)
        if setting.kind == "yes/no":
            out.append(wb.BooleanParameter(name))
        elif setting.kind == "choice":
            out.append(wb.CategoricalParameter(name, list(bounds or setting.choices)))
        elif setting.kind in ("number", "whole number"):
            low, high = bounds if bounds is not None else (setting.low, setting.high)
            if low is None or high is None or not low < high:
                raise InputError(f"{role}.{key}", f"needs a range (low, high) with low < high; got {bounds!r}",
                                 setting.range_text())
            if low < (setting.low or -np.inf) or high > (setting.high if setting.high is not None else np.inf):
                raise InputError(f"{role}.{key}", f"({low:g}, {high:g}) is outside the setting's range",
                                 setting.range_text())
            if setting.kind == "whole number":
                out.append(wb.IntegerParameter(name, int(low), int(high)))
            else:
                out.append(wb.RealParameter(name, float(low), float(high)))
        else:
            raise InputError(f"{role}.{key}", "cannot be varied alone (weights that must sum to 1)",
                             "a number, whole number, yes/no or choice setting; mix.<strategy> for the mix")
    return out


def mean_over_seeds(values) -> float | np.ndarray:
    """An outcome of a replicated experiment: the mean over its seeds (season by season for a series)."""
    return np.mean(np.asarray(values, dtype=float), axis=0)


def run_experiment(config_json: str, keys: tuple[tuple[str, str], ...], measures: tuple[str, ...],
                   series: tuple[str, ...], **experiment) -> dict:
    """One experiment: the scenario with the experiment's settings and seed, run; its outcomes by name (a module
    function, so the Workbench's multiprocessing evaluator can send it to its workers)."""
    from sim.commons import CommonsConfig, CommonsModel
    from sim.measures import run_measures
    from sim.settings import apply

    changes = {key: experiment[name] for name, key in keys if name in experiment}
    changes = {k: (v.item() if hasattr(v, "item") else v) for k, v in changes.items()}
    if SEED in experiment:
        changes["world.seed"] = int(experiment[SEED])
    config = apply(CommonsConfig.model_validate_json(config_json), changes, "experiment")
    seasons = CommonsModel(config).run().season_table()
    row = run_measures(seasons, list(measures)).iloc[0]
    out = {name: float(row[name]) for name in measures}
    out.update({name: seasons[name].to_numpy(dtype=float) for name in series})
    return out


def ema_model(scenario: str = "mixed_village", *, uncertainties: Iterable[str] | Mapping[str, object] | None = None,
              levers: Iterable[str] | Mapping[str, object] | None = None,
              outcomes: Iterable[str] = DEFAULT_OUTCOMES, series: Iterable[str] = (), replications: int | None = None,
              master_seed: int = 0, name: str = "rembug"):
    """The commons model as an ``ema_workbench`` Model (see the module's note). ``scenario``: a preset id or a
    scenario file; ``uncertainties``/``levers``: settings (a list, or a dict of narrower ranges); ``outcomes``: run
    measures; ``series``: season measures, as one array per experiment; ``replications``: seeds per experiment."""
    from sim.experiments.design import run_seed
    from sim.measures import RUN_MEASURES, SEASON_MEASURES
    from sim.scenarios import find_scenario
    from sim.suggest import did_you_mean

    wb = workbench()
    base = find_scenario(scenario, field="scenario")
    outcomes, series = tuple(outcomes), tuple(series)
    for measure in outcomes:
        if measure not in RUN_MEASURES:
            raise InputError(f"outcomes.{measure}", f"is not a run measure{did_you_mean(measure, RUN_MEASURES)}",
                             "a run measure of `rembug measures`, e.g. total_welfare_sum")
    for measure in series:
        if measure not in SEASON_MEASURES:
            raise InputError(f"series.{measure}", f"is not a season measure{did_you_mean(measure, SEASON_MEASURES)}",
                             "a season measure of `rembug measures`, e.g. stock_share")
    uncertain = _parameters(uncertainties, "uncertainties")
    lever = _parameters(levers, "levers")
    keys = tuple((p.name, key) for p, key in zip([*uncertain, *lever], [*(uncertainties or ()), *(levers or ())],
                                                   strict=True))
    if len({n for n, _ in keys}) < len(keys):
        raise InputError("uncertainties", "a setting is both an uncertainty and a lever", "each setting once")
    function = functools.partial(run_experiment, base.config.model_dump_json(), keys, outcomes, series)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if replications is None:
            model = wb.Model(name, function=function)
            model.constants = [wb.Constant(SEED, base.config.world.seed)]
        else:
            if replications < 1:
                raise InputError("replications", f"{replications}", "1 or more")
            model = wb.ReplicatorModel(name, function=function)
            model.replications = [{SEED: run_seed(master_seed, i)} for i in range(replications)]
        model.uncertainties = uncertain
        model.levers = lever
        over_seeds = {} if replications is None else {"function": mean_over_seeds}
        model.outcomes = [*(wb.ScalarOutcome(m, **over_seeds) for m in outcomes),
                          *(wb.ArrayOutcome(m, **over_seeds) for m in series)]
    return model

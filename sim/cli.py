"""The `rembug` command line (also `python -m sim`): a thin shell that reads files, calls the library, writes files.

Bad input ends with one readable message on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit
from typing import TYPE_CHECKING

from sim import __version__
from sim.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

# Only light modules above: `rembug --help` must answer at once. Each command imports what it needs (pandas, the
# model, the scenarios) when it runs; tests/experiments/test_cli.py checks that --help loads none of them.


def _value(raw: str):
    """A --set value as TOML would read it (numbers, true/false, strings, inline tables)."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _output_file(out: Path, option: str = "--out") -> Path:
    """An output file's path checked before any work: a known format, and a folder that exists or is made now (as
    `sweep` makes its folder); an InputError naming ``option`` otherwise."""
    from sim.experiments.store import writable_directory

    if out.suffix not in (".csv", ".parquet"):
        raise InputError(option, f"{out.name!r} has an unknown format", "a .csv or .parquet file")
    if out.is_dir():
        raise InputError(option, f"{str(out)!r} is a folder", "a .csv or .parquet file")
    writable_directory(out.parent if str(out.parent) else Path("."), option)
    return out


def _write_table(frame: pd.DataFrame, out: Path, about: dict | None = None, option: str = "--out") -> None:
    """Write a table; a Parquet file carries ``about`` (seed, scenario, settings, version) in its metadata, where
    ``pandas.read_parquet(...).attrs["rembug"]`` finds it again."""
    _output_file(out, option)
    try:
        if out.suffix == ".parquet":
            frame = frame.copy()
            frame.attrs["rembug"] = about or {}
            frame.to_parquet(out, index=False)
        else:
            frame.to_csv(out, index=False)
    except OSError as error:
        raise InputError(option, f"{str(out)!r} cannot be written ({error.strerror or error})",
                         "a file in a folder you can write to") from None


HEADLINE = ("total_welfare_sum", "stock_share_end", "infrastructure_end", "agreement_rate_mean", "gini_mean",
            "mean_trust_end", "collapse_season")
"""The run measures ``rembug run`` prints unless asked for all (then the shares of each strategy at the end)."""


def _checked(config, key: str, value, option: str):
    """``config`` with one setting changed from a command-line option, or an error naming the option."""
    from sim.scenarios import ScenarioError
    from sim.settings import SETTINGS, apply

    try:
        return apply(config, {key: value}, option)
    except ScenarioError:
        raise InputError(option, f"{value!r} is out of range", SETTINGS[key].range_text()) from None


def cmd_run(args: argparse.Namespace) -> int:
    from sim.commons import CommonsModel
    from sim.measures import RUN_MEASURES, summary
    from sim.scenarios import find_scenario, provenance
    from sim.settings import apply

    scenario = find_scenario(args.scenario, field="SCENARIO")
    changes = {}
    for item in args.set or []:
        key, sep, raw = item.partition("=")
        if not sep:
            raise InputError("--set", f"{item!r} is not key=value", "e.g. --set trust.initial=0.8 or --set mix.integrative=0.9")
        changes[key.strip()] = _value(raw.strip())
    if args.out:  # before the run: a wrong path costs nothing
        _output_file(Path(args.out))
    config = apply(scenario.config, changes, "--set") if changes else scenario.config
    if args.seed is not None:
        config = _checked(config, "world.seed", args.seed, "--seed")
    if args.seasons is not None:
        config = _checked(config, "world.seasons", args.seasons, "--seasons")
    table = CommonsModel(config).run().season_table()
    if args.out:
        _write_table(table, Path(args.out), provenance(scenario.id, config, __version__))
    measures = summary(table)
    names = list(measures) if args.all else [*HEADLINE, *(m for m in measures if m.startswith("share_") and m.endswith("_end"))]
    lines = [
        f"{scenario.title('en')} ({scenario.id}): {config.world.organisations} organisations, "
        f"{config.world.seasons} seasons, seed {config.world.seed}",
    ]
    width = max(len(n) for n in names)
    for name in names:
        m = RUN_MEASURES[name]
        value = measures[name]
        shown = "never" if name == "collapse_season" and value != value else _number(value)
        lines.append(f"  {name:<{width}}  {shown:>10}  {m.unit:<16}  {m.describe()}")
    if not args.all:
        lines.append("  (every run measure: --all; the same names as sweeps and `rembug measures`)")
    if args.out:
        lines.append(f"  per-season table written to {args.out}")
    print("\n".join(lines))
    return 0


def _number(value: float) -> str:
    from sim.experiments.analyze import readable

    return readable(value)


def cmd_sweep(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sim.experiments import load_sweep, sweep

    _check_workers(args)
    spec = load_sweep(args.spec)
    for note in spec.notes:
        print(f"note: {note}", file=sys.stderr)
    out = Path(args.out) if args.out else Path(args.spec).with_suffix("")
    if out.exists() and not out.is_dir():
        raise InputError("--out", f"{str(out)!r} is a file, not a folder", "a new or empty folder for the results")
    if not out.exists() and out.suffix.lower() in (".parquet", ".csv", ".json", ".toml"):
        raise InputError("--out", f"{out.name!r} names a file, but a sweep writes a folder (results.parquet, "
                         "manifest.json and the runs inside it)", "a folder name, e.g. sweeps/out")
    bar = None

    def start(total: int, done: int) -> None:
        nonlocal bar
        if done and not args.quiet:
            print(f"resuming: {done} of {total} runs already done", file=sys.stderr)
        bar = tqdm(total=total, initial=done, unit="run", disable=args.quiet, smoothing=0.1, dynamic_ncols=True)

    table = sweep(spec, out=out, workers=args.workers, dask=args.dask, resume=args.resume, on_start=start,
                  on_progress=lambda n: bar.update(n), version=__version__)
    if bar is not None:
        bar.close()
    failed = int((table["status"] != "ok").sum()) if "status" in table else 0
    if not args.quiet:
        print(f"{table['run'].nunique()} runs in {out}/results.parquet ({failed} failed)")
    return 0


class _Steps:
    """Progress of a long command on stderr: each step as it starts, with the seconds since the command began."""

    def __init__(self, quiet: bool) -> None:
        import time

        self.quiet, self.clock, self.start = quiet, time.monotonic, time.monotonic()

    def __call__(self, text: str) -> None:
        if not self.quiet:
            print(f"[{self.clock() - self.start:5.1f} s] {text}", file=sys.stderr, flush=True)


def _outcome_options(items: list[str] | None) -> dict[str, str]:
    """``--outcome NAME=EXPRESSION`` options as a dict."""
    outcomes = {}
    for item in items or []:
        name, sep, text = item.partition("=")
        if not sep or not name.strip() or not text.strip():
            raise InputError("--outcome", f"{item!r} is not NAME=EXPRESSION", "e.g. --outcome 'gain=total_welfare_sum/40'")
        outcomes[name.strip()] = text.strip()
    return outcomes


def cmd_analyze(args: argparse.Namespace) -> int:
    step = _Steps(args.quiet)
    step(f"reading the sweep in {args.directory}")
    from sim.experiments.analyze import (
        analyse,
        check_metric,
        envelopes,
        readable_frame,
        report_html,
        uncertainty_note,
    )
    from sim.experiments.store import open_sweep, writable_directory

    if args.pattern_seeds < 0:
        raise InputError("--pattern-seeds", f"{args.pattern_seeds} is negative", "0 (no catalogue) or more")
    _check_workers(args)
    outcomes = _outcome_options(args.outcome)
    spec, manifest, table = open_sweep(args.directory)
    if table.empty:
        raise InputError(str(args.directory), "has no results yet", "run or resume the sweep first")
    directory = writable_directory(Path(args.directory), "DIRECTORY")
    step(f"summaries, confidence intervals and sensitivity indices of {len(table):,} rows")
    analysis = analyse(spec, table, outcomes)
    metric = check_metric(analysis, args.metric)  # before any file is written: a typo costs nothing
    analysis.by_point.to_csv(directory / "summary_by_point.csv", index=False)
    for name, frame in analysis.by_parameter.items():
        frame.to_csv(directory / f"summary_by_{name.replace('.', '_')}.csv", index=False)
    for name, frame in analysis.sensitivity.items():
        frame.to_csv(directory / f"sensitivity_{name.replace(' under ', '_under_')}.csv", index=False)
    bands = envelopes(analysis)
    if not bands.empty:
        step(f"envelopes of {bands['measure'].nunique()} measures season by season")
        bands.to_csv(directory / "envelopes.csv", index=False)
    patterns_html = ""
    if args.pattern_seeds:
        step(f"the pattern catalogue's claims about {spec.scenario.id} on {args.pattern_seeds} fresh seeds")
        patterns_html = _report_patterns(spec.scenario.id, args)
    step("the report's charts")
    (directory / "report.html").write_text(report_html(analysis, metric, patterns_html), encoding="utf-8")
    incomplete = "" if manifest.get("complete") else " (the sweep is not complete: partial results)"
    print(f"{len(analysis.end)} runs analysed{incomplete}; report: {directory / 'report.html'}")
    if not bands.empty:
        print(f"envelopes of {bands['measure'].nunique()} measures season by season: {directory / 'envelopes.csv'}")
    for note in analysis.notes:
        print(f"note: {note}")
    for name, frame in analysis.sensitivity.items():
        print(f"sensitivity of {name}:\n{readable_frame(frame).to_string(index=False)}")
    uncertain = uncertainty_note(analysis)
    if uncertain:
        print(f"note: {uncertain}")
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    """Scenario discovery (PRIM) on a sweep folder: where the condition holds, in plain words and as data."""
    import json

    step = _Steps(args.quiet)
    step(f"reading the sweep in {args.directory}")
    from sim.experiments.analyze import end_of_runs
    from sim.experiments.discover import discover
    from sim.experiments.store import open_sweep, writable_directory

    spec, manifest, table = open_sweep(args.directory)
    if table.empty:
        raise InputError(str(args.directory), "has no results yet", "run or resume the sweep first")
    out = writable_directory(Path(args.out) if args.out else Path(args.directory) / "discovery")
    step(f"PRIM (EMA Workbench) on {table['run'].nunique():,} runs")
    found = discover(spec, end_of_runs(spec, table), args.where, threshold=args.threshold, boxes=args.boxes,
                     peel_alpha=args.peel_alpha, mass_min=args.mass_min, max_qp=args.max_qp, inputs=args.inputs)
    sentences = found.sentences()
    record = {**found.record(), "sweep": str(args.directory), "model_version": manifest.get("model_version"),
              "master_seed": manifest.get("master_seed"), "complete": manifest.get("complete")}
    (out / "boxes.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    found.table().to_csv(out / "boxes.csv", index=False)
    (out / "discovery.md").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    incomplete = "" if manifest.get("complete") else " (the sweep is not complete: partial results)"
    print("\n".join(sentences))
    print(f"written to {out / 'boxes.json'}, boxes.csv and discovery.md{incomplete}")
    return 0


def _report_patterns(scenario_id: str, args: argparse.Namespace) -> str:
    """The pattern catalogue's claims about the sweep's base scenario, measured on a few fresh seeds, as HTML."""
    import html

    from sim.patterns import FRESH_SEEDS_FROM, Run, measure, to_html

    from sim.patterns import catalogue

    relevant = [p for p in catalogue() if any(isinstance(r, Run) and r.scenario == scenario_id for r in p.runs.values())]
    if not relevant:
        return (f"<h2>Pattern catalogue</h2><p>No pattern of the catalogue is measured on {html.escape(scenario_id)}; "
                "see `rembug patterns` for the whole catalogue.</p>")
    seeds = range(FRESH_SEEDS_FROM, FRESH_SEEDS_FROM + args.pattern_seeds)
    from tqdm import tqdm

    bar = tqdm(total=0, unit="run", disable=args.quiet, dynamic_ncols=True, file=sys.stderr, leave=False)

    def progress(done: int, total: int) -> None:
        bar.total, bar.n = total, done
        bar.refresh()

    result = measure(seeds, relevant, workers=args.workers, on_progress=progress)
    bar.close()
    page = to_html(result)
    body = page[page.index("<body>") + 6 : page.index("</body>")].replace("<h1>Pattern catalogue</h1>", "")
    return (f"<h2>Pattern catalogue: the claims about {html.escape(scenario_id)}</h2>"
            f"<p>{len(relevant)} patterns whose runs use this scenario, on seeds {seeds.start}–{seeds.stop - 1} (the "
            f"catalogue's fresh seeds; `rembug patterns` measures all of them on 30).</p>{body}")


README_START, README_END = "<!-- patterns:start -->", "<!-- patterns:end -->"


def cmd_patterns(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sim.patterns import FRESH_SEEDS_FROM, catalogue, measure, to_html, to_markdown

    if args.seeds < 2:
        raise InputError("--seeds", f"{args.seeds} gives no confidence interval", "2 or more (30 for the README)")
    if args.first_seed < 0:
        raise InputError("--first-seed", f"{args.first_seed} is negative", "0 or more")
    _check_workers(args)
    from sim.experiments.store import writable_directory

    out = writable_directory(Path(args.out))  # before measuring: a wrong path costs nothing
    patterns = [p for p in catalogue() if not args.only or any(p.key.startswith(o) for o in args.only)]
    if not patterns:
        from sim.suggest import did_you_mean

        prefixes = {".".join(p.key.split(".")[:n]) for p in catalogue() for n in range(1, p.key.count(".") + 2)}
        hint = did_you_mean(args.only[0], sorted(prefixes)) if len(args.only) == 1 else ""
        raise InputError("--only", f"{' '.join(args.only)} matches no pattern{hint}",
                         "a prefix of a pattern name, e.g. engine. or trust_helps.")
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    if args.first_seed < FRESH_SEEDS_FROM:
        print(f"note: seeds below {FRESH_SEEDS_FROM:,} include the test suite's; claims are measured from "
              f"{FRESH_SEEDS_FROM:,} on", file=sys.stderr)
    bar = tqdm(total=0, unit="run", disable=args.quiet, dynamic_ncols=True, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    result = measure(seeds, patterns, workers=args.workers, on_progress=progress)
    bar.close()
    markdown = to_markdown(result)
    (out / "patterns.md").write_text(markdown, encoding="utf-8")
    (out / "patterns.html").write_text(to_html(result), encoding="utf-8")
    result.table().to_csv(out / "patterns.csv", index=False)
    width = max(len(m.pattern.key) for m in result.measured)
    for m in result.measured:
        print(f"{m.pattern.key:<{width}}  {m.mean:>9.3g}  [{m.ci_low:>9.3g}, {m.ci_high:>9.3g}]  "
              f"{m.pattern.expect.describe():<24}  {m.verdict}")
    counts = result.counts()
    print(f"{counts['holds']} hold, {counts['unclear']} unclear, {counts['fails']} fail "
          f"(seeds {seeds.start}-{seeds.stop - 1}); written to {out / 'patterns.md'} and {out / 'patterns.html'}")
    if args.readme:
        path = Path(args.readme)
        text = path.read_text(encoding="utf-8")
        if README_START not in text or README_END not in text:
            raise InputError("--readme", f"{path} has no {README_START} ... {README_END} block", "a file with both markers")
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        path.write_text(f"{head}{README_START}\n{markdown}{README_END}{tail}", encoding="utf-8")
        print(f"updated the claims table in {path}")
    return 0


DOCS_START, DOCS_END = "<!-- robustness:start -->", "<!-- robustness:end -->"


def cmd_robustness(args: argparse.Namespace) -> int:
    """One-at-a-time screen of the expand-vs-slice gap (sim.robustness): tables, curves, and where it tips."""
    from tqdm import tqdm

    from sim import robustness
    from sim.scenarios import builtin_scenarios

    if args.seeds < 2:
        raise InputError("--seeds", f"{args.seeds} gives no confidence interval", "2 or more (30 for the docs)")
    if args.workers < 1:
        raise InputError("--workers", f"{args.workers} is not a number of processes", "1 or more")
    if args.scenario not in builtin_scenarios():
        raise InputError("scenario", f"{args.scenario!r} is not a preset", ", ".join(builtin_scenarios()))
    factors = [f for f in robustness.FACTORS if not args.only or f.key in args.only]
    if not factors:
        raise InputError("--only", f"{' '.join(args.only)} names no factor of the screen",
                         ", ".join(f.key for f in robustness.FACTORS))
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    bar = tqdm(total=0, unit="pair of runs", disable=args.quiet, dynamic_ncols=True, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total, bar.n = total, done
        bar.refresh()

    frame = robustness.screen(args.scenario, factors, seeds, workers=args.workers, on_progress=progress)
    bar.close()
    summary, tipping = robustness.summarise(frame), robustness.tips(frame)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out / "robustness.csv", index=False)
    summary.to_csv(out / "robustness_summary.csv", index=False)
    tipping.to_csv(out / "robustness_tips.csv", index=False)
    markdown = (f"Screened on {args.scenario}, seeds {seeds.start}–{seeds.stop - 1} (gap: total welfare over the run, "
                f"everyone integrative minus everyone distributive, same river and years).\n\n"
                f"![The gap's response to each factor](robustness.png)\n\n" + robustness.to_markdown(summary, tipping, factors))
    (out / "robustness.md").write_text(markdown, encoding="utf-8")
    _robustness_chart(summary, out / "robustness.png", factors)
    for t in tipping.to_dict("records"):
        print(f"{t['factor']:<30} largest step {t['from']!s:>5} -> {t['to']!s:<5} gap {t['gap_change']:+8.0f}   "
              f"{t['mechanism']}")
    print(f"written to {out / 'robustness.md'}, robustness.png and the CSV tables")
    if args.docs:
        path = Path(args.docs)
        text = path.read_text(encoding="utf-8")
        if DOCS_START not in text or DOCS_END not in text:
            raise InputError("--docs", f"{path} has no {DOCS_START} ... {DOCS_END} block", "a file with both markers")
        head, rest = text.split(DOCS_START, 1)
        _, tail = rest.split(DOCS_END, 1)
        relative = os.path.relpath(out / "robustness.png", path.parent)
        path.write_text(f"{head}{DOCS_START}\n{markdown.replace('(robustness.png)', f'({relative})')}\n{DOCS_END}{tail}",
                        encoding="utf-8")
        print(f"updated the robustness screen in {path}")
    return 0


def _robustness_chart(summary, path: Path, factors) -> None:
    """One small panel per factor: the gap with its 95% interval, and the part earned by collapse avoided."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = list(dict.fromkeys(summary.factor))
    columns = 4
    rows = -(-len(keys) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4 * columns, 2.8 * rows), squeeze=False)
    for ax, key in zip(axes.ravel(), keys, strict=False):
        part = summary[summary.factor == key]
        x = part.level.astype(float).to_numpy()
        ax.fill_between(x, part.ci_low, part.ci_high, color="#2e86c1", alpha=0.2, linewidth=0)
        ax.plot(x, part.gap, "o-", color="#2e86c1", label="gap (95% CI)")
        ax.plot(x, part.collapse_avoided, "s--", color="#c0392b", markersize=3, label="collapse avoided")
        ax.plot(x, part.everyday, "^:", color="#27ae60", markersize=3, label="everyday")
        ax.axhline(0.0, color="#555555", linewidth=0.8)
        ax.set_title(key, fontsize=10)
        ax.tick_params(labelsize=8)
    for ax in axes.ravel()[len(keys):]:
        ax.axis("off")
    axes[0, 0].legend(fontsize=7, loc="best")
    fig.suptitle("Expand minus slice: total welfare over the run, one setting moved at a time", fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def cmd_scenarios(args: argparse.Namespace) -> int:
    from sim.scenarios import DEFAULT_DIRECTORY, builtin_scenarios

    for sid, scenario in builtin_scenarios(DEFAULT_DIRECTORY).items():
        flag = " (default)" if scenario.meta.default else ""
        print(f"{sid:22s} {scenario.title(args.lang)}{flag}")
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from sim.settings import table

    rows = table(args.lang)
    head = {"key": "key", "default": "default", "range": "range", "unit": "unit", "meaning": "meaning"} if args.lang == "en" \
        else {"key": "kunci", "default": "bawaan", "range": "rentang", "unit": "satuan", "meaning": "arti"}
    widths = {c: max(len(head[c]), *(len(r[c]) for r in rows)) for c in ("key", "default", "range", "unit")}
    widths["default"] = min(widths["default"], 36)
    print("  ".join(f"{head[c]:<{widths[c]}}" for c in widths) + "  " + head["meaning"])
    for r in rows:
        print("  ".join(f"{r[c]:<{widths[c]}}" for c in widths) + "  " + r["meaning"])
    return 0


def cmd_measures(args: argparse.Namespace) -> int:
    from sim.measures import RUN_MEASURES, SEASON_MEASURES

    for title, measures in (("season measures (one value per season)", SEASON_MEASURES),
                            ("run measures (one value per run; what `rembug run` prints and a sweep keeps with "
                             "keep = \"end\")", RUN_MEASURES)):
        print(title)
        width = max(len(n) for n in measures)
        for name, m in measures.items():
            print(f"  {name:<{width}}  {m.unit:<16}  {m.describe(args.lang)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.experiments.design import build_design
    from sim.experiments.spec import parse_sweep
    from sim.scenarios import parse_scenario

    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        from sim.suggest import unreadable

        raise InputError(str(path), unreadable(path, error)) from None
    try:
        is_sweep = "sweep" in tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError:
        is_sweep = False
    if is_sweep:
        spec = parse_sweep(raw, path.name, path.parent)
        worlds = len(build_design(spec).points) * spec.settings.replications
        runs = worlds * max(1, len(spec.policies))
        over = ", ".join(spec.names) if len(spec.names) <= 8 else f"{len(spec.names)} settings"
        policies = (f" ({worlds:,} worlds, each under the policies {', '.join(spec.policies)})"
                    if spec.policies else "")
        print(f"{path.name}: a valid sweep of {runs:,} runs over {over} on {spec.scenario.id}{policies}")
        for note in spec.notes:
            print(f"note: {note}")
    else:
        scenario = parse_scenario(raw, path.name)
        print(f"{path.name}: a valid scenario, {scenario.id!r}: {scenario.title('en')}")
    return 0


ROOMS_DB = Path(os.environ.get("REMBUG_ROOMS_DB", Path(__file__).resolve().parent.parent / "rooms.sqlite"))
"""The rooms database: a file next to the app (the app and the command line open the same one)."""


def _phones_url(url: str) -> str:
    """The app's address as phones can open it: a local one ("localhost", the default) becomes this laptop's
    address on the network, as the projector's page shows it; said on stderr, and if there is no network, that the
    links open only on this laptop."""
    from rooms import links

    if not links.is_local(url):
        return url.rstrip("/")
    lan = links.lan_address()
    base = links.reachable(url, lan).rstrip("/")
    if lan:
        print(f"note: --url {url} names this laptop only; the links use its network address ({base}), as the "
              f"projector's page does, so phones on the same Wi-Fi can open them; port {urlsplit(base).port}: if "
              "the app runs on another (make app PORT=...), give --url localhost:PORT", file=sys.stderr)
    else:
        print(f"warning: --url {url}: no network found, so these links open only on this laptop, not on phones; "
              f"join the Wi-Fi the phones use and run this again, or give --url http://LAPTOP-ADDRESS:{links.APP_PORT}",
              file=sys.stderr)
    return base


def cmd_room_create(args: argparse.Namespace) -> int:
    """Create a live room and print its code and links as JSON (the facilitator keeps the facilitator's link)."""
    import json

    from rooms import RoomError, Store
    from rooms.flow import create
    from sim.scenarios import find_scenario

    scenario = find_scenario(args.scenario, Path.cwd())
    config = scenario.config
    if args.seed is not None:
        config = _checked(config, "world.seed", args.seed, "--seed")
    try:  # the room's settings: one organisation per seat, a meeting every --term seasons (rooms.game.room_config)
        keys = create(Store(args.db), scenario.id, config, args.seats, seasons=args.seasons, hours=args.hours,
                      term=args.term, mix=args.mix, pin=args.pin)
    except RoomError as error:  # "seats: between 2 and 60; you asked for 500" names the option and its range
        print(f"error: --{error}", file=sys.stderr)
        return 2
    base = _phones_url(args.url)
    print(json.dumps({"code": keys.code, "scenario": scenario.id, "seats": args.seats, "seasons": args.seasons,
                      "seasons_per_meeting": args.term, "mix": args.mix, "pin": bool(args.pin),
                      "seed": config.world.seed, "join_link": f"{base}/?room={keys.code}",
                      "facilitator_link": f"{base}/?room={keys.code}&host={keys.facilitator_secret}",
                      "secret": keys.facilitator_secret, "database": str(args.db)}, indent=2))
    return 0


def cmd_room_list(args: argparse.Namespace) -> int:
    """The rooms in the database on this laptop, newest first: the way back to one's own room (with `room link`)."""
    from datetime import datetime

    from rooms import Store

    rooms = Store(_rooms_db(args.db)).rooms()
    if not args.all:
        rooms = rooms[rooms.live]
    if rooms.empty:
        print("no live rooms" + ("" if args.all else " (--all lists expired ones too)") + f" in {args.db}")
        return 0
    print(f"{'code':<6}  {'created':<16}  {'stage':<8}  {'season':>6}  {'joined':>7}  {'scenario':<20}  state")
    for r in rooms.itertuples():
        created = datetime.fromtimestamp(r.created).strftime("%Y-%m-%d %H:%M")
        state = "expired" if not r.live else ", ".join(
            [w for w, on in (("locked", r.locked), ("PIN", r.pin)) if on]) or "open"
        print(f"{r.code:<6}  {created:<16}  {r.phase:<8}  {r.season + 1:>6}  {f'{r.joined}/{r.seats}':>7}  "
              f"{r.scenario[:20]:<20}  {state}")
    print("a new facilitator's link for one of them: rembug room link CODE")
    return 0


def cmd_room_link(args: argparse.Namespace) -> int:
    """A new facilitator's link for a room (the old one stops working): for a facilitator whose tab is lost. Only
    whoever can open the rooms database on the laptop running the app can do this."""
    from rooms import RoomError, Store

    store = Store(_rooms_db(args.db))
    try:
        secret = store.reissue(args.code)
    except RoomError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    code = store.room(args.code)["code"]
    base = _phones_url(args.url)
    print(f"room {code}: a new facilitator's link (the old one no longer opens the room):\n"
          f"{base}/?room={code}&host={secret}")
    return 0


RECORD_SUFFIXES = "a .csv or .parquet file (either carries the room's settings and seed)"


def _rooms_db(db: Path) -> Path:
    if not db.exists():
        raise InputError("--db", f"{str(db)!r} does not exist", "the rooms database `rembug room create` wrote")
    return db


def cmd_room_export(args: argparse.Namespace) -> int:
    """Write a room's record (one row per decision) with its settings and seed, for research and for replay."""
    import json

    from rooms import Refused, RoomError, Store
    from rooms.flow import export_bytes, record

    out = Path(args.out)
    out = out.with_suffix(out.suffix.lower()) if out.suffix.lower() in (".csv", ".parquet") else out
    if out.suffix not in (".csv", ".parquet"):  # before anything is read: a typo costs nothing
        raise InputError("--out", f"{out.name!r} has an unknown format", RECORD_SUFFIXES)
    if not out.resolve().parent.is_dir():
        what = "is a file, not a folder" if out.resolve().parent.exists() else "does not exist"
        raise InputError("--out", f"the folder {str(out.parent)!r} {what}", "a file in a folder that exists")
    store = Store(_rooms_db(args.db))
    try:
        store.room(args.code, expired=True)  # an unknown room says so (not that the link is wrong); expired is fine
        frame, meta = record(store, args.code, args.secret, pseudonymise=args.pseudonymise)
    except Refused:
        print("error: --secret: not this room's facilitator key (the host=... part of the facilitator's link, or "
              "`rembug room link CODE` for a new one)", file=sys.stderr)
        return 2
    except RoomError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    out.write_bytes(export_bytes(frame, meta, out.suffix[1:]))
    where = f"{out} (with the room's settings and seed: " + (
        "the columns scenario, seed, seasons_played and settings)" if out.suffix == ".csv" else "in its metadata)")
    print(f"room {meta['room']}: {len(frame)} decisions over {meta['seasons_played']} seasons played, "
          f"written to {where}")
    return 0


def _read_record(path: Path) -> tuple[pd.DataFrame, dict]:
    """A room's record and its meta (settings, seed, seasons played) from what `rembug room export` (or the app's
    download buttons) wrote."""
    from rooms import RoomError
    from rooms.flow import read_export

    if path.suffix.lower() not in (".csv", ".parquet"):
        raise InputError("FILE", f"{path.name!r} has an unknown format", RECORD_SUFFIXES)
    if not path.exists():
        raise InputError("FILE", f"{str(path)!r} does not exist", "a record written by `rembug room export`")
    try:
        return read_export(path.read_bytes(), path.suffix[1:].lower())
    except RoomError as error:
        raise InputError("FILE", f"{path.name}: {error}", "a record written by `rembug room export`") from None


def cmd_room_replay(args: argparse.Namespace) -> int:
    """Rebuild a room's village from its exported record alone and summarise it season by season."""
    from rooms.flow import code_commit, replay_record

    path = Path(args.file)
    for option, out in (("--out", args.out), ("--organisations", args.organisations)):
        if out and Path(out).suffix.lower() not in (".csv", ".parquet"):
            raise InputError(option, f"{Path(out).name!r} has an unknown format", "a .csv or .parquet file")
        if out and not Path(out).resolve().parent.is_dir():
            raise InputError(option, f"the folder {str(Path(out).parent)!r} does not exist", "a file in a folder that exists")
    frame, meta = _read_record(path)
    try:
        village = replay_record(frame, meta)
    except (KeyError, TypeError, ValueError) as error:  # a hand-edited record: say which file, not a traceback
        raise InputError("FILE", f"{path.name} is not a room record that can be replayed ({error})",
                         "a record written by `rembug room export`") from None
    model = village.model
    table = model.season_table()
    if "chosen_by" in frame:  # the seats' decisions, not the computer's offers or the timeline
        frame = frame[frame["chosen_by"].isin(["person", "timer"])]
    people = sorted({int(s) for s in frame["seat"]}) if len(frame) else []
    lines = [f"room {meta.get('room', '?')} ({meta.get('scenario', '?')}): {model.n} organisations, "
             f"{len(people)} played by people at some point, seed {meta.get('seed')}, {len(table)} seasons played"]
    here = (__version__, code_commit())
    recorded = (meta.get("version"), meta.get("commit"))
    if recorded[0] and (recorded[0] != here[0] or (recorded[1] and here[1] and recorded[1] != here[1])):
        lines.append(f"  note: recorded with rembug {recorded[0]} (commit {recorded[1] or '?'}), replayed with "
                     f"{here[0]} (commit {here[1] or '?'}): a model changed since may replay a different village")
    if table.empty:
        lines.append("  no season was played")
    else:
        lines.append(f"  {'season':>6}  {'agreements':>10}  {'grabs':>5}  {'broken':>6}  {'water left':>10}  "
                     f"{'net harvest':>11}")
        for row in table.itertuples():
            pairs = int(row.pairs)
            agreed = int(round(row.agreement_rate * pairs)) if pairs else 0
            lines.append(f"  {row.season:>6}  {f'{agreed} of {pairs}':>10}  {int(round(row.grab_rate * model.n)):>5}  "
                         f"{int(row.breaches):>6}  {row.stock_share:>10.0%}  {_number(row.total_welfare):>11}")
        lines.append("  agreements: pairs that agreed; grabs: organisations grabbing at an impasse; broken: agreements "
                     "broken; water left: stock as a share of capacity; net harvest: harvest after labour, "
                     "investment, conflict and fees")
    about = {"room": meta.get("room"), "scenario": meta.get("scenario"), "seed": meta.get("seed"),
             "settings": meta.get("settings"), "version": __version__}
    if args.out:
        _write_table(table.assign(room=meta.get("room"), seed=meta.get("seed")), Path(args.out), about)
        lines.append(f"  per-season table written to {args.out}")
    if args.organisations:
        seats = model.organisation_table()
        offers = frame[frame.kind == "offer"]  # the record was checked row by row as it was replayed
        persons = set(zip(offers.season.astype(int), offers.seat.astype(int), strict=True))
        seats["person"] = [(int(s), int(o)) in persons for s, o in zip(seats.season, seats.organisation, strict=True)]
        seats = seats.rename(columns={"organisation": "seat", "strategy": "bot_strategy"})
        _write_table(seats.assign(room=meta.get("room"), seed=meta.get("seed")), Path(args.organisations), about,
                     "--organisations")
        lines.append(f"  per-seat, per-season table written to {args.organisations} (person: a participant "
                     "negotiated for the seat that season; bot_strategy: the strategy the computer plays it with)")
    print("\n".join(lines))
    return 0


def _add_workers(parser: argparse.ArgumentParser, what: str) -> None:
    """The one --workers option of every command that runs models: the same default (every core) everywhere."""
    cores = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=cores, metavar="N",
                        help=f"worker processes for {what} (default: every core of this machine, here {cores}; "
                        "results are the same with any number)")


def _check_workers(args: argparse.Namespace) -> None:
    if args.workers < 1:
        raise InputError("--workers", f"{args.workers} is not a number of processes", "1 or more")


class _RoomSeasons(argparse._StoreAction):
    """``room create --seasons``: its default and help come from the model (sim.commons.people), read only when
    ``room create`` is parsed or its help is shown, so no other command pays for importing the model."""

    @property
    def default(self):
        from sim.commons.people import ROOM_SEASONS

        return ROOM_SEASONS

    @default.setter
    def default(self, _value) -> None:
        pass

    @property
    def help(self) -> str:
        return f"seasons the room plays, 1 to 20 (default {self.default}: {self.default // 2} years)"

    @help.setter
    def help(self, _value) -> None:
        pass


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="rembug", description="Rembug: negotiation over a shared river, for research.")
    main.add_argument("--version", action="version", version=f"rembug {__version__}")
    sub = main.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one scenario and summarise it",
                         description="Run one scenario and print its run measures (see `rembug measures`).")
    run.add_argument("scenario", help="a preset id (see `rembug scenarios`) or a scenario .toml file")
    run.add_argument("--seed", type=int, help="random seed, 0 to 4294967295 (default: the scenario's world.seed); "
                     "the same scenario and seed give the same results on any machine")
    run.add_argument("--seasons", type=int, help="seasons to simulate, 1 to 2000 (default: the scenario's "
                     "world.seasons; a year is a wet and a dry season)")
    run.add_argument("--set", action="append", metavar="KEY=VALUE",
                     help="change a setting, the same keys as sweep files: trust.initial=0.8, mix.integrative=0.9, "
                     "negotiation.matching=neighbours (all: `rembug settings`)")
    run.add_argument("--out", help="write the per-season table (.csv or .parquet; Parquet also carries the seed, "
                     "scenario, settings and version)")
    run.add_argument("--all", action="store_true", help="print every run measure, not only the headline ones")
    run.set_defaults(func=cmd_run)
    sw = sub.add_parser("sweep", help="run a parameter sweep from a spec file",
                        description="Run every run of a sweep file (see sweeps/ and docs/research.md) and write a "
                        "self-contained folder: the results (results.parquet, written in chunks as runs finish), the "
                        "design, the resolved scenario and a manifest of what ran where and when. Ctrl-C stops it "
                        "within seconds and keeps what finished; --resume continues it, and refuses if the scenario, "
                        "the sweep, the model version or the seeds changed.")
    sw.add_argument("spec", help="a sweep file (.toml)")
    sw.add_argument("--out", help="output folder (default: the spec's name without .toml, beside it)")
    _add_workers(sw, "the runs")
    sw.add_argument("--dask", metavar="ADDRESS", help="run on an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    sw.add_argument("--resume", action="store_true", help="continue a sweep in --out, redoing nothing done")
    sw.add_argument("--quiet", action="store_true", help="no progress bar")
    sw.set_defaults(func=cmd_sweep)
    an = sub.add_parser("analyze", help="summaries, sensitivity indices and an HTML report for a sweep directory",
                        description="Summaries with 95% confidence intervals by design point and parameter (and "
                        "policy), Sobol or Morris indices where the design allows, envelopes of every kept measure "
                        "season by season (envelopes.csv), and a self-contained report.html, written into the sweep's "
                        "folder (wherever it has been moved).")
    an.add_argument("directory", help="a folder written by `rembug sweep`")
    an.add_argument("--metric", help="the run measure the report's charts show (default total_welfare_sum; "
                    "see `rembug measures`)")
    an.add_argument("--pattern-seeds", type=int, default=5, metavar="N",
                    help="measure the catalogue's patterns about the base scenario on N fresh seeds for the report "
                    "(default 5; 0 leaves them out)")
    an.add_argument("--outcome", action="append", metavar="NAME=EXPRESSION",
                    help="a run outcome of your own, from the stored run measures and settings, summarised and drawn "
                    "like the others, e.g. --outcome 'per_season=total_welfare_sum/40' (repeatable)")
    _add_workers(an, "the pattern catalogue")
    an.add_argument("--quiet", action="store_true", help="no progress on stderr")
    an.set_defaults(func=cmd_analyze)
    di = sub.add_parser("discover", help="scenario discovery: where in the swept settings a condition holds (PRIM)",
                        description="Scenario discovery on a sweep folder: PRIM (the EMA Workbench's) finds boxes of "
                        "the swept settings inside which the condition holds in most runs, and says them in plain "
                        "words with their coverage (the share of all runs where it holds that the box holds) and "
                        "density (the share of runs in the box where it holds). With policies, a measure is named "
                        "POLICY.measure, so --where can compare them world by world. Writes boxes.json, boxes.csv "
                        "and discovery.md into DIRECTORY/discovery (or --out).")
    di.add_argument("directory", help="a folder written by `rembug sweep`")
    di.add_argument("--where", required=True, metavar="CONDITION",
                    help="the condition, over settings and measures, e.g. \"expand.total_welfare_sum <= "
                    "slice.total_welfare_sum\" or \"collapsed_max > 0\"")
    di.add_argument("--threshold", type=float, default=0.8,
                    help="the density a box must reach, 0 to 1 (default 0.8)")
    di.add_argument("--boxes", type=int, default=3, help="how many boxes to look for, one after another (default 3)")
    di.add_argument("--max-qp", type=float, default=0.05, metavar="P",
                    help="drop restrictions whose quasi-p value is above P (default 0.05; 1 keeps them all)")
    di.add_argument("--peel-alpha", type=float, default=0.05, help="share of runs peeled per step (default 0.05)")
    di.add_argument("--mass-min", type=float, default=0.05, help="smallest share of runs a box holds (default 0.05)")
    di.add_argument("--inputs", nargs="+", metavar="SETTING", help="only these swept settings (default: all that vary)")
    di.add_argument("--out", help="folder for the boxes (default: DIRECTORY/discovery)")
    di.add_argument("--quiet", action="store_true", help="no progress on stderr")
    di.set_defaults(func=cmd_discover)
    pa = sub.add_parser("patterns", help="measure the pattern catalogue: every claim the model makes, with 95%% CIs",
                        description="Measure every pattern of the catalogue (each claim the model makes, with its "
                        "source) on fresh seeds, with 95% confidence intervals and a verdict: holds, unclear or "
                        "fails. Writes patterns.md, patterns.html and patterns.csv.")
    pa.add_argument("--seeds", type=int, default=30, help="how many seeds (default 30)")
    pa.add_argument("--first-seed", type=int, default=10_000,
                    help="the first seed (default 10000: the test suite only uses seeds below 1000)")
    _add_workers(pa, "the catalogue's runs")
    pa.add_argument("--out", default="patterns", help="directory for patterns.md, .html and .csv (default patterns/)")
    pa.add_argument("--only", nargs="+", metavar="PREFIX", help="only the patterns whose names start so")
    pa.add_argument("--readme", metavar="FILE", help="also replace the claims table between the markers in FILE")
    pa.add_argument("--quiet", action="store_true", help="no progress bar")
    pa.set_defaults(func=cmd_patterns)
    rb = sub.add_parser("robustness", help="one-at-a-time screen of the expand-vs-slice gap, with where it tips",
                        description="Move one setting at a time across its range around a preset and measure the gap "
                        "between expanding and slicing the pie (everyone integrative minus everyone distributive, same "
                        "river and years) on fresh seeds, with its decomposition and the mechanism that tips it.")
    rb.add_argument("--scenario", default="mixed_village", help="the preset screened (default mixed_village)")
    rb.add_argument("--seeds", type=int, default=20, help="seeds per level (default 20; the docs use 30)")
    rb.add_argument("--first-seed", type=int, default=20_000,
                    help="the first seed (default 20000: above the tests' and the pattern catalogue's)")
    rb.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    rb.add_argument("--only", nargs="+", metavar="SETTING", help="only these factors (e.g. water.inflow trust.initial)")
    rb.add_argument("--out", default="robustness", help="directory for the tables, robustness.md and robustness.png")
    rb.add_argument("--docs", metavar="FILE", help="also replace the block between the robustness markers in FILE")
    rb.add_argument("--quiet", action="store_true", help="no progress bar")
    rb.set_defaults(func=cmd_robustness)
    sc = sub.add_parser("scenarios", help="list the preset scenarios")
    sc.add_argument("--lang", choices=["en", "id"], default="en")
    sc.set_defaults(func=cmd_scenarios)
    se = sub.add_parser("settings", help="every setting: key, default, range, unit and meaning")
    se.add_argument("--lang", choices=["en", "id"], default="en")
    se.set_defaults(func=cmd_settings)
    me = sub.add_parser("measures", help="every measure: season measures and run measures, with units and meanings")
    me.add_argument("--lang", choices=["en", "id"], default="en")
    me.set_defaults(func=cmd_measures)
    ro = sub.add_parser("room", help="live rooms: a workshop where each participant plays an organisation")
    room_sub = ro.add_subparsers(dest="room_command", required=True)
    rc = room_sub.add_parser("create", help="create a room; prints its code, join link and facilitator's link (JSON)")
    rc.add_argument("--scenario", default="mixed_village", help="a preset id or a scenario .toml file")
    rc.add_argument("--seats", type=int, default=30, help="seats, 2 to 60; empty seats are played by bots")
    rc.add_argument("--seed", type=int, help="the room's seed (default: the scenario's)")
    rc.add_argument("--seasons", type=int, action=_RoomSeasons)
    rc.add_argument("--term", type=int, default=1, help="seasons each meeting's agreement covers, 1 to 4 (default 1: "
                    "a meeting every season; 2 or more lets wells pay back within a workshop); --seasons is then a "
                    "multiple of it")
    rc.add_argument("--mix", action="store_true", help="draw partners afresh at random at every meeting, so "
                    "participants meet different people (default: pairs who trust each other stay together)")
    rc.add_argument("--pin", help="a PIN of 3 to 8 digits that joining needs on top of the room code")
    rc.add_argument("--hours", type=float, default=12.0, help="hours before the room expires (default 12, at most 72)")
    rc.add_argument("--url", default="http://localhost:8501", help="the app's address, for the links (localhost "
                    "becomes this laptop's network address, which phones can open)")
    rc.add_argument("--db", type=Path, default=ROOMS_DB, help=f"the rooms database (default {ROOMS_DB.name} next to "
                    "the app, or $REMBUG_ROOMS_DB)")
    rc.set_defaults(func=cmd_room_create)
    rl = room_sub.add_parser("list", help="the rooms on this laptop, newest first (code, stage, who joined)")
    rl.add_argument("--all", action="store_true", help="expired rooms too")
    rl.add_argument("--db", type=Path, default=ROOMS_DB, help=f"the rooms database (default {ROOMS_DB.name})")
    rl.set_defaults(func=cmd_room_list)
    rk = room_sub.add_parser("link", help="a new facilitator's link for a room whose link is lost (the old one "
                             "stops working)")
    rk.add_argument("code", help="the room's code (see `rembug room list`)")
    rk.add_argument("--url", default="http://localhost:8501", help="the app's address, for the link (localhost "
                    "becomes this laptop's network address)")
    rk.add_argument("--db", type=Path, default=ROOMS_DB, help=f"the rooms database (default {ROOMS_DB.name})")
    rk.set_defaults(func=cmd_room_link)
    rx = room_sub.add_parser("export", help="write a room's record (one row per decision) for research and replay",
                             description="Write a room's record: one row per decision (season, seat, name, partner, "
                             "what was asked, the answer, what the seat was shown, the phone's language, who chose it: "
                             "the person or the timer), each offer the computer made (chosen_by computer) and the "
                             "room's timeline (kind stage: every stage opened and closed, pauses, changes), with the "
                             "room's settings and seed: as the columns scenario, seed, seasons_played and settings "
                             "(JSON) in a .csv file, in the metadata of a .parquet file. The app's download buttons "
                             "write the same files. Only the facilitator's secret opens it.")
    rx.add_argument("code", help="the room's code")
    rx.add_argument("--secret", required=True,
                    help="the facilitator's secret (the host= part of the facilitator's link)")
    rx.add_argument("--out", required=True, metavar="FILE",
                    help="a .csv or .parquet file")
    rx.add_argument("--pseudonymise", action="store_true", help="names as P01, P02, ... (one per person)")
    rx.add_argument("--db", type=Path, default=ROOMS_DB, help=f"the rooms database (default {ROOMS_DB.name})")
    rx.set_defaults(func=cmd_room_export)
    rr = room_sub.add_parser("replay", help="rebuild a room's village from its exported record and summarise it",
                             description="Rebuild a room's village from its record alone (the same scenario, seed and "
                             "decisions give the same village) and print each season: agreements, grabs, broken "
                             "agreements, water left and net harvest.")
    rr.add_argument("file", metavar="FILE", help="a record from `rembug room export` or the app's download "
                    "buttons (.csv or .parquet)")
    rr.add_argument("--out", metavar="FILE", help="also write the per-season table (.csv or .parquet)")
    rr.add_argument("--organisations", metavar="FILE", help="also write one row per seat per season (water, payoff, "
                    "breaches, reputation, and whether a person played it), .csv or .parquet")
    rr.set_defaults(func=cmd_room_replay)
    va = sub.add_parser("validate", help="check a scenario or sweep file and say exactly what is wrong")
    va.add_argument("file")
    va.set_defaults(func=cmd_validate)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        from sim.negotiation import kernels

        kernels.mode()  # a mistyped REMBUG_KERNELS is named before any run starts
        return args.func(args)
    except InputError as error:  # a ScenarioError too: it lists every problem
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the output was piped into `head` or similar, which stopped reading
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted: finished runs are saved; continue with --resume", file=sys.stderr)
        return 130
    except Exception as error:  # a bug, not bad input: one line, and the details on request
        if os.environ.get("REMBUG_DEBUG"):
            raise
        print(f"error: {type(error).__name__}: {error} (set REMBUG_DEBUG=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

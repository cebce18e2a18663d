"""The `rembug` command line (also `python -m sim`): a thin shell that reads files, calls the library, writes files.

Bad input ends with one readable message on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

import pandas as pd

from sim import __version__
from sim.errors import InputError
from sim.scenarios import DEFAULT_DIRECTORY, ScenarioError, builtin_scenarios, find_scenario, with_changes


def _value(raw: str):
    """A --set value as TOML would read it (numbers, true/false, strings, inline tables)."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _write_table(frame: pd.DataFrame, out: Path) -> None:
    if out.suffix == ".parquet":
        frame.to_parquet(out, index=False)
    elif out.suffix == ".csv":
        frame.to_csv(out, index=False)
    else:
        raise InputError("--out", f"{out.name!r} has an unknown format", "a .csv or .parquet file")


def cmd_run(args: argparse.Namespace) -> int:
    from sim.commons import CommonsModel

    scenario = find_scenario(args.scenario, field="SCENARIO")
    changes = {}
    for item in args.set or []:
        key, sep, raw = item.partition("=")
        if not sep:
            raise InputError("--set", f"{item!r} is not key=value", "e.g. --set trust.initial=0.8")
        changes[key.strip()] = _value(raw.strip())
    if args.seed is not None:
        changes["world.seed"] = args.seed
    if args.seasons is not None:
        changes["world.seasons"] = args.seasons
    config = with_changes(scenario.config, changes, "--set") if changes else scenario.config
    table = CommonsModel(config).run().season_table()
    if args.out:
        _write_table(table, Path(args.out))
    last = table.iloc[-1]
    collapsed = table.index[table.collapsed > 0]
    lines = [
        f"{scenario.title('en')} ({scenario.id}): {config.world.organisations} organisations, "
        f"{config.world.seasons} seasons, seed {config.world.seed}",
        f"  total welfare          {table.total_welfare.sum():10.1f}",
        f"  water left             {last.stock_share:10.0%} of storage",
        f"  infrastructure         {last.infrastructure:10.1f}",
        f"  agreements             {table.agreement_rate.mean():10.0%} of pairs (mean)",
        f"  Gini of payoffs        {table.gini.mean():10.2f} (mean)",
        f"  mean trust at the end  {last.mean_trust:10.2f}",
        f"  collapse               {'season ' + str(int(collapsed[0])) if len(collapsed) else 'never':>10}",
    ]
    lines += [f"  share {c[6:]:<17}{last[c]:10.0%}" for c in table.columns if c.startswith("share_")]
    if args.out:
        lines.append(f"  per-season table written to {args.out}")
    print("\n".join(lines))
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sim.experiments import load_sweep, sweep

    spec = load_sweep(args.spec)
    out = Path(args.out) if args.out else Path(args.spec).with_suffix("")
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


def cmd_analyze(args: argparse.Namespace) -> int:
    from sim.experiments.analyze import analyse, report_html, uncertain_indices
    from sim.experiments.spec import parse_sweep
    from sim.experiments.store import Store

    store = Store(args.directory)
    manifest = store.manifest()
    if manifest is None:
        raise InputError(str(args.directory), "holds no sweep (no manifest.json)", "a directory written by `rembug sweep`")
    spec = parse_sweep(manifest["spec"], "manifest spec")
    results = Path(args.directory) / "results.parquet"
    table = pd.read_parquet(results) if results.exists() else store.read_chunks()[0]
    if table.empty:
        raise InputError(str(args.directory), "has no results yet", "run or resume the sweep first")
    analysis = analyse(spec, table)
    directory = Path(args.directory)
    analysis.by_point.to_csv(directory / "summary_by_point.csv", index=False)
    for name, frame in analysis.by_parameter.items():
        frame.to_csv(directory / f"summary_by_{name.replace('.', '_')}.csv", index=False)
    for metric, frame in analysis.sensitivity.items():
        frame.to_csv(directory / f"sensitivity_{metric}.csv", index=False)
    (directory / "report.html").write_text(report_html(analysis, args.metric), encoding="utf-8")
    incomplete = "" if manifest.get("complete") else " (the sweep is not complete: partial results)"
    print(f"{len(analysis.end)} runs analysed{incomplete}; report: {directory / 'report.html'}")
    if analysis.sensitivity:
        for metric, frame in analysis.sensitivity.items():
            print(f"sensitivity of {metric}:\n{frame.to_string(index=False, float_format=lambda v: f'{v:.3f}')}")
        uncertain = uncertain_indices(analysis)
        if uncertain:
            print(f"note: the indices of {', '.join(uncertain)} are uncertain (a confidence interval wider than the "
                  f"index); raise sweep.sampling.samples (now {spec.settings.sampling.samples}) and sweep again")
    return 0


README_START, README_END = "<!-- patterns:start -->", "<!-- patterns:end -->"


def cmd_patterns(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sim.patterns import FRESH_SEEDS_FROM, catalogue, measure, to_html, to_markdown

    if args.seeds < 2:
        raise InputError("--seeds", f"{args.seeds} gives no confidence interval", "2 or more (30 for the README)")
    if args.first_seed < 0:
        raise InputError("--first-seed", f"{args.first_seed} is negative", "0 or more")
    if args.workers < 1:
        raise InputError("--workers", f"{args.workers} is not a number of processes", "1 or more")
    patterns = [p for p in catalogue() if not args.only or any(p.key.startswith(o) for o in args.only)]
    if not patterns:
        raise InputError("--only", f"{' '.join(args.only)} matches no pattern", "a prefix of a pattern name, e.g. engine. or trust_helps.")
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
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
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


def cmd_scenarios(args: argparse.Namespace) -> int:
    for sid, scenario in builtin_scenarios(DEFAULT_DIRECTORY).items():
        flag = " (default)" if scenario.meta.default else ""
        print(f"{sid:22s} {scenario.title(args.lang)}{flag}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.experiments.design import build_design
    from sim.experiments.spec import parse_sweep
    from sim.scenarios import parse_scenario

    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot be read: {error.strerror or error}") from None
    try:
        is_sweep = "sweep" in tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError:
        is_sweep = False
    if is_sweep:
        spec = parse_sweep(raw, path.name, path.parent)
        runs = len(build_design(spec).points) * spec.settings.replications
        print(f"{path.name}: a valid sweep of {runs} runs over {', '.join(spec.names)} on {spec.scenario.id}")
    else:
        scenario = parse_scenario(raw, path.name)
        print(f"{path.name}: a valid scenario, {scenario.id!r}: {scenario.title('en')}")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="rembug", description="Rembug: negotiation over a shared river, for research.")
    main.add_argument("--version", action="version", version=f"rembug {__version__}")
    sub = main.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one scenario and summarise it")
    run.add_argument("scenario", help="a preset id (see `rembug scenarios`) or a scenario .toml file")
    run.add_argument("--seed", type=int)
    run.add_argument("--seasons", type=int)
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help="change a setting, e.g. trust.initial=0.8")
    run.add_argument("--out", help="write the per-season table (.csv or .parquet)")
    run.set_defaults(func=cmd_run)
    sw = sub.add_parser("sweep", help="run a parameter sweep from a spec file")
    sw.add_argument("spec")
    sw.add_argument("--out", help="output directory (default: the spec's name)")
    sw.add_argument("--workers", type=int, default=1, help="local worker processes")
    sw.add_argument("--dask", metavar="ADDRESS", help="run on an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    sw.add_argument("--resume", action="store_true", help="continue a sweep in --out, redoing nothing done")
    sw.add_argument("--quiet", action="store_true", help="no progress bar")
    sw.set_defaults(func=cmd_sweep)
    an = sub.add_parser("analyze", help="summaries, sensitivity indices and an HTML report for a sweep directory")
    an.add_argument("directory")
    an.add_argument("--metric", help="the measure the report's charts show (default total_welfare)")
    an.set_defaults(func=cmd_analyze)
    pa = sub.add_parser("patterns", help="measure the pattern catalogue: every claim the model makes, with 95%% CIs")
    pa.add_argument("--seeds", type=int, default=30, help="how many seeds (default 30)")
    pa.add_argument("--first-seed", type=int, default=10_000,
                    help="the first seed (default 10000: the test suite only uses seeds below 1000)")
    pa.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    pa.add_argument("--out", default="patterns", help="directory for patterns.md, .html and .csv (default patterns/)")
    pa.add_argument("--only", nargs="+", metavar="PREFIX", help="only the patterns whose names start so")
    pa.add_argument("--readme", metavar="FILE", help="also replace the claims table between the markers in FILE")
    pa.add_argument("--quiet", action="store_true", help="no progress bar")
    pa.set_defaults(func=cmd_patterns)
    sc = sub.add_parser("scenarios", help="list the preset scenarios")
    sc.add_argument("--lang", choices=["en", "id"], default="en")
    sc.set_defaults(func=cmd_scenarios)
    va = sub.add_parser("validate", help="check a scenario or sweep file and say exactly what is wrong")
    va.add_argument("file")
    va.set_defaults(func=cmd_validate)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as error:
        print(f"error: {error.describe()}", file=sys.stderr)
        return 2
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
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

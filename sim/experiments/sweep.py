"""Running a whole sweep: in this process, on local worker processes, or on a Dask cluster, with identical results.

``sweep(spec)`` returns the table. With ``out=DIR`` results are written in chunks as they finish, so a sweep killed at
any moment continues with ``resume=True``, losing no run and repeating none; the final table is the same as an
uninterrupted sweep's, whatever the number of workers and whatever order runs finished in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from pathlib import Path

import pandas as pd

from sim._pool import LifelinePool
from sim.errors import InputError
from sim.experiments.design import build_design, runs_table
from sim.experiments.runner import RunContext, RunTask, execute
from sim.experiments.spec import Sweep, load_sweep, parse_sweep
from sim.experiments.store import Store
from sim.measures import MEASURES

FLUSH_RUNS = 16  # write a chunk at least every this many finished runs...
FLUSH_SECONDS = 2.0  # ...or this often, so a killed sweep loses at most a few seconds of work


def _as_sweep(spec: Sweep | dict | str | Path) -> Sweep:
    """A Sweep from a Sweep, a dict (the TOML structure), TOML text, or the path of a .toml file."""
    if isinstance(spec, Sweep):
        return spec
    if isinstance(spec, dict):
        return parse_sweep(spec)
    if isinstance(spec, Path) or (isinstance(spec, str) and "\n" not in spec and spec.strip().endswith(".toml")):
        return load_sweep(spec)
    if isinstance(spec, (str, bytes)):
        return parse_sweep(spec)
    raise InputError("spec", f"a {type(spec).__name__} is not a sweep", "a dict, TOML text, or a .toml path")


def identity(sweep_: Sweep, runs: pd.DataFrame, version: str) -> dict:
    """What makes this sweep this sweep (see sim.experiments.store.IDENTITY): resuming compares each part."""
    import hashlib
    import tomllib

    return {
        "model_version": version,
        "scenario": {"id": sweep_.scenario.id, "settings": sweep_.scenario.config.model_dump(mode="json")},
        "sweep": tomllib.loads(sweep_.text),
        "spec": sweep_.text,
        "master_seed": sweep_.settings.master_seed,
        "seeds_sha256": hashlib.sha256(runs.to_csv(index=False).encode("utf-8")).hexdigest(),
        "outcomes": {name: outcome.record() for name, outcome in sweep_.outcomes.items()},
    }


def scenario_toml(scenario) -> str:
    """A scenario as a complete scenario file (every setting written out), as a sweep folder keeps it."""
    import tomli_w

    meta = scenario.meta.model_dump(mode="json")
    meta["default"] = False
    return ("# The base scenario of this sweep as it was resolved when the sweep started: every setting.\n"
            + tomli_w.dumps({"scenario": meta, **scenario.config.model_dump(mode="json")}))


def _tasks(runs: pd.DataFrame, names: list[str]) -> list[RunTask]:
    ids = runs[["run", "point", "replication", "seed"]].to_numpy(dtype="int64")
    columns = [[v.item() if hasattr(v, "item") else v for v in runs[n].tolist()] for n in names]  # Python types
    return [
        RunTask(int(i[0]), int(i[1]), int(i[2]), int(i[3]), tuple((n, c[row]) for n, c in zip(names, columns, strict=True)))
        for row, i in enumerate(ids)
    ]


def _batches(tasks: list[RunTask], size: int) -> list[list[RunTask]]:
    return [tasks[i : i + size] for i in range(0, len(tasks), size)]


def _canonical(table: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """Sort rows by run (and season) and columns in a fixed order, so equal sweeps give equal tables."""
    if table.empty:
        return table
    first = ["run", "point", "replication", "seed", "policy", *sweep.names, "season"]
    middle = [c for c in MEASURES if c in table.columns and c not in first]
    rest = sorted(c for c in table.columns if c not in first and c not in middle and c not in ("status", "error"))
    ordered = [c for c in first if c in table.columns] + middle + rest + ["status", "error"]
    key = [k for k in ("run", "policy", "season") if k in table]
    table = table[ordered]
    if "policy" in table:  # in the order the spec names them
        order = {name: i for i, name in enumerate(sweep.policy_names)}
        return table.sort_values(key, key=lambda c: c.map(order) if c.name == "policy" else c,
                                 kind="stable").reset_index(drop=True)
    return table.sort_values(key, kind="stable").reset_index(drop=True)


UNGUARDED = ("a worker process stopped before it finished any run. In a script, call sim.sweep(..., workers=N) under "
             "`if __name__ == \"__main__\":` (each worker imports the script again, and without the guard the script "
             "starts the sweep again inside it); a notebook needs nothing")


def _in_a_starting_worker() -> bool:
    """True while a new worker process imports the parent's script (multiprocessing sets this while it does)."""
    import multiprocessing

    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def _local(context: RunContext, batches: list[list[RunTask]], workers: int) -> Iterator[pd.DataFrame]:
    if workers <= 1:
        for batch in batches:
            yield execute(context, batch)
        return
    from concurrent.futures.process import BrokenProcessPool

    # A fork server, with the model preloaded: workers start fast, and no thread of this process is forked. The
    # workers leave when this process dies, even by SIGKILL (sim._pool).
    pool = LifelinePool(workers, preload=["sim.experiments.runner"])
    received = 0
    try:
        pending = {pool.submit(execute, context, batch) for batch in batches}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    frame = future.result()
                except BrokenProcessPool:
                    if received == 0:
                        raise InputError("workers", UNGUARDED) from None
                    raise
                received += 1
                yield frame
    except BaseException:  # Ctrl-C, an error, or the caller stopped reading: stop the workers now, not at the end
        pool.stop_now()
        raise
    pool.shutdown()


def _dask(context: RunContext, batches: list[list[RunTask]], address) -> Iterator[pd.DataFrame]:
    from distributed import Client, as_completed

    client = address if isinstance(address, Client) else Client(address)
    futures = []
    try:
        futures = [client.submit(execute, context, batch, pure=False) for batch in batches]
        for future in as_completed(futures):
            yield future.result()
    except BaseException:  # Ctrl-C or an error: the cluster drops what has not finished
        client.cancel(futures)
        raise
    finally:
        if client is not address:
            client.close()


def sweep(
    spec: Sweep | dict | str | Path,
    *,
    out: str | Path | None = None,
    workers: int = 1,
    dask=None,
    resume: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    version: str = "",
    outcomes: dict[str, Callable] | None = None,
) -> pd.DataFrame:
    """Run every run of ``spec`` (a Sweep, a dict, TOML text or a .toml path) and return the tidy results table.

    ``workers``: local processes; ``dask``: a Dask scheduler address or Client (then ``workers`` is ignored).
    ``on_start(total, already_done)`` and ``on_progress(n)`` let a shell draw a progress bar.
    ``outcomes``: run measures of your own, ``{"name": function(season_table) -> float}`` (with workers, functions
    defined at module level); a sweep file's ``[outcomes]`` can give expressions (sim.experiments.outcomes).
    """
    if not isinstance(workers, int) or workers < 1:
        raise InputError("workers", f"{workers!r} is not a positive whole number", "1 or more")
    if workers > 1 and dask is None and _in_a_starting_worker():
        # A script without the __main__ guard, imported again by a new worker: leave quietly (SystemExit passes the
        # worker's error printing); the parent says what happened, once.
        raise SystemExit(1)
    sweep_ = _as_sweep(spec).with_outcomes(outcomes)
    if not version:
        from sim import __version__ as version
    design = build_design(sweep_)
    runs = runs_table(sweep_, design)
    store = Store(out) if out is not None else None
    done = pd.DataFrame()
    if store is not None:
        store.prepare(record=identity(sweep_, runs, version), runs=runs, resume=resume,
                      scenario_toml=scenario_toml(sweep_.scenario))
        done, _removed = store.read_chunks()
    finished = set(done["run"].astype(int)) if not done.empty else set()
    todo = runs[~runs["run"].isin(finished)]
    if on_start is not None:
        on_start(len(runs), len(finished))
    context = RunContext(sweep_.scenario.config.model_dump_json(), sweep_.settings.keep, tuple(sweep_.kept()),
                         tuple((name, tuple(settings.items())) for name, settings in sweep_.policies.items()),
                         tuple(sweep_.outcomes.values()))
    tasks = _tasks(todo, sweep_.names)
    parallel = dask is not None or workers > 1
    size = max(1, min(16, len(tasks) // (8 * (workers if dask is None else 4)) or 1)) if parallel else 8
    batches = _batches(tasks, size)
    results = _dask(context, batches, dask) if dask is not None else _local(context, batches, workers)

    frames = [done] if not done.empty else []
    buffer: list[pd.DataFrame] = []
    last_flush = time.monotonic()
    completed = set(finished)

    def flush() -> None:
        nonlocal buffer, last_flush
        if store is not None and buffer:
            chunk = pd.concat(buffer, ignore_index=True)
            store.write_chunk(chunk)
            completed.update(int(r) for r in chunk["run"].unique())
            store.write_manifest(done_runs=completed)
        buffer = []
        last_flush = time.monotonic()

    pending_runs = 0
    try:
        for frame in results:
            frames.append(frame)
            buffer.append(frame)
            n = int(frame["run"].nunique())
            pending_runs += n
            if on_progress is not None:
                on_progress(n)
            if pending_runs >= FLUSH_RUNS or time.monotonic() - last_flush >= FLUSH_SECONDS:
                flush()
                pending_runs = 0
    finally:  # also on Ctrl-C: the workers stop (the generator's own handler), and what finished is kept
        results.close()
        flush()
    table = _canonical(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(), sweep_)
    if store is not None:
        store.write_manifest(done_runs=completed)  # also when this attempt had nothing left to run: it is on record
        store.finish(table)
    return table

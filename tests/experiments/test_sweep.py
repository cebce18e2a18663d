"""Sweeps: designs, seeds that ignore workers, identical tables locally and on Dask, kill-and-resume, failures."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments import build_design, parse_sweep, run_seed, runs_table
from sim.experiments.store import Store

SPEC = """
[sweep]
scenario = "mixed_village"
replications = {reps}
master_seed = 11
keep = "{keep}"
metrics = ["total_welfare", "stock_share", "collapsed", "share_integrative", "welfare_integrative", "welfare_distributive"]

[sweep.sampling]
method = "{method}"
samples = {samples}

[parameters]
"trust.initial" = {{ low = 0.1, high = 0.9, steps = 3 }}
"water.inflow" = {{ values = [0.8, 1.0] }}
"world.seasons" = {{ values = [8] }}
"world.organisations" = {{ values = [10] }}
"""


def spec(method="grid", reps=2, keep="end", samples=8) -> str:
    return SPEC.format(method=method, reps=reps, keep=keep, samples=samples)


def test_designs():
    grid = build_design(parse_sweep(spec()))
    assert len(grid.points) == 3 * 2 and sorted(grid.points["trust.initial"].unique()) == [0.1, 0.5, 0.9]
    latin = parse_sweep(spec("latin", samples=20))
    points = build_design(latin).points
    assert len(points) == 20 and points["trust.initial"].between(0.1, 0.9).all()
    pd.testing.assert_frame_equal(points, build_design(parse_sweep(spec("latin", samples=20))).points)
    sobol = build_design(parse_sweep(spec("sobol", samples=8))).points
    assert len(sobol) == 8 * (2 + 2)  # Saltelli: N (D + 2), D = the two parameters with a range
    assert (sobol["world.seasons"] == 8).all()  # single values are held constant
    morris = build_design(parse_sweep(spec("morris", samples=5))).points
    assert len(morris) == 5 * (2 + 1)


def test_every_run_has_its_own_seed_from_the_master_seed_alone():
    sweep = parse_sweep(spec(reps=3))
    runs = runs_table(sweep, build_design(sweep))
    assert runs["seed"].is_unique
    assert runs.loc[5, "seed"] == run_seed(11, 5)
    assert run_seed(11, 5) != run_seed(12, 5)


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return sim.sweep(spec())


def test_same_table_with_one_or_two_local_workers(reference):
    pd.testing.assert_frame_equal(reference, sim.sweep(spec(), workers=2))
    assert (reference["status"] == "ok").all() and reference["run"].tolist() == list(range(12))


def test_same_table_on_a_dask_cluster(reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            pd.testing.assert_frame_equal(reference, sim.sweep(spec(), dask=client))
            pd.testing.assert_frame_equal(reference, sim.sweep(spec(), dask=cluster.scheduler_address))


def test_keeping_every_season():
    table = sim.sweep(spec(reps=1, keep="seasons"))
    assert len(table) == 6 * 8 and table.groupby("run").season.max().eq(7).all()


def test_kill_and_resume_loses_and_repeats_nothing(tmp_path):
    """SIGKILL a running sweep at random moments, resume it each time; the final table equals an uninterrupted one."""
    text = spec(reps=60)  # 360 runs: long enough that a kill lands while one runs
    path = tmp_path / "spec.toml"
    path.write_text(text)
    out = tmp_path / "out"
    uninterrupted = sim.sweep(text)
    command = [sys.executable, "-m", "sim", "sweep", str(path), "--out", str(out), "--quiet"]
    rng = random.Random(3)
    kills = 0
    for attempt in range(12):
        proc = subprocess.Popen(command + (["--resume"] if attempt else []), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=rng.uniform(1.5, 4.0))
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
            continue
        assert proc.returncode == 0, proc.stderr.read().decode()
        break
    else:
        pytest.fail("the sweep never finished")
    assert kills >= 1
    final = pd.read_parquet(out / "results.parquet")
    pd.testing.assert_frame_equal(final, uninterrupted)
    manifest = Store(out).manifest()
    assert manifest["complete"] and manifest["done"] == 360 and manifest["done_runs"] == [[0, 359]]


def test_a_torn_chunk_is_detected_and_redone(tmp_path):
    out = tmp_path / "out"
    complete = sim.sweep(spec(), out=out)
    chunks = sorted((out / "chunks").glob("*.parquet"))
    chunks[0].write_bytes(chunks[0].read_bytes()[:100])  # torn mid-write (as a crashed disk would leave it)
    (out / "chunks" / ".part-x.parquet.tmp").write_bytes(b"half")
    resumed = sim.sweep(spec(), out=out, resume=True)
    pd.testing.assert_frame_equal(resumed, complete)
    assert not list((out / "chunks").glob(".*.tmp"))


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(monkeypatch):
    from sim.commons import model

    original = model.CommonsModel.act

    def sometimes_broken(self):
        if self.config.trust.initial > 0.8:
            raise ZeroDivisionError("degenerate settings")
        original(self)

    monkeypatch.setattr(model.CommonsModel, "act", sometimes_broken)
    table = sim.sweep(spec())
    failed = table[table["status"] == "error"]
    assert len(failed) == 4 and (failed["trust.initial"] == 0.9).all()
    assert failed["error"].str.contains("ZeroDivisionError: degenerate settings").all()
    assert (table[table["status"] == "ok"]["total_welfare"].notna()).all() and len(table) == 12


def test_refuses_to_mix_sweeps_in_one_directory(tmp_path):
    out = tmp_path / "out"
    sim.sweep(spec(), out=out)
    with pytest.raises(sim.InputError, match="--resume"):
        sim.sweep(spec(), out=out)
    with pytest.raises(sim.InputError, match="different sweep"):
        sim.sweep(spec(reps=3), out=out, resume=True)


def test_results_are_numbers_per_run():
    table = sim.sweep(spec("latin", reps=1, samples=6))
    assert len(table) == 6 and np.isfinite(table["total_welfare"]).all()


def test_a_killed_sweep_leaves_no_process_behind(tmp_path):
    """SIGKILL the sweep's main process while two workers run: its workers, the fork server and the resource
    tracker are all gone within a few seconds (the workers hold a pipe only the main process writes to)."""
    psutil = pytest.importorskip("psutil")
    path = tmp_path / "spec.toml"
    path.write_text(spec(reps=200))
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(path), "--out", str(tmp_path / "out"), "--quiet",
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main = psutil.Process(proc.pid)
    helpers: list = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(helpers) < 4:  # resource tracker, fork server, two workers
        time.sleep(0.2)
        helpers = main.children(recursive=True)
    assert len(helpers) >= 4, helpers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(helpers, timeout=5)
    for leftover in alive:  # clean up before failing, so a broken build does not leave them either
        leftover.kill()
    assert not alive, [p.cmdline() for p in alive]

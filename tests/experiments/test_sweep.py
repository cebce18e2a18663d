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
metrics = ["total_welfare", "stock_share_end", "collapsed", "share_integrative", "welfare_integrative", "welfare_distributive"]

[sweep.sampling]
method = "{method}"
samples = {samples}

[parameters]
"trust.initial" = {{ low = 0.1, high = 0.9, levels = 3 }}
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


def test_keeping_every_season(reference):
    table = sim.sweep(spec(reps=1, keep="seasons"))
    assert len(table) == 6 * 8 and table.groupby("run").season.max().eq(7).all()
    assert "total_welfare" in table and "total_welfare_sum" not in table  # season measures, by their own names


def test_one_row_per_run_holds_run_measures_never_a_season_value(reference):
    """keep = "end" stores run measures under their own names: welfare summed over the run, not the last season's."""
    assert "total_welfare" not in reference and "total_welfare_sum" in reference and "stock_share_end" in reference
    seasons = sim.sweep(spec(keep="seasons"))
    from sim.measures import run_measures

    computed = run_measures(seasons, by="run")
    pd.testing.assert_series_equal(computed["total_welfare_sum"], reference["total_welfare_sum"], check_names=False)
    last = seasons.groupby("run").total_welfare.last().to_numpy()
    assert not np.allclose(reference["total_welfare_sum"].to_numpy(), last)


def test_a_sweep_from_a_dict_a_toml_string_or_a_path(tmp_path, reference):
    import tomllib

    data = tomllib.loads(spec())
    path = tmp_path / "spec.toml"
    path.write_text(spec())
    pd.testing.assert_frame_equal(sim.sweep(data), reference)
    pd.testing.assert_frame_equal(sim.sweep(str(path)), reference)
    pd.testing.assert_frame_equal(sim.sweep(path), reference)


TYPED = """
[sweep]
scenario = "mixed_village"
master_seed = 2
metrics = ["total_welfare"]
[sweep.sampling]
method = "{method}"
samples = 4
[parameters]
"negotiation.matching" = {{ values = ["random", "neighbours"] }}
"backbone.present" = {{ values = [false, true] }}
"world.organisations" = {{ low = 8, high = 12, levels = 3 }}
"world.seasons" = {{ values = [3] }}
"""


@pytest.mark.parametrize("method", ["grid", "latin", "morris"])
def test_parameters_keep_their_types(method):
    """Words stay words, yes/no stays true/false and whole numbers stay whole, in the design and the table."""
    table = sim.sweep(TYPED.format(method=method))
    assert (table["status"] == "ok").all(), table["error"].unique()
    assert table["negotiation.matching"].isin(["random", "neighbours"]).all()
    assert table["backbone.present"].dtype == bool and table["world.organisations"].dtype == np.int64
    assert table["world.seasons"].dtype == np.int64
    if method == "grid":
        assert len(table) == 2 * 2 * 3 and sorted(table["world.organisations"].unique()) == [8, 10, 12]
    else:
        assert table["world.organisations"].between(8, 12).all()


def test_sobol_samples_are_a_power_of_two_and_the_researcher_is_told():
    sweep = parse_sweep(spec("sobol", samples=6))
    assert sweep.samples == 8 and any("rounded up to 8" in n for n in sweep.notes)
    assert len(build_design(sweep).points) == 8 * (2 + 2)


SLOW_START = 4.0
"""Seconds each sweep process idles before it starts: Python's own start-up on a loaded machine (2.2-5.8 s at load
4). The old version of the next test killed each attempt 1.5-4 s after starting it, so on such a machine every kill
landed before the first run and the sweep "never finished"; killing on observed progress does not care."""


def test_kill_and_resume_loses_and_repeats_nothing(tmp_path):
    """SIGKILL a running sweep at random moments, resume it each time; the final table equals an uninterrupted one.
    Each kill waits for the sweep to have saved new runs (an event), then for a random number of further runs, never
    for a fixed time, so a slow or loaded machine changes how long the test takes, not whether it passes."""
    text = spec(reps=40)  # 240 runs: the second kill lands at most 191 runs in, so there are always two
    path = tmp_path / "spec.toml"
    path.write_text(text)
    out = tmp_path / "out"
    uninterrupted = sim.sweep(text)
    slow = f"import sys, time; time.sleep({SLOW_START}); from sim.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", slow, "sweep", str(path), "--out", str(out), "--quiet", "--workers", "1"]
    rng = random.Random(3)
    kills = 0
    for attempt in range(40):
        before = _done(out)
        proc = subprocess.Popen(command + (["--resume"] if attempt else []), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        further = 0 if attempt == 0 else rng.randrange(32, 160)  # the first kill lands at its first saved runs
        deadline = time.monotonic() + 300
        while proc.poll() is None and _done(out) <= before + further and time.monotonic() < deadline:
            time.sleep(0.02)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
            assert _done(out) > before, "a kill landed before the sweep saved anything new"
            continue
        assert proc.returncode == 0, proc.stderr.read().decode()
        break
    else:
        pytest.fail(f"the sweep never finished ({kills} kills)")
    assert kills >= 2
    final = pd.read_parquet(out / "results.parquet")
    pd.testing.assert_frame_equal(final, uninterrupted)
    manifest = Store(out).manifest()
    assert manifest["complete"] and manifest["done"] == 240 and manifest["done_runs"] == [[0, 239]]
    assert len(manifest["attempts"]) == kills + 1  # the start and every resume are on record


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
    assert (table[table["status"] == "ok"]["total_welfare_sum"].notna()).all() and len(table) == 12


def test_refuses_to_mix_sweeps_in_one_directory(tmp_path):
    out = tmp_path / "out"
    sim.sweep(spec(), out=out)
    with pytest.raises(sim.InputError, match="--resume"):
        sim.sweep(spec(), out=out)
    with pytest.raises(sim.InputError, match="different sweep"):
        sim.sweep(spec(reps=3), out=out, resume=True)


def test_results_are_numbers_per_run():
    table = sim.sweep(spec("latin", reps=1, samples=6))
    assert len(table) == 6 and np.isfinite(table["total_welfare_sum"]).all()


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


def test_grid_levels_are_the_numbers_a_person_would_write():
    from sim.experiments.spec import Parameter

    assert Parameter("trust.initial", "number", None, 0.1, 0.9, 5).grid() == [0.1, 0.3, 0.5, 0.7, 0.9]


def _wait_for(condition, what: str, timeout: float = 120.0, proc: subprocess.Popen | None = None):
    """Wait until ``condition()`` gives something true (polled every 50 ms), failing after ``timeout`` seconds or as
    soon as ``proc`` ends: waiting on an event, so a loaded machine is slower but never fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the sweep ended (status {proc.returncode}) before {what}: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen within {timeout:.0f} s")


def _done(out: Path) -> int:
    try:
        return (Store(out).manifest() or {}).get("done", 0)
    except sim.InputError:  # caught between two writes of the manifest (each is atomic; a read can still race)
        return 0


def test_ctrl_c_stops_a_two_worker_sweep_within_seconds_and_leaves_no_process(tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while two workers run: the prompt is back
    within 5 s, no worker, fork server or resource tracker is left, and every run that finished is kept. Before, the
    workers took the signal as a failed task and computed the rest of the sweep, which the parent waited for."""
    psutil = pytest.importorskip("psutil")
    path = tmp_path / "spec.toml"
    path.write_text(spec(reps=400))  # 2,400 runs: far more than can finish between the signal and the check
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(path), "--out", str(out), "--quiet",
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        main = psutil.Process(proc.pid)
        _wait_for(lambda: _done(out) > 0, "the first finished runs were saved", proc=proc)
        helpers = _wait_for(lambda: (lambda c: c if len(c) >= 4 else None)(main.children(recursive=True)),
                            "the fork server, the resource tracker and two workers ran", proc=proc)
        saved_before = _done(out)
        sent = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail("the sweep still ran 60 s after Ctrl-C")
        seconds = time.monotonic() - sent
        gone, alive = psutil.wait_procs(helpers, timeout=10)
    finally:  # a failing build must not leave its sweep running either
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert not alive, [p.cmdline() for p in alive]
    stderr = proc.stderr.read().decode()
    assert proc.returncode == 130 and "interrupted: finished runs are saved" in stderr, stderr
    assert seconds < 5, f"the prompt came back {seconds:.1f} s after Ctrl-C"
    manifest = Store(out).manifest()
    kept, _ = Store(out).read_chunks()
    assert manifest["done"] >= saved_before and manifest["done"] == kept["run"].nunique() < 2400
    assert not manifest["complete"]


def test_a_script_without_the_main_guard_is_told_so_in_one_message(tmp_path):
    """sim.sweep(..., workers=2) at the top level of a script: each worker imports the script again and would start
    the sweep again. It printed 156 lines and three tracebacks; now the workers leave quietly and the script gets one
    error that says what to write."""
    script = tmp_path / "unguarded.py"
    script.write_text("import sim\nsim.sweep({'sweep': {'scenario': 'mixed_village'}, 'parameters': {'trust.initial': "
                      "{'values': [0.2, 0.8]}, 'world.seasons': {'values': [2]}}}, workers=2)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 1
    assert done.stderr.count("Traceback") == 1 and len(done.stderr.splitlines()) < 20, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("sim.errors.InputError: workers: a worker process stopped")
    assert 'if __name__ == "__main__":' in done.stderr
    guarded = tmp_path / "guarded.py"
    guarded.write_text("import sim\nif __name__ == '__main__':\n    t = sim.sweep({'sweep': {'scenario': "
                       "'mixed_village'}, 'parameters': {'trust.initial': {'values': [0.2, 0.8]}, 'world.seasons': "
                       "{'values': [2]}}}, workers=2)\n    print(len(t))\n")
    done = subprocess.run([sys.executable, str(guarded)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "2", done.stderr

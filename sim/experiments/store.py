"""Where a sweep's results live on disk, written so that nothing is lost, nothing is counted twice, and the folder
says by itself what it holds.

Layout of an output directory (self-contained: it can be moved, copied or sent, and analysed wherever it is)::

    manifest.json        what the sweep is (spec, resolved scenario, model version, master seed, seeds), where it
                         ran (git commit, Python and library versions, CPU), when (start, each resume, end), and
                         which runs are done
    scenario.toml        the base scenario as it was resolved when the sweep started (every setting)
    runs.parquet         the design: one row per run (settings and seed)
    chunks/*.parquet     results as they finish, each file written whole (temporary name, fsync, rename)
    results.parquet      the final table, sorted by run (and season), once every run is done; its metadata
                         (``pandas.read_parquet(...).attrs["rembug"]``) carries the manifest's record

Chunks are the truth: on resume every chunk is read back; a torn or unreadable one is deleted and its runs redone.
Resuming is refused, naming what changed, when the resolved scenario, the sweep's settings, the model version or
the seeds differ from what the folder holds: one table never mixes two worlds.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import InputError
from sim.experiments.provenance import environment, now

FORMAT = 2
IDENTITY = ("model_version", "scenario", "sweep", "master_seed", "seeds_sha256", "outcomes")
"""What makes two sweeps the same sweep: resuming compares each of these and names the ones that differ."""


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def writable_directory(directory: Path, option: str = "--out") -> Path:
    """``directory``, created if missing; an InputError naming ``option`` when it is a file or cannot be made."""
    if directory.exists() and not directory.is_dir():
        raise InputError(option, f"{str(directory)!r} is a file, not a folder", "a new or empty folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(option, f"the folder {str(directory)!r} cannot be made ({error.strerror or error})",
                         "a folder you can write to") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError(option, f"the folder {str(directory)!r} is not writable", "a folder you can write to")
    return directory


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested tables as ``{"water.inflow": 1.0, ...}``: what a difference is named by."""
    if not isinstance(data, dict):
        return {prefix: data}
    out: dict[str, Any] = {}
    for key, value in data.items():
        out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def differences(old: dict, new: dict, limit: int = 6) -> list[str]:
    """What differs between two records of a sweep (see IDENTITY), in words: "the scenario: water.inflow 1.0 → 1.3"."""
    said = []
    what = {"model_version": "the model version", "scenario": "the scenario", "sweep": "the sweep's settings",
            "master_seed": "the master seed", "seeds_sha256": "the runs' seeds and design points",
            "outcomes": "the custom outcomes"}
    for key in IDENTITY:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            a, b = flatten(before), flatten(after)
            changed = [f"{k} {a.get(k, '(none)')!s} → {b.get(k, '(none)')!s}" for k in sorted(set(a) | set(b))
                       if a.get(k) != b.get(k)]
            shown = ", ".join(changed[:limit]) + (f" and {len(changed) - limit} more" if len(changed) > limit else "")
            said.append(f"{what[key]} ({shown})")
        elif key == "seeds_sha256":
            said.append(what[key])
        else:
            said.append(f"{what[key]} ({before if before is not None else '(not recorded)'} → {after})")
    return said


class Store:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.chunks = self.directory / "chunks"
        self.record: dict = {}

    @staticmethod
    def spec_hash(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def manifest(self) -> dict | None:
        path = self.directory / "manifest.json"
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(str(path), f"is not a readable manifest ({error})", "a directory written by `rembug sweep`") from None

    def prepare(self, *, record: dict, runs: pd.DataFrame, resume: bool, scenario_toml: str) -> None:
        """Start a new output directory, or check that ``resume`` continues the very same sweep.

        ``record``: what the sweep is (every key of IDENTITY, and the spec's text); ``scenario_toml``: the resolved
        base scenario, kept in the folder so that it is analysed wherever it moves."""
        if self.directory.exists() and not self.directory.is_dir():
            raise InputError("--out", f"{str(self.directory)!r} is a file, not a folder", "a new or empty folder")
        existing = self.manifest()
        started = now()
        if existing is not None:
            if not resume:
                raise InputError(str(self.directory), "already holds a sweep", "--resume to continue it, or another --out")
            if existing.get("format", 1) < FORMAT:
                raise InputError(str(self.directory), f"holds a sweep written by rembug {existing.get('package_version')}, "
                                 "which did not record its resolved scenario, so resuming could mix two worlds",
                                 "start it again in another --out")
            changed = differences(existing, record)
            if changed:
                raise InputError(str(self.directory), "holds a different sweep; resuming would mix two in one table: "
                                 + "; ".join(changed) + " changed", "the same sweep as it was, or another --out")
            self.record = existing
            self.record["attempts"] = [*existing.get("attempts", []), {"started": started, **_who()}]
            return
        if self.directory.exists() and any(self.directory.iterdir()):
            raise InputError(str(self.directory), "is not empty and holds no sweep", "an empty or new directory")
        writable_directory(self.directory)
        self.chunks.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.directory / "runs.parquet", _parquet_bytes(runs))
        _atomic_write(self.directory / "scenario.toml", scenario_toml.encode("utf-8"))
        self.record = {
            "format": FORMAT,
            **record,
            "package_version": record["model_version"],
            "spec_sha256": self.spec_hash(record["spec"]),
            "runs": len(runs),
            "provenance": environment(),
            "started": started,
            "finished": None,
            "attempts": [{"started": started, **_who()}],
        }
        self.write_manifest(done_runs=[])

    def write_manifest(self, *, done_runs: list[int] | set[int]) -> None:
        done = len(done_runs)
        manifest = {**self.record, "done": done, "complete": done >= self.record["runs"],
                    "done_runs": _ranges(sorted(done_runs))}
        if manifest["complete"] and not manifest.get("finished"):
            manifest["finished"] = self.record["finished"] = now()
        _atomic_write(self.directory / "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))

    def write_chunk(self, frame: pd.DataFrame) -> Path:
        first = int(frame["run"].min())
        path = self.chunks / f"part-{first:09d}-{uuid.uuid4().hex[:8]}.parquet"
        _atomic_write(path, _parquet_bytes(frame))
        return path

    def read_chunks(self) -> tuple[pd.DataFrame, list[str]]:
        """Every readable chunk (deduplicated), and the names of torn ones that were removed."""
        frames, removed = [], []
        if not self.chunks.exists():
            return pd.DataFrame(), removed
        for leftover in self.chunks.glob(".*.tmp"):  # a write killed before its rename
            leftover.unlink(missing_ok=True)
            removed.append(leftover.name)
        for path in sorted(self.chunks.glob("*.parquet")):
            try:
                frame = pd.read_parquet(path)
                if "run" not in frame:
                    raise ValueError("no run column")
                frames.append(frame)
            except Exception:
                path.unlink(missing_ok=True)
                removed.append(path.name)
        if not frames:
            return pd.DataFrame(), removed
        table = pd.concat(frames, ignore_index=True)
        key = [k for k in ("run", "policy", "season") if k in table]
        return table.drop_duplicates(subset=key, keep="first"), removed

    def runs(self) -> pd.DataFrame:
        return pd.read_parquet(self.directory / "runs.parquet")

    def finish(self, table: pd.DataFrame) -> Path:
        """Write the final table, carrying the manifest's record (what, where, when) in its metadata."""
        path = self.directory / "results.parquet"
        table = table.copy()
        table.attrs["rembug"] = {k: v for k, v in self.manifest_now().items() if k not in ("done_runs",)}
        _atomic_write(path, _parquet_bytes(table))
        return path

    def manifest_now(self) -> dict:
        return self.manifest() or dict(self.record)


def open_sweep(directory: str | Path):
    """A sweep folder's spec (with the base scenario it kept), manifest and results (the final table, or the chunks
    of an unfinished sweep), wherever the folder now is. Returns (Sweep, manifest, table)."""
    from sim.experiments.spec import parse_sweep
    from sim.scenarios import ScenarioError, load_scenario

    store = Store(directory)
    if not store.directory.is_dir():
        raise InputError(str(directory), "is not a folder", "a folder written by `rembug sweep`")
    manifest = store.manifest()
    if manifest is None:
        raise InputError(str(directory), "holds no sweep (no manifest.json)", "a directory written by `rembug sweep`")
    kept = store.directory / "scenario.toml"
    if kept.exists():
        try:
            scenario = load_scenario(kept)
        except ScenarioError as error:  # written by another model version whose settings differ
            raise InputError(str(kept), f"cannot be read by rembug of model {environment()['rembug']} (the sweep ran on "
                             f"model {manifest.get('model_version')}): {error.describe()}",
                             "the model version the sweep ran on") from None
        spec = parse_sweep(manifest["spec"], "manifest spec", scenario=scenario)
    else:  # written before folders kept their scenario (format 1): read it where the spec said
        base_dir = manifest.get("spec_directory")
        spec = parse_sweep(manifest["spec"], "manifest spec", Path(base_dir) if base_dir else None)
    results = store.directory / "results.parquet"
    table = pd.read_parquet(results) if results.exists() else store.read_chunks()[0]
    return spec, manifest, table


def _who() -> dict:
    """Which code and machine one attempt (the start or a resume) ran on."""
    env = environment()
    return {"rembug": env["rembug"], "git_commit": env["git_commit"], "cpu": env["cpu"]}


def _ranges(runs: list[int]) -> list[list[int]]:
    """Done runs as [first, last] ranges, so the manifest stays small."""
    out: list[list[int]] = []
    for run in sorted(runs):
        if out and run == out[-1][1] + 1:
            out[-1][1] = run
        else:
            out.append([run, run])
    return out

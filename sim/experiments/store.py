"""Where a sweep's results live on disk, written so that nothing is lost and nothing is counted twice.

Layout of an output directory::

    manifest.json        the spec, package version, master seed, number of runs, which runs are done
    runs.parquet         the design: one row per run (settings and seed)
    chunks/*.parquet     results as they finish, each file written whole (temporary name, fsync, rename)
    results.parquet      the final table, sorted by run (and season), once every run is done

Chunks are the truth: on resume every chunk is read back; a torn or unreadable one is deleted and its runs redone.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

import pandas as pd

from sim.errors import InputError

FORMAT = 1


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


class Store:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.chunks = self.directory / "chunks"

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

    def prepare(self, *, spec_text: str, runs: pd.DataFrame, master_seed: int, version: str, resume: bool,
                base_dir: str | None = None) -> None:
        """Start a new output directory, or check that ``resume`` continues the same sweep."""
        existing = self.manifest()
        if existing is not None:
            if not resume:
                raise InputError(str(self.directory), "already holds a sweep", "--resume to continue it, or another --out")
            if existing.get("spec_sha256") != self.spec_hash(spec_text):
                raise InputError(str(self.directory), "holds a different sweep (the spec changed)", "the same spec, or another --out")
            return
        if self.directory.exists() and any(self.directory.iterdir()):
            raise InputError(str(self.directory), "is not empty and holds no sweep", "an empty or new directory")
        self.chunks.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.directory / "runs.parquet", _parquet_bytes(runs))
        self.write_manifest(spec_text=spec_text, runs=len(runs), master_seed=master_seed, version=version, done=0,
                            base_dir=base_dir)

    def write_manifest(self, *, spec_text: str, runs: int, master_seed: int, version: str, done: int,
                       done_runs: list[int] | None = None, base_dir: str | None = None) -> None:
        manifest = {
            "format": FORMAT,
            "package_version": version,
            "master_seed": master_seed,
            "runs": runs,
            "done": done,
            "complete": done >= runs,
            "spec_sha256": self.spec_hash(spec_text),
            "spec": spec_text,
            "spec_directory": base_dir,  # where a scenario path in the spec is found
            "done_runs": _ranges(done_runs or []),
        }
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
        key = ["run", "season"] if "season" in table else ["run"]
        return table.drop_duplicates(subset=key, keep="first"), removed

    def runs(self) -> pd.DataFrame:
        return pd.read_parquet(self.directory / "runs.parquet")

    def finish(self, table: pd.DataFrame) -> Path:
        path = self.directory / "results.parquet"
        _atomic_write(path, _parquet_bytes(table))
        return path


def _ranges(runs: list[int]) -> list[list[int]]:
    """Done runs as [first, last] ranges, so the manifest stays small."""
    out: list[list[int]] = []
    for run in sorted(runs):
        if out and run == out[-1][1] + 1:
            out[-1][1] = run
        else:
            out.append([run, run])
    return out

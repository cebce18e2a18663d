"""Where a result came from: the code (model version and git commit), the libraries, the machine and the times.

A sweep writes this into its manifest and into the metadata of its results table, so a table found years later
still says which model made it, on what, and when. Nothing here changes a result; it only describes the run.
"""

from __future__ import annotations

import functools
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

NOT_A_CHECKOUT = "not a checkout"
LIBRARIES = ("numpy", "pandas", "scipy", "mesa", "numba", "SALib", "pyarrow")


def now() -> str:
    """The time now, UTC, as ISO 8601 to the second (``2026-12-07T10:15:02Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.cache
def code_commit() -> tuple[str, bool]:
    """The git commit of the code that runs (``"not a checkout"`` for an installed copy) and whether files tracked
    by git were changed since it (a result of changed code cannot be rebuilt from the commit alone)."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10)
        if head.returncode != 0 or not head.stdout.strip():
            return NOT_A_CHECKOUT, False
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", str(here.parent)],
                                cwd=here, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return NOT_A_CHECKOUT, False
    return head.stdout.strip(), bool(status.stdout.strip())


def _library(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu() -> str:
    """The processor's model name as the operating system gives it (Linux: /proc/cpuinfo), else the architecture."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


@functools.cache
def environment() -> dict:
    """The code, libraries and machine a sweep ran with (computed once per process)."""
    from sim import MODEL_VERSION

    commit, changed = code_commit()
    return {
        "rembug": MODEL_VERSION,
        "git_commit": commit,
        "git_changed": changed,
        "python": platform.python_version(),
        "libraries": {name: _library(name) for name in LIBRARIES},
        "platform": platform.platform(),
        "cpu": cpu(),
        "cores": os.cpu_count() or 1,
        "executable": sys.executable,
    }

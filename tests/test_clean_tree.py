"""`make test` leaves `git status` clean: the browser tests write the README's screenshots outside the tracked tree
unless asked (`make screenshots`), and whatever the documented paths write in a clone is ignored by git."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


pytestmark = pytest.mark.skipif(shutil.which("git") is None or git("rev-parse", "HEAD").returncode != 0,
                                reason="not a git checkout")


def screenshots_directory(env: dict) -> Path:
    done = subprocess.run([sys.executable, "-c", "from tests.screens import DOCS; print(DOCS)"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def test_the_readmes_screenshots_are_rewritten_only_when_asked():
    """The browser tests rewrote the tracked docs/screenshots/*.png on every run, so `git status` was never clean."""
    env = {k: v for k, v in os.environ.items() if k != "REMBUG_SCREENSHOTS"}
    default = screenshots_directory(env)
    assert ROOT / "docs" not in default.parents
    assert git("check-ignore", "-q", str(default / "desktop.png")).returncode == 0  # ignored by git
    assert screenshots_directory({**env, "REMBUG_SCREENSHOTS": "docs"}) == ROOT / "docs" / "screenshots"
    assert "REMBUG_SCREENSHOTS=docs" in (ROOT / "Makefile").read_text()


def documented_outputs() -> list[str]:
    """Every file or folder the README's research path and docs/research.md tell a reader to write (--out)."""
    outputs = []
    for doc in (ROOT / "README.md", ROOT / "docs" / "research.md"):
        for block in re.findall(r"```bash\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S):
            for line in block.splitlines():
                line = re.sub(r"\s+#.*$", "", line).strip()
                if line.startswith("rembug "):
                    outputs += re.findall(r"--out\s+(\S+)", line)
                    if line.startswith("rembug sweep") and "--out" not in line:
                        outputs.append(line.split()[2].removesuffix(".toml") + "/")
                    if line.startswith("rembug patterns") and "--out" not in line:
                        outputs.append("patterns/")
    return sorted(set(outputs))


def test_every_documented_output_is_ignored_by_git():
    """Following the README in a clone wrote results/, results-dask/ and run.parquet into the tree, untracked."""
    outputs = documented_outputs()
    assert {"results", "results-dask", "run.parquet"} <= set(outputs), outputs
    for output in outputs:
        probe = output.rstrip("/") + ("/manifest.json" if output.endswith("/") or "." not in output else "")
        assert git("check-ignore", "-q", probe).returncode == 0, f"{output} is not ignored by .gitignore"

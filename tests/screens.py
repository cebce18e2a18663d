"""Where the browser tests put the README's screenshots.

A test run must leave the working tree as it found it, so by default the README's pictures go to the git-ignored
artifacts/screenshots/docs/ with the others. ``make screenshots`` (REMBUG_SCREENSHOTS=docs) writes them over the
tracked ones in docs/screenshots/, when the pages changed and the README should show it.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
DOCS = ROOT / "docs" / "screenshots" if os.environ.get("REMBUG_SCREENSHOTS") == "docs" else SHOTS / "docs"

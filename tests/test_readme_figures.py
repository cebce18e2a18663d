"""The engine's table of what it shows (docs/model/engine.md) quotes figures the tests measure; this keeps the
negotiator's dilemma row in step with the measurement (the README once said 0.755 after the engine had moved)."""

from __future__ import annotations

from pathlib import Path

from tests.negotiation.test_behaviour import run

ENGINE = Path(__file__).resolve().parents[1] / "docs" / "model" / "engine.md"


def test_the_dilemma_row_quotes_the_measured_figures():
    mixed = run("distributive", "integrative", trust=1.0)
    claimer, discloser = f"{mixed.utility_a.mean():.3f}", f"{mixed.utility_b.mean():.3f}"
    text = ENGINE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| distributive vs an open integrative |"))
    assert f"the claimer gets {claimer}, the discloser {discloser}" in row, (row, claimer, discloser)
    assert f"claiming against an open partner pays most ({claimer})" in " ".join(text.split())

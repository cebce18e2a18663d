"""Rembug: a negotiation strategy simulator for a shared water resource.

``from sim import ...`` gives the negotiation engine (``PairBatch``, ``negotiate``, the strategy registry and the
bargaining analysis). The package is a pure library: no printing, no files, no user interface.

The engine is imported on first use, not with the package, so ``rembug --help`` and a script that only needs
``sim.__version__`` start in a fraction of a second.
"""

from sim.errors import InputError

MODEL_VERSION = "3.0.0"
"""The version of the model, and so of the project (pyproject.toml reads it from here): it changes when a run with
the same scenario and seed can give other results (the major number for a new model, as v3). A sweep records it and
``--resume`` refuses to mix results of two versions."""

__version__ = MODEL_VERSION


def sweep(spec, **kwargs):
    """Run a parameter sweep (a dict, TOML text or a .toml path) and return its table (see
    :func:`sim.experiments.sweep`)."""
    from sim.experiments import sweep as run_sweep

    return run_sweep(spec, **kwargs)


_OWN = ["InputError", "MODEL_VERSION", "__version__", "as_generator", "sweep"]


def __getattr__(name: str):
    """The negotiation engine's names (``sim.PairBatch``, ``from sim import negotiate``), imported on first use."""
    import sim.negotiation as negotiation

    if name == "__all__":
        return [*_OWN, *negotiation.__all__]
    if name in negotiation.__all__:
        return getattr(negotiation, name)
    if name == "as_generator":
        from sim.rng import as_generator

        return as_generator
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__getattr__("__all__")})

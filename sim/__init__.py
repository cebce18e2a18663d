"""Rembug: a negotiation strategy simulator for a shared water resource.

``from sim import ...`` gives the negotiation engine (``PairBatch``, ``negotiate``, the strategy registry and the
bargaining analysis). The package is a pure library: no printing, no files, no user interface.
"""

from sim.errors import InputError
from sim.negotiation import *  # noqa: F403
from sim.negotiation import __all__ as _negotiation_all
from sim.rng import as_generator

__version__ = "0.1.0"


def sweep(spec, **kwargs):
    """Run a parameter sweep (a dict, TOML text or a .toml path) and return its table (see
    :func:`sim.experiments.sweep`)."""
    from sim.experiments import sweep as run_sweep

    return run_sweep(spec, **kwargs)


__all__ = ["InputError", "__version__", "as_generator", "sweep", *_negotiation_all]

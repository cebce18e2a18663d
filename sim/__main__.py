"""`python -m sim` is the `rembug` command line."""

import sys

from sim.cli import main

sys.exit(main())

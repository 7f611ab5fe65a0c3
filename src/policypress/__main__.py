"""``python -m policypress``: the same command line as the ``policypress`` script."""

import sys

from .cli import main

sys.exit(main())

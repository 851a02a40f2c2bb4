"""``python -m ganbook``: the same as the ``ganbook`` console script."""

import sys

from ganbook.cli import main

sys.exit(main())

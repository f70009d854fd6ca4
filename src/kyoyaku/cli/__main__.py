"""`python -m kyoyaku.cli`: the `kyoyaku` command."""

import sys

from . import main

sys.exit(main())

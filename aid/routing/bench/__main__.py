"""`python -m aid.routing.bench FILE...`: the benchmark CLI (see aid.routing.bench.cli)."""

import sys

from aid.routing.bench.cli import main

sys.exit(main())

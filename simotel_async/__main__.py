"""``python -m simotel_async``: the ``simotel`` command."""

import sys

from .cli import main

sys.exit(main())

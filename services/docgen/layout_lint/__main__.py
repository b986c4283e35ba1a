"""``python -m services.docgen.layout_lint FILE [--draft]``."""

import sys

from services.docgen.layout_lint.engine import main

sys.exit(main())

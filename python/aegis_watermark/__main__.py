"""`python -m aegis_watermark generate|bench …` (see generate.py)."""

import sys

from .generate import main

if __name__ == "__main__":
    sys.exit(main())

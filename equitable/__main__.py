import sys

from equitable.cli import main

sys.exit(main())

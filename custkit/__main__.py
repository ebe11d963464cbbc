"""``python -m custkit``: the same as the ``custkit`` command."""

from custkit.cli import main

raise SystemExit(main())

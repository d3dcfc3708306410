"""``python -m rdfgen``: the ``rdfgen`` command without the console script."""

from __future__ import annotations

from rdfgen.cli import main

if __name__ == "__main__":
    main()

"""``python -m playground`` runs the command-line interface."""

from playground.cli import main

raise SystemExit(main())

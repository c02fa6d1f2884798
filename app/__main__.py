"""`python -m app` is the `vertrouwd` command."""

from app.cli import main

raise SystemExit(main())

"""`python -m neck_tui`: the same as the `neck-tui` command."""

from neck_tui.entry import main

raise SystemExit(main())

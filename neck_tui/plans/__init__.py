"""Pure plans, one module per activity: the phases a session runs, what its screen shows and what its record keeps (no Textual)."""

"""Pure plans, one module per activity: the phases a session runs, what the screen shows, the record."""

"""Pure plans of the activities: what a session runs, shows and records. No Textual here."""

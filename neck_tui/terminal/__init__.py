"""The terminal the app runs in: its size (size.py), its input going away (watchdog.py), and
the lock that says a session is running in this process (session_lock.py)."""

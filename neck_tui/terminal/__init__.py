"""The terminal the app runs in: its size (size.py), its input going away (watchdog.py), the
lock that says a session is running in this process (session_lock.py), and the Linux console's
font (console.py)."""

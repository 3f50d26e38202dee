"""neck-tui: keyboard-first terminal companion for neck-spasm self-care."""

# The one place the version is written: pyproject.toml reads it from here (hatch), so start-up
# needs no importlib.metadata (about 80 ms on a cold start).
__version__ = "0.1.0"

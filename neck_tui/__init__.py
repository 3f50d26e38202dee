"""neck-tui: keyboard-first terminal companion for neck-spasm self-care."""

# The one place the version is written: pyproject.toml reads it from here (hatch), so start-up
# (and `neck-tui status`) needs no importlib.metadata.
__version__ = "0.1.0"

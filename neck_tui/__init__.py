"""neck-tui: keyboard-first terminal companion for neck-spasm self-care."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("neck-tui")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"

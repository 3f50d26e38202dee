"""neck-tui: keyboard-first terminal companion for neck-spasm self-care."""


def __getattr__(name: str) -> str:
    # Looked up only when asked for: importlib.metadata costs more than `neck-tui status` may.
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("neck-tui")
    except PackageNotFoundError:  # running from a source tree without install
        return "0.0.0+source"

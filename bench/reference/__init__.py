"""Bare Textual apps the benchmark measures beside neck-tui, so its figures can be read as ratios."""

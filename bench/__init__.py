"""The neck-tui benchmark: `python -m bench` (see README, "Benchmark")."""

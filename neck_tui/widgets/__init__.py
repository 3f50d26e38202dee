"""Reusable widgets: pain scale and pain check, pacer, countdown, skin-check modal."""

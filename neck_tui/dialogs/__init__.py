"""Dialogs: every prompt of the app, one family on one base (neck_tui.dialogs.base)."""

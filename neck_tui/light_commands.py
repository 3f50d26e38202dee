"""The commands answered before the CLI's heavy imports (neck_tui.entry), listed in `--help` by
neck_tui.cli: the table only, so both can read it without importing each other."""

# command -> module with main(argv) -> exit code; listed in `neck-tui --help` by neck_tui.cli.
LIGHT_COMMANDS = {
    "status": ("neck_tui.status", "one line for a tmux status line or a prompt (--json, --format)"),
    "doctor": ("neck_tui.doctor", "check the terminal, tmux, SSH and the data dir for alerts; say what to change"),
}

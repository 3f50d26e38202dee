"""Progress store: the user's settings and self-care session history on disk.

Layout under the data directory (directories 0700, files 0600, whatever the umask):

    state.toml                      schema_version, notice_accepted, [settings], [in_progress]
    history/YYYY-MM.toml            schema_version, then one [[session]] per Record, by UTC month
    history/.YYYY-MM.summary.json   a hint: the month's sums, stamped with the file's size/mtime/inode
    history/YYYY-MM.toml.quarantine records that could not be read, set aside verbatim on a write
    .lock                           cross-process lock held around every change

Modules, one job each: layout (where things live), files (safe file operations), models (records,
state, problems), months (month files and appends), summary (per-month sums), hints (the files
beside each month), migrate (schema 1), core (the Store). No Textual.
"""

from neck_tui.store.core import Store
from neck_tui.store.files import StoreError, write_atomic
from neck_tui.store.layout import STATE_FILE, default_data_dir
from neck_tui.store.models import (
    SCHEMA_VERSION,
    CustomPattern,
    Problem,
    Record,
    Settings,
    State,
)
from neck_tui.store.summary import MonthSummary

__all__ = [
    "SCHEMA_VERSION",
    "STATE_FILE",
    "CustomPattern",
    "MonthSummary",
    "Problem",
    "Record",
    "Settings",
    "State",
    "Store",
    "StoreError",
    "default_data_dir",
    "write_atomic",
]

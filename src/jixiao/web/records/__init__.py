"""Pages for operational records: import with a mapping step, bindings with a live preview, actuals."""

"""The read-side commands: `report` (charts and summary.json), `export`, `status`, `renormalize`."""

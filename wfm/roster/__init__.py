"""The editable roster: shifts of named agents, coverage, edit commands with undo."""

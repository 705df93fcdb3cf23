"""Excel workbooks for team leads: the roster export and reading a team lead's edits back."""

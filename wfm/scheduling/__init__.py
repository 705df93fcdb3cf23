"""Shift scheduling: agents, shift templates, rules, and the CP-SAT roster solver."""

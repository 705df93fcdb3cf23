"""Tests of the Excel workbooks for team leads."""

"""Data of the reports app."""

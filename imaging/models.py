"""Data of the imaging app."""

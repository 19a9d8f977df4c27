"""Data of the customers app."""

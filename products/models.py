"""Data of the products app."""

"""Data of the authorization app."""

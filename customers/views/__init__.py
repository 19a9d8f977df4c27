"""Staff pages of the customers app."""

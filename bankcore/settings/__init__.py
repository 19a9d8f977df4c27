"""Settings modules: `base` (every environment, driven by environment variables) and `test`."""

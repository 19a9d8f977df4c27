#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankcore.settings.base")
    # Commands run from a checkout default to development mode. Production serves through
    # WSGI/ASGI, where DEBUG defaults to off and SECRET_KEY is required; production
    # operators set DEBUG=0 for their management commands too (see README).
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""``python -m jixiao.web.manage <command>``: Django's manage.py for the jixiao project."""

import os
import sys


def main() -> None:
    """Run a Django management command with jixiao's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

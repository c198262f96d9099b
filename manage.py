#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonar.settings")
    # Before the settings are read: a clone needs var/ and its secret key (sonar/vardir.py).
    from sonar import vardir

    vardir.prepare()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

"""Sonar's settings plus one extra URL, /bench/floor: a view that returns a fixed string through
the whole middleware stack. It is the framework's floor in bench/pages.py; the product never
serves it."""

from sonar.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"

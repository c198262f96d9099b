"""granian's main process for `sonar serve`, without Django.

granian's main process only starts the worker processes, restarts those that die and passes
signals on; the workers load Sonar. `sonar serve` is a Django command, so its process holds
all of Django and Sonar (about 65 MB): run as granian's main process, that memory stayed in use
beside each worker's own for as long as the site was up, doubling what a one-worker deployment
needs. Once the command has checked the configuration and prepared the static files, it
replaces its process with this module (os.execv: same process id, so signals and service
managers see no change), which imports granian alone.

Usage (by `sonar serve` only): python -m sonar.supervise '<granian options as JSON>'
"""

import json
import sys

# Options whose values are granian enumerations, given here by value.
ENUMS = {
    "interface": ("granian.constants", "Interfaces"),
    "log_level": ("granian.log", "LogLevels"),
}


def granian_options(raw):
    import importlib

    options = json.loads(raw)
    for name, (module, enum) in ENUMS.items():
        if name in options:
            options[name] = getattr(importlib.import_module(module), enum)(options[name])
    return options


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    options = granian_options(argv[0])
    from granian import Granian

    Granian(options.pop("target"), **options).serve()


if __name__ == "__main__":
    main()

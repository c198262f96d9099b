"""`make bench`: every benchmark in turn, each writing its figures to bench/results/.

    .venv/bin/python bench/run.py [--quick]

--quick shortens every run (a smoke run of the harness, not figures to publish).
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHMARKS = {
    "pages.py": ([], ["--seconds", "2", "--rounds", "1"]),
    "search.py": ([], ["--sizes", "100"]),
    "workshop.py": ([], ["--participants", "50", "--seconds", "10"]),
    "codes.py": ([], ["--people", "20"]),
    "exports.py": ([], ["--people", "20", "--rounds", "1"]),
    "lighthouse.py": ([], ["--runs", "1", "--pages", "accueil"]),
    "scale.py": ([], ["--sizes", "100", "1000", "--requests", "3", "--rooms", "3",
                      "--per-room", "5", "--seconds", "15"]),
}  # fmt: skip


def main():
    quick = "--quick" in sys.argv[1:]
    failed = []
    for script, (full, short) in BENCHMARKS.items():
        print(f"== bench/{script}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / script), *(short if quick else full)])
        if code:
            failed.append(script)
    if failed:
        sys.exit("Échec : " + ", ".join(failed))


if __name__ == "__main__":
    main()

"""Run every fault script in turn and write bench/faults/RESULTS.md.

    .venv/bin/python bench/faults/run_all.py
"""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = str(HERE.parents[1] / ".venv" / "bin" / "python")
SCRIPTS = ["search_kill.py", "submit_kill.py", "disk_full.py"]


def main():
    failed = []
    for name in SCRIPTS:
        print(f"=== {name}", flush=True)
        rc = subprocess.call([PY, str(HERE / name), *sys.argv[1:]])
        if rc:
            failed.append(name)
    print("FAIL: " + ", ".join(failed) if failed else "ALL PASS")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

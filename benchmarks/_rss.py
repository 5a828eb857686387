"""Peak memory of a child command, shared by the memory benchmarks (not a test; not part of the package)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = ("import resource, subprocess, sys; "
         "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
         "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
         "print(u.ru_maxrss / 1024, u.ru_utime + u.ru_stime, rc)")


def run_measured(cmd: list[str], every: float = 0.5) -> tuple[float, list[float], float, float, int]:
    """Peak RSS (MB, ``ru_maxrss`` of the child and its children), RSS samples (MB, every ``every``
    seconds), wall and CPU seconds, and the exit status of ``cmd``."""
    import psutil

    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", PROBE, *cmd], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    samples: list[float] = []
    parent = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            samples.append(sum(c.memory_info().rss for c in parent.children(recursive=True)) / 2**20)
        except psutil.Error:
            pass
        time.sleep(every)
    wall = time.perf_counter() - t
    rss, cpu, rc = proc.stdout.read().split()
    return float(rss), samples, wall, float(cpu), int(rc)


def quarters(samples: list[float]) -> str:
    """RSS at 25 %, 50 % and 75 % of the run."""
    if len(samples) < 4:
        return "-"
    return "/".join(f"{samples[len(samples) * q // 4]:.0f}" for q in (1, 2, 3))

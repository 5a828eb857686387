"""Peak memory of a child command, shared by the memory benchmarks (not a test; not part of the package)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]

PROBE = ("import resource, subprocess, sys; "
         "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
         "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
         "print(u.ru_maxrss / 1024, u.ru_utime + u.ru_stime, rc)")


def run_measured(cmd: list[str], every: float = 0.5, watch: str | os.PathLike | None = None,
                 log_every: float | None = None, log: Any = None,
                 feed: Callable[[Any], Any] | None = None,
                 fed: Callable[[], float] | None = None) -> tuple[float, list[float], float, float, int]:
    """Peak RSS (MB, ``ru_maxrss`` of the child and its children), RSS samples (MB, every ``every``
    seconds), wall and CPU seconds, and the exit status of ``cmd``.

    With ``watch`` (the input file) and ``log_every`` seconds, a line goes to ``log`` (a text file
    object, flushed) every ``log_every`` seconds while the command runs: elapsed seconds, how far
    the command has read into ``watch`` (MB, its file position), its resident memory now and the
    most so far (MB): memory against the input read, during the run, even if the run is stopped.
    With ``feed``, the command's standard input is a pipe that ``feed(text_file)`` writes in a
    thread while the command runs (the input is generated as it is read); ``fed()`` says how many
    MB it has written so far (logged instead of a file position)."""
    import io
    import threading

    import psutil

    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", PROBE, *cmd], stdout=subprocess.PIPE,
                            stdin=subprocess.PIPE if feed else None, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if feed is not None:
        def pump() -> None:
            with io.TextIOWrapper(proc.stdin, encoding="utf-8") as fh:
                try:
                    feed(fh)
                except BrokenPipeError:
                    pass

        threading.Thread(target=pump, daemon=True).start()
    samples: list[float] = []
    parent = psutil.Process(proc.pid)
    target = os.path.realpath(watch) if watch is not None else None
    next_log = t + log_every if log_every else None
    read_mb = 0.0
    while proc.poll() is None:
        try:
            kids = parent.children(recursive=True)
            samples.append(sum(c.memory_info().rss for c in kids) / 2**20)
            if next_log is not None and time.perf_counter() >= next_log:
                if fed is not None:
                    read_mb = fed()
                for c in kids if target else ():
                    for f in c.open_files():
                        if f.path == target:
                            read_mb = f.position / 1e6
                print(f"  t={time.perf_counter() - t:7.0f} s  read {read_mb:8.1f} MB  RSS {samples[-1]:6.0f} MB  "
                      f"max so far {max(samples):6.0f} MB", file=log or sys.stdout, flush=True)
                next_log += log_every
        except psutil.Error:
            pass
        time.sleep(every)
    wall = time.perf_counter() - t
    rss, cpu, rc = proc.stdout.read().decode().split()
    return float(rss), samples, wall, float(cpu), int(rc)


def quarters(samples: list[float]) -> str:
    """RSS at 25 %, 50 % and 75 % of the run."""
    if len(samples) < 4:
        return "-"
    return "/".join(f"{samples[len(samples) * q // 4]:.0f}" for q in (1, 2, 3))

#!/usr/bin/env python3
"""Times commands interleaved: round r runs command 1, command 2, … once each, so a change in machine load hits
every command alike (hyperfine runs all runs of one command before the next). Each run is one posix_spawn of the
command (no shell) and a wait4, timed with a monotonic clock. Peak RSS comes from one more run of each command under
GNU time (`/usr/bin/time -f %M`): a child spawned from this Python process would inherit Python's own high-water mark,
since the kernel keeps maxrss across exec. GNU time's own ~2 MB is then the floor of the column.

Usage: interleave.py --runs N --warmup W --json OUT -n NAME 'CMD ARGS' [-n NAME 'CMD ARGS' ...]
Writes hyperfine-shaped JSON: {"results": [{"command", "median", "min", "max", "mean", "max_rss_kb", "times"}]}
(times in seconds). Exits non-zero when a command fails.
"""
import argparse
import json
import os
import shlex
import statistics
import sys
import tempfile
import time


def run_once(argv):
    start = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
    ])
    _, status = os.waitpid(pid, 0)
    elapsed = (time.perf_counter_ns() - start) / 1e9
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"interleave: {' '.join(argv)} exited with {code}")
    return elapsed


def peak_rss_kb(argv):
    """Peak RSS in KB of one run under GNU time, or 0 when it is not installed."""
    if not os.access("/usr/bin/time", os.X_OK):
        return 0
    with tempfile.NamedTemporaryFile("r") as report:
        pid = os.posix_spawn("/usr/bin/time", ["/usr/bin/time", "-f", "%M", "-o", report.name, *argv], os.environ,
                             file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])
        os.waitpid(pid, 0)
        text = report.read().strip()
    return int(text.splitlines()[-1]) if text else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--json", required=True)
    p.add_argument("-n", action="append", nargs=2, metavar=("NAME", "COMMAND"), required=True)
    a = p.parse_args()
    commands = [(name, shlex.split(cmd)) for name, cmd in a.n]
    for _ in range(a.warmup):
        for _, argv in commands:
            run_once(argv)
    times = {name: [] for name, _ in commands}
    rss = {name: 0 for name, _ in commands}
    for _ in range(a.runs):
        for name, argv in commands:
            times[name].append(run_once(argv))
    for name, argv in commands:
        rss[name] = peak_rss_kb(argv)
    results = [{
        "command": name,
        "median": statistics.median(times[name]),
        "mean": statistics.fmean(times[name]),
        "min": min(times[name]),
        "max": max(times[name]),
        "max_rss_kb": rss[name],
        "times": times[name],
    } for name, _ in commands]
    with open(a.json, "w") as f:
        json.dump({"results": results, "runs": a.runs, "warmup": a.warmup, "interleaved": True}, f, indent=1)


if __name__ == "__main__":
    main()

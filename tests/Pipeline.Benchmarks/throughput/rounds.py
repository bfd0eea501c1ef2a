#!/usr/bin/env python3
"""Joins one workload's rounds (one hyperfine file per round, each command run once) into one file of hyperfine's
shape: per command its times, median, min, max and mean user and system seconds, as report.py reads them."""
import json, statistics, sys

out, rounds = sys.argv[1], sys.argv[2:]
commands = {}
for path in rounds:
    for r in json.load(open(path))["results"]:
        c = commands.setdefault(r["command"], {"command": r["command"], "times": [], "user_times": [], "system_times": []})
        c["times"] += r["times"]
        c["user_times"].append(r["user"])
        c["system_times"].append(r["system"])
results = []
for c in commands.values():
    t = c["times"]
    results.append({"command": c["command"], "times": t, "mean": statistics.mean(t), "median": statistics.median(t),
                    "min": min(t), "max": max(t), "user": statistics.mean(c.pop("user_times")),
                    "system": statistics.mean(c.pop("system_times"))})
json.dump({"results": results, "rounds": len(rounds)}, open(out, "w"), indent=1)

#!/usr/bin/env python3
"""Where the API process's CPU goes, from `perf script` output of a `perf record -g` on it.

Start the benchmark with DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 so that perf names JIT-compiled
frames (see bench/README.md). Reports the share of CPU samples per frame (inclusive: anywhere on the stack) and per
bucket (the first matching category walking from the innermost frame outwards).

usage: perf script -i perf.data | perf_hot.py [N]
"""
import re
import sys
from collections import Counter

from report import ENTRIES, entry_of, print_sections

# Walking outwards from the innermost frame, the first frame matching one of these names the sample's bucket.
BUCKETS = [
    ("GC", re.compile(r"WKS::gc_heap|SVR::gc_heap|GCHeap::|gc_heap::|GarbageCollect")),
    ("thread pool / spinning / scheduling", re.compile(r"sched_yield|SpinWait|LowLevelLifoSemaphore|PortableThreadPool|ThreadPoolWorkQueue::?Dequeue|futex")),
    ("SQLite: statement parse/prepare", re.compile(r"sqlite3RunParser|sqlite3Prepare|sqlite3LockAndPrepare|sqlite3_prepare")),
    ("SQLite: commit / WAL / fsync", re.compile(r"sqlite3WalFrames|walWriteOneFrame|sqlite3PagerCommitPhase|fsync|fdatasync|walChecksum")),
    ("SQLite: execute", re.compile(r"sqlite3|Microsoft\.Data\.Sqlite|SQLitePCL")),
    ("JSON", re.compile(r"System\.Text\.Json")),
    ("logging", re.compile(r"Microsoft\.Extensions\.Logging")),
    ("HttpClient (provider calls)", re.compile(r"System\.Net\.Http\.")),
    ("Kestrel / ASP.NET Core", re.compile(r"Microsoft\.AspNetCore")),
    ("sockets / kernel network", re.compile(r"System\.Net\.Sockets|tcp_|inet_|sock_|__sys_send|__sys_recv|ip_")),
    ("OrderPayments code", re.compile(r"OrderPayments\.")),
]


# The shared activities, and here (perf sees every thread, idle ones included) the thread pool waiting for work.
ENTRIES_HERE = ENTRIES + [
    ("thread pool idle (spinning, waiting for work)", re.compile(r"LowLevelLifoSemaphore|sched_yield|WorkerThreadStart")),
]


def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    inclusive, buckets, ours, entries = Counter(), Counter(), Counter(), Counter()
    total = 0
    stack = []

    def flush():
        nonlocal total
        if not stack:
            return
        total += 1
        names = [re.sub(r"\[OptimizedTier1\]|\[Optimized\]|\[Tier0\]|\[Tier1\]|\[PreJIT\]|\[QuickJitted\]", "", f).strip() for f in stack]
        for name in set(names):
            inclusive[name] += 1
        for name in names:
            for label, pattern in BUCKETS:
                if pattern.search(name):
                    buckets[label] += 1
                    break
            else:
                continue
            break
        else:
            buckets["other (runtime, libc, kernel)"] += 1
        entries[entry_of(names, ENTRIES_HERE, "other (runtime threads, timers, kernel)")] += 1
        own = next((n for n in names if n.startswith("OrderPayments.") or "OrderPayments." in n[:60]), None)
        if own:
            ours[own] += 1

    for line in sys.stdin:
        if not line.strip():
            flush()
            stack = []
            continue
        if line[0] not in " \t":
            continue
        parts = line.strip().split(" ", 1)
        if len(parts) == 2:
            frame = re.sub(r"\+0x[0-9a-f]+$", "", parts[1].rsplit(" (", 1)[0]).strip()
            stack.append(frame)
    flush()
    print(f"CPU samples: {total}")
    print_sections(total, [
        ("by activity (first match in this order on the stack)", entries, None),
        ("buckets (innermost matching frame)", buckets, None),
        ("inclusive", inclusive, top),
        ("innermost OrderPayments frame", ours, top // 2),
    ])

main()

#!/usr/bin/env python3
"""Where a sampled thread-time trace's running time goes.

dotnet-trace's thread-time sampler (profile dotnet-sampled-thread-time, converted with
`dotnet-trace convert --format Speedscope`) samples every thread, waiting or not. This drops the samples whose
innermost frame is a wait (semaphores, monitors, sockets' event loop, timers, sleeping) and reports, of what remains,
the share of each frame (inclusive: on the stack; exclusive: innermost) and of the buckets below.

usage: hot.py TRACE.speedscope.json [N] [--managed]
"""
import json
import re
import sys
from collections import Counter

from report import entry_of, print_sections

WAIT = re.compile(r"WaitForSignal|WaitNative|Monitor\.Wait|WaitOneNoCheck|WaitHandle\.Wait|WaitForSocketEvents|"
                  r"Thread\.Sleep|SleepInternal|WaitCore|SpinWait|LowLevelLifoSemaphore|ManualResetEventSlim\.Wait|"
                  r"PortableThreadPool\+GateThread|TimerQueue\.TimerThread|WaitSubsystem|epoll|poll\(|"
                  r"Interop\+Sys\.Read\(|ReadLine|Console|EventPipe|DiagnosticServer")

# The sampler's markers for what the thread was doing (managed code, or native code: running or blocked).
PSEUDO = {"CPU_TIME", "UNMANAGED_CODE_TIME"}

# Threads whose innermost frame is one of these are idle loops (finalizer, event loops, thread starts).
IDLE = re.compile(r"RunFinalizers|SocketAsyncEngine\.EventLoop|Thread\.StartCallback|Heartbeat\.TimerLoop|^Thread \(|^Threads$|"
                  r"WorkerThreadStart\(\)$")

# With --managed: only the samples of threads running managed code (the sampler's CPU_TIME), which is CPU for sure;
# native code (SQLite, the kernel) is left out because the sampler cannot tell it from blocking there.
MANAGED_ONLY = "--managed" in sys.argv

# Buckets, first match wins, matched against the whole stack (outermost first).
BUCKETS = [
    ("GC", re.compile(r"^GC |garbage|GarbageCollect|gc_heap", re.I)),
    ("SQLite (native step/prepare/commit)", re.compile(r"SQLitePCL|sqlite3_|Microsoft\.Data\.Sqlite")),
    ("JSON", re.compile(r"System\.Text\.Json")),
    ("logging", re.compile(r"Microsoft\.Extensions\.Logging|LoggerMessage|ILogger")),
    ("HttpClient (to the provider)", re.compile(r"System\.Net\.Http\.(HttpConnection|SocketsHttpHandler|HttpClient)")),
    ("Kestrel / request pipeline", re.compile(r"Microsoft\.AspNetCore")),
    ("sockets", re.compile(r"System\.Net\.Sockets")),
]


def main():
    path = sys.argv[1]
    numbers = [a for a in sys.argv[2:] if a.isdigit()]
    top = int(numbers[0]) if numbers else 40
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    inclusive, exclusive, buckets, ours, entries = Counter(), Counter(), Counter(), Counter(), Counter()
    total = 0.0
    for profile in data["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            at = event["at"]
            if stack and last is not None and at > last:
                span = at - last
                real = [f for f in stack if frames[f] not in PSEUDO]
                leaf = frames[real[-1]] if real else frames[stack[-1]]
                running = any(frames[f] == "CPU_TIME" for f in stack)
                if (running or not MANAGED_ONLY) and not any(WAIT.search(frames[f]) for f in real[-4:]) and not IDLE.search(leaf):
                    total += span
                    for f in set(stack):
                        inclusive[frames[f]] += span
                    exclusive[leaf] += span
                    names = [frames[f] for f in stack]
                    text = "\n".join(names)
                    for label, pattern in BUCKETS:
                        if pattern.search(text):
                            buckets[label] += span
                            break
                    else:
                        buckets["other"] += span
                    entries[entry_of(names)] += span
                    own = [n for n in names if n.startswith("OrderPayments.") or n.startswith("PaymentSimulator.")]
                    if own:
                        ours[own[-1]] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                if stack:
                    stack.pop()
    print(f"running samples: {total:.0f} {data['profiles'][0]['unit']}")
    print_sections(total, [
        ("by activity (first match in this order)", entries, None),
        ("buckets (first match on the stack)", buckets, None),
        ("inclusive", inclusive, top),
        ("exclusive", exclusive, top // 2),
        ("innermost OrderPayments frame", ours, top // 2),
    ])

main()

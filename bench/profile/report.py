"""What hot.py and perf_hot.py share: the activities a sample is put under, and the printing of the sections."""
import re

# What the process was doing, by the first of these found on the sample's stack (managed frames are written
# Type.Method by dotnet-trace and Type::Method by perf's map).
ENTRIES = [
    ("HTTP requests (Kestrel → endpoint → response)", re.compile(r"HttpProtocol\+<ProcessRequests>|Kestrel")),
    ("dispatcher loop (batches, steps, commits)", re.compile(r"RuntimeDispatcher\+<ExecuteAsync>|RuntimeDispatcher(\.|::)RunBatch|WorkSignal")),
    ("provider calls (activities, HttpClient)", re.compile(r"RunActivityAsync|PaymentActivities|System\.Net\.Http")),
    ("group commit of API writes", re.compile(r"GroupCommit")),
    ("storefront notifier", re.compile(r"StorefrontNotifier|StorefrontDeliverer")),
    ("GC", re.compile(r"gc_heap|GCHeap|GarbageCollect")),
]


def entry_of(names, entries=ENTRIES, other="other"):
    """The label of the first entry any of the frames matches, or `other`."""
    for label, pattern in entries:
        if any(pattern.search(name) for name in names):
            return label
    return other


def print_sections(total, sections):
    """sections: (title, collections.Counter, how many to print or None for all)."""
    for title, counts, limit in sections:
        print(f"\n-- {title}")
        for name, value in counts.most_common(limit):
            print(f"{100 * value / total:6.1f}%  {name[:160]}")

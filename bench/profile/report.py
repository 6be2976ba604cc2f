"""The shared printing of hot.py and perf_hot.py: each section's counts as shares of the total, largest first."""


def print_sections(total, sections):
    """sections: (title, collections.Counter, how many to print or None for all)."""
    for title, counts, limit in sections:
        print(f"\n-- {title}")
        for name, value in counts.most_common(limit):
            print(f"{100 * value / total:6.1f}%  {name[:160]}")

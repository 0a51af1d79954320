"""Benchmarks/profile's report: `perf script -F comm,tid,ip,sym` stacks, folded.

Without FUNCTION: the frames right above `runJobInEstablishedExecutorContext` (the cooperative
pool's entry: one per async function resumed) with their share of all samples. With FUNCTION
(a substring of a mangled name, e.g. JournalMiddleware): the tree of calls under its first
frame in each stack, three levels deep. Names are demangled with `swift demangle`.
"""

import collections
import subprocess
import sys

POOL_ENTRY = "runJobInEstablishedExecutorContext"


def stacks(path):
    current = []
    with open(path) as lines:
        for line in lines:
            if not line.strip():
                if current:
                    yield list(reversed(current))  # root first
                current = []
            elif line[0].isspace():
                current.append(line.strip().split(None, 1)[-1])
            else:
                current = []
    if current:
        yield list(reversed(current))


def demangled(names):
    names = sorted(set(names))
    out = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names), capture_output=True, text=True).stdout
    return dict(zip(names, out.split("\n")))


def main():
    all_stacks = list(stacks(sys.argv[1]))
    total = len(all_stacks) or 1
    focus = sys.argv[2] if len(sys.argv) > 2 else None
    counts = collections.Counter()
    for stack in all_stacks:
        if focus:
            at = next((i for i, frame in enumerate(stack) if focus in frame), None)
            if at is None:
                continue
            for depth in range(1, 5):
                if at + depth <= len(stack):
                    counts[tuple(stack[at : at + depth])] += 1
        else:
            at = next((i for i, frame in enumerate(stack) if POOL_ENTRY in frame), None)
            counts[(stack[at + 1] if at is not None and at + 1 < len(stack) else "(event loops, kernel, other threads)",)] += 1
    names = demangled(path[-1] for path in counts)
    print(f"{total} samples; {'calls under ' + focus if focus else 'async functions resumed on the pool'} (% of all samples)")

    def show(prefix, limit):
        children = sorted((p for p in counts if len(p) == len(prefix) + 1 and p[: len(prefix)] == prefix), key=lambda p: -counts[p])
        for path in children[:limit]:
            share = 100 * counts[path] / total
            if share >= 0.1:
                print(f"{'  ' * len(prefix)}{share:6.2f}%  {names.get(path[-1], path[-1])[:150]}")
                show(path, 8)

    if focus:
        show((), 3)
    else:
        for path, n in counts.most_common(30):
            print(f"{100 * n / total:6.2f}%  {names.get(path[-1], path[-1])[:150]}")


if __name__ == "__main__":
    main()

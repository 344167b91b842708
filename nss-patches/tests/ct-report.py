#!/usr/bin/env python3
"""ct-report.py VALGRIND_LOG FRAME_REGEX [EXCLUDE_REGEX]: the memcheck
reports of a constant-time run that concern the code under test.

Prints the number of "Conditional jump or move depends on uninitialised
value(s)" / "Use of uninitialised value" reports with a stack frame matching
FRAME_REGEX (and none matching EXCLUDE_REGEX), then each of them with its
stack.  Used by the constant-time.sh
tests of nss-patches and boringssl-patches."""
import re
import sys

KINDS = re.compile(r"(Conditional jump or move depends on uninitialised value"
                   r"|Use of uninitialised value)")


def reports(log):
    """Yields the lines of each memcheck report, without the ==PID== prefix."""
    block = []
    for line in log.splitlines():
        m = re.match(r"==\d+== ?(.*)", line)
        if not m:
            continue
        text = m.group(1)
        if text.strip():
            block.append(text)
        elif block:
            yield block
            block = []
    if block:
        yield block


def main():
    log = open(sys.argv[1], errors="replace").read()
    frame = re.compile(sys.argv[2])
    exclude = re.compile(sys.argv[3]) if len(sys.argv) > 3 else None
    found = [b for b in reports(log)
             if KINDS.match(b[0]) and any(frame.search(l) for l in b[1:])
             and not (exclude and any(exclude.search(l) for l in b[1:]))]
    print(len(found))
    for b in found:
        print("  " + "\n  ".join(b[:16]))


if __name__ == "__main__":
    main()

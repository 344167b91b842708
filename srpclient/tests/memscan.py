#!/usr/bin/env python3
"""memscan.py PID NAME=HEX...: search the memory of a running process.

Reads every readable mapping listed in /proc/PID/maps through /proc/PID/mem
(the same bytes a gcore dump would hold) and prints, for each needle, one
line "NAME COUNT [where...]" with the number of occurrences and the mappings
they are in.  Exit status 2 when the memory cannot be read (permissions)."""
import sys


def regions(pid):
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            parts = line.split()
            start, end = (int(x, 16) for x in parts[0].split("-"))
            name = parts[5] if len(parts) > 5 else "[anon]"
            if parts[1][0] == "r" and name not in ("[vvar]", "[vsyscall]"):
                yield start, end, name


def main():
    pid = int(sys.argv[1])
    needles = {}
    for arg in sys.argv[2:]:
        name, hexval = arg.split("=", 1)
        needles[name] = bytes.fromhex(hexval)
    hits = {name: [] for name in needles}
    readable = 0
    try:
        mem = open("/proc/%d/mem" % pid, "rb", buffering=0)
    except OSError as e:
        print("cannot open /proc/%d/mem: %s" % (pid, e), file=sys.stderr)
        return 2
    with mem:
        for start, end, name in regions(pid):
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except OSError:
                continue
            readable += len(data)
            for needle_name, needle in needles.items():
                at = data.find(needle)
                while at >= 0:
                    hits[needle_name].append("%s+%#x" % (name.rsplit("/", 1)[-1], at))
                    at = data.find(needle, at + 1)
    if readable == 0:
        print("no readable memory in process %d" % pid, file=sys.stderr)
        return 2
    for name in needles:
        print(name, len(hits[name]), " ".join(hits[name][:5]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

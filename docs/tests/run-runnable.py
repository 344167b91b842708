#!/usr/bin/env python3
"""run-runnable.py - run every code block marked runnable in docs/ and README.md.

Convention (documented in docs/index.md, "Runnable code blocks"): a fenced
code block whose info string is exactly "sh runnable" is run by this test.
  - It runs in bash with `set -euo pipefail`, from the repository root.
  - $DOCS_TMP is a fresh scratch directory under build/tmp/docs-runnable/.
  - Leading comment lines may declare what the block needs:
        # needs: PATH        a file or directory (relative to the repo root)
        # needs-cmd: NAME    a command on $PATH
    A missing need makes the block SKIP, naming what is missing.
        # expect: REGEX      stdout+stderr must match (Python re, search)
  - A block that finds a need missing only at run time exits with status 77:
    it is reported as SKIP with its last output line as the reason.
  - It must finish within $RUNNABLE_TIMEOUT seconds (default 120). It runs in
    its own session; whatever is left of that session afterwards is
    killed, so a block that starts a server cannot leak it.
Output: "PASS runnable:<file>:<line>", "FAIL ...: <why>" or "SKIP ...: <why>".
No runnable block at all is a FAIL (the docs promise some).
"""
import os
import re
import shutil
import signal
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TIMEOUT = int(os.environ.get("RUNNABLE_TIMEOUT", "120"))
FENCE = re.compile(r"^(\s{0,3})(`{3,}|~{3,})\s*(.*?)\s*$")


def blocks(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info, start = m.group(2), m.group(3), i + 1
        body = []
        i += 1
        while i < len(lines):
            e = FENCE.match(lines[i])
            if e and e.group(2)[0] == fence[0] and len(e.group(2)) >= len(fence) and not e.group(3):
                break
            body.append(lines[i])
            i += 1
        i += 1
        if info.split() == ["sh", "runnable"]:
            yield start, "\n".join(body)


def kill_session(sid):
    """Kill every process of session sid (the block ran as its leader). Killing the
    process group is not enough: `timeout` and job control move children to groups
    of their own, but not out of the session."""
    for _ in range(3):
        victims = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:  # field 6 of stat: session id
                victims.append(int(pid))
        if not victims:
            return
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def run(rel, line, body, n):
    name = "runnable:%s:%d" % (rel, line)
    needs, cmds, expects = [], [], []
    for l in body.split("\n"):
        m = re.match(r"^\s*#\s*(needs|needs-cmd|expect):\s*(.+?)\s*$", l)
        if m:
            {"needs": needs, "needs-cmd": cmds, "expect": expects}[m.group(1)].append(m.group(2))
    missing = [p for p in needs if not os.path.exists(os.path.join(ROOT, p))]
    missing += ["command " + c for c in cmds if shutil.which(c) is None]
    if missing:
        print("SKIP %s: missing %s" % (name, ", ".join(missing)))
        return 0
    tmp = os.path.join(ROOT, "build", "tmp", "docs-runnable", "%s-%d" % (rel.replace("/", "_"), line))
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    env = dict(os.environ, DOCS_TMP=tmp)
    script = "set -euo pipefail\n" + body + "\n"
    p = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=TIMEOUT)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        rc = None
        out = b""
    finally:
        kill_session(p.pid)
        if rc is None:
            out, _ = p.communicate()
    text = out.decode("utf-8", "replace")
    with open(os.path.join(tmp, "output.log"), "w") as f:
        f.write(text)
    tail = " | ".join(text.strip().split("\n")[-3:])[:300]
    if rc is None:
        print("FAIL %s: timed out after %ds; last output: %s" % (name, TIMEOUT, tail))
        return 1
    if rc == 77:  # the block found a need missing at run time (automake's SKIP code)
        last = text.strip().split("\n")[-1][:300] if text.strip() else "exit status 77"
        print("SKIP %s: %s" % (name, last))
        return 0
    if rc != 0:
        print("FAIL %s: exit status %d; last output: %s" % (name, rc, tail))
        return 1
    for e in expects:
        if not re.search(e, text):
            print("FAIL %s: output does not match /%s/; last output: %s" % (name, e, tail))
            return 1
    print("PASS %s" % name)
    return 0


def main():
    files = [os.path.join(ROOT, "README.md")]
    for d, dirs, names in os.walk(os.path.join(ROOT, "docs")):
        dirs[:] = sorted(x for x in dirs if x != "node_modules" and not x.startswith("."))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".md")]
    failed = count = 0
    for f in files:
        if not os.path.isfile(f):
            continue
        rel = os.path.relpath(f, ROOT)
        for line, body in blocks(f):
            count += 1
            failed += run(rel, line, body, count)
    if count == 0:
        print("FAIL runnable: no block marked 'sh runnable' found in README.md or docs/")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

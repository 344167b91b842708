#!/usr/bin/env python3
"""embed-latest-run.py - put the latest full interop run into docs/interop-report.md.

    docs/tools/embed-latest-run.py [build/interop/matrix.md] [--machine "Debian 12 x86_64, 2 cores"]

Replaces everything between the markers <!-- BEGIN LATEST FULL RUN --> and
<!-- END LATEST FULL RUN --> with the run's matrix.md, minus its "All cells" table
(one row per cell: thousands of rows, megabytes; it stays in build/interop/
matrix.{md,json,html}). Headings are demoted by one level so they nest under
"## Latest full run", and a "Run:" line records when, on which commit and machine,
and how long. Refuses a subset run: the report embeds the full matrix only.
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(ROOT, "docs", "interop-report.md")
BEGIN, END = "<!-- BEGIN LATEST FULL RUN -->", "<!-- END LATEST FULL RUN -->"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("matrix", nargs="?", default=os.path.join(ROOT, "build", "interop", "matrix.md"))
    ap.add_argument("--machine", default="Debian 12 x86_64, 2 cores")
    a = ap.parse_args()
    text = open(a.matrix, encoding="utf-8").read()
    first = text.split("\n", 1)[0]
    if "(full)" not in first:
        sys.exit("embed-latest-run: %s is not a full run (%r)" % (a.matrix, first))
    body = text.split("\n## All cells", 1)[0].rstrip("\n")
    body = "\n".join(body.split("\n")[1:]).strip("\n")  # drop the H1 title
    body = re.sub(r"^(#{1,4}) ", lambda m: "#" * (len(m.group(1)) + 1) + " ", body, flags=re.M)
    summary = os.path.join(os.path.dirname(a.matrix), "summary.json")
    finished = seconds = "?"
    commit = None
    if os.path.exists(summary):
        s = json.load(open(summary))
        finished, seconds = s.get("finished", "?"), "%.0f s" % s.get("seconds", 0)
        commit = s.get("commit")   # recorded by the runner when the run started
    commit_note = "run from commit `%s`" % commit if commit else "repository at commit `%s` when embedded" % (
        subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True).stdout.strip() or "?")
    block = "\n".join([
        BEGIN, "",
        "Run: %s, %s, %s (`make interop`; %s). The per-cell table (\"All cells\") is in "
        "`build/interop/matrix.md` / `matrix.json` / `matrix.html` of that run." % (finished, a.machine, seconds, commit_note),
        "", body, "", END])
    rep = open(REPORT, encoding="utf-8").read()
    i, j = rep.index(BEGIN), rep.index(END) + len(END)
    open(REPORT, "w", encoding="utf-8").write(rep[:i] + block + rep[j:])
    print("embedded %s (%d lines) into %s" % (a.matrix, body.count("\n") + 1, os.path.relpath(REPORT, ROOT)))


if __name__ == "__main__":
    main()

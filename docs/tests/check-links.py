#!/usr/bin/env python3
"""check-links.py - every relative link and image in docs/ and README.md resolves.

Scans README.md and every *.md / *.html file under docs/ (docs/ui/ included:
a broken link there is broken for readers too).  For each Markdown link or
image ([text](target), ![alt](target), reference definitions "[id]: target")
and each HTML href=/src= attribute it checks, when the target is relative:
  - the file or directory exists (relative to the linking file);
  - for "file.md#anchor" or "#anchor", that the heading anchor exists in the
    target Markdown file (GitHub's slug rules, plus explicit <a id=...>).
Absolute URLs (http:, https:, mailto:) are not fetched: the check must run
offline.  Links inside fenced code blocks and inline code are ignored.

Prints "PASS links:<file>" or "FAIL links:<file>: <what>" per file, exits 1
on any FAIL.  A run that finds no files at all is a FAIL, not a vacuous PASS.
"""
import os
import re
import sys
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:.+?)\1")
MD_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+.*)?$")
HTML_ATTR = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ID = re.compile(r"""<a\s+[^>]*(?:id|name)\s*=\s*["']([^"']+)["']""", re.I)


def strip_code(text, keep_inline=False):
    """Text with fenced blocks blanked and inline code removed (keeps line count).
    keep_inline keeps the text of inline code without its backticks (for headings)."""
    out, fence = [], None
    for line in text.split("\n"):
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            out.append("")
            continue
        if m:
            fence = m.group(1)
            out.append("")
            continue
        out.append(line.replace("`", "") if keep_inline else INLINE_CODE.sub("", line))
    return out


def slug(title, seen):
    s = re.sub(r"<[^>]+>", "", title)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)  # link text only
    s = s.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    s = s.replace(" ", "-")
    n = seen.get(s, 0)
    seen[s] = n + 1
    return s if n == 0 else "%s-%d" % (s, n)


_anchor_cache = {}


def anchors(path):
    if path not in _anchor_cache:
        seen, result = {}, set()
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for line in strip_code(text, keep_inline=True):
            m = HEADING.match(line)
            if m:
                result.add(slug(m.group(2), seen))
        result.update(HTML_ID.findall(text))
        _anchor_cache[path] = result
    return _anchor_cache[path]


def targets(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = strip_code(f.read())
    html = path.endswith(".html")
    for no, line in enumerate(lines, 1):
        found = HTML_ATTR.findall(line)
        if not html:
            found += MD_LINK.findall(line)
            m = REF_DEF.match(line)
            if m:
                found.append(m.group(1))
        for t in found:
            yield no, t


def check(path):
    problems = []
    for no, t in targets(path):
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", t) or t.startswith("//"):
            continue  # absolute URL (http:, https:, mailto:, data:)
        t_path, _, frag = t.partition("#")
        t_path = urllib.parse.unquote(t_path.split("?")[0])
        if t_path:
            dest = os.path.normpath(os.path.join(os.path.dirname(path), t_path))
        else:
            dest = path
        rel = os.path.relpath(dest, ROOT)
        if rel.startswith(".."):
            problems.append("line %d: %s leaves the repository" % (no, t))
            continue
        if not os.path.exists(dest):
            problems.append("line %d: %s -> %s does not exist" % (no, t, rel))
            continue
        if frag and dest.endswith(".md") and os.path.isfile(dest):
            if urllib.parse.unquote(frag).lower() not in anchors(dest):
                problems.append("line %d: %s: no heading #%s in %s" % (no, t, frag, rel))
    return problems


def main():
    files = [os.path.join(ROOT, "README.md")]
    for d, dirs, names in os.walk(os.path.join(ROOT, "docs")):
        dirs[:] = sorted(x for x in dirs if x not in ("node_modules",) and not x.startswith("."))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith((".md", ".html"))]
    files = [f for f in files if os.path.isfile(f)]
    if len(files) < 2:
        print("FAIL links: found %d files to check; expected README.md and docs/" % len(files))
        return 1
    failed = 0
    for f in files:
        rel = os.path.relpath(f, ROOT)
        probs = check(f)
        if probs:
            failed += 1
            print("FAIL links:%s: %s" % (rel, "; ".join(probs)))
        else:
            print("PASS links:%s" % rel)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

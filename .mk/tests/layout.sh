#!/bin/bash
# The top level holds exactly the project's parts, and build outputs stay under build/.
set -uo pipefail
cd "$(dirname "$0")/../.."
required="nss-patches boringssl-patches srpclient ui-mockups interop docs bench Makefile README.md"
allowed="$required .ci .mk .gitignore"
fails=0
if [ -d .git ]; then
  extra=$(git ls-files | cut -d/ -f1 | sort -u | while read -r e; do
            grep -qw -- "$e" <<<"$allowed" || echo "$e"; done)
  if [ -z "$extra" ]; then echo "PASS top level holds only the project's parts"
  else echo "FAIL top level: unexpected tracked entries: $extra"; fails=1; fi
  untracked=$(git status --porcelain --ignored=no | grep '^??' | grep -v ' build/' || true)
  if [ -z "$untracked" ]; then echo "PASS builds leave nothing outside build/"
  else echo "FAIL untracked files outside build/: $untracked"; fails=1; fi
else
  echo "SKIP tracked layout: not a git checkout"
fi
missing=$(for e in $required; do [ -e "$e" ] || echo "$e"; done)
if [ -z "$missing" ]; then echo "PASS every part of the layout exists"
else echo "FAIL layout: missing $missing"; fails=1; fi
grep -qx '/build/' .gitignore && echo "PASS build/ is gitignored" || { echo "FAIL build/ is not gitignored"; fails=1; }
exit $fails

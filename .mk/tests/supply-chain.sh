#!/bin/bash
# The supply chain refuses what it must: corrupted tarballs, unfetchable sources, patches
# that no longer apply; and it does no work twice. Uses the small NSPR tarball.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
source .mk/lib.sh
mkdir -p build/tmp
tmp=$(mktemp -d build/tmp/supply.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }
nspr=$(orig_of nspr)
sha=$(awk '$1 == "nspr" { print $4 }' .mk/sources.txt)

# 1. A corrupted orig tarball stops the fetch, naming file, expected and actual hash.
mkdir -p "$tmp/cache"
cp "$nspr" "$tmp/cache/" && printf 'X' | dd of="$tmp/cache/$(basename "$nspr")" bs=1 seek=1000 conv=notrunc 2>/dev/null
actual=$(sha256sum "$tmp/cache/$(basename "$nspr")" | cut -d' ' -f1)
out=$(SRC_CACHE=$tmp/cache .mk/fetch-source nspr 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q "checksum mismatch for $tmp/cache/nspr_4.36.orig.tar.gz" <<<"$out" &&
   grep -q "expected sha256 $sha" <<<"$out" && grep -q "actual   sha256 $actual" <<<"$out"; then
  pass "corrupted tarball stops the fetch with file, expected and actual hash"
else fail "corrupted tarball" "rc=$rc: $out"; fi

# 2. A source that cannot be fetched names the file and the directory to drop it in.
out=$(SRC_CACHE=$tmp/empty SYSTEM_SOURCES=$tmp/no-such-sources .mk/fetch-source nspr 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q "could not fetch nspr_4.36.orig.tar.gz" <<<"$out" && grep -q "$tmp/empty" <<<"$out" &&
   grep -q "make SRC_CACHE=" <<<"$out"; then
  pass "unfetchable source names the missing file and the drop-in cache directory"
else fail "unfetchable source" "rc=$rc: $out"; fi

# 3. A good series applies with git am; the second run does nothing.
mkdir -p "$tmp/good" && : > "$tmp/good/series"
tree=$tmp/tree
.mk/prepare-tree "$tree" "$nspr" nspr-4.36/nspr >/dev/null 2>&1
git -C "$tree" -c user.name=t -c user.email=t@invalid commit -q --allow-empty -m unused
sed -i '1s/^/dnl supply-chain test\n/' "$tree/configure.in"
git -C "$tree" -c user.name=t -c user.email=t@invalid commit -q --amend -a -m "Test: mark configure.in"
out=$(.mk/prepare-tree "$tree" "$nspr" nspr-4.36/nspr "$tmp/good" 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q "holds changes that are not in" <<<"$out"; then
  pass "a tree with unsaved commits is never overwritten"
else fail "unsaved commits" "rc=$rc: $out"; fi
.mk/refresh-patches "$tree" "$tmp/good" >/dev/null
if [ "$(cat "$tmp/good/series")" = "0001-Test-mark-configure.in.patch" ] &&
   .mk/prepare-tree "$tree" "$nspr" nspr-4.36/nspr "$tmp/good" >/dev/null 2>&1 &&
   [ "$(git -C "$tree" rev-list --count pristine..HEAD)" = 1 ]; then
  pass "refresh-patches writes the series and the tree is recognised as that series"
else fail "refresh-patches" "series: $(cat "$tmp/good/series")"; fi
rm -rf "$tree"
if .mk/prepare-tree "$tree" "$nspr" nspr-4.36/nspr "$tmp/good" >/dev/null 2>&1 &&
   head -1 "$tree/configure.in" | grep -q 'supply-chain test' &&
   [ "$(git -C "$tree" describe --tags --abbrev=0)" = pristine ]; then
  pass "series applies onto a git-initialised pristine tree"
else fail "series applies" "$(head -1 "$tree/configure.in")"; fi

# 3b. Another series on the same source rewinds the tree and keeps untracked build objects.
touch "$tree/built-object.o"
mkdir -p "$tmp/other"
sed 's/dnl supply-chain test/dnl supply-chain test, second series/' "$tmp/good/0001-Test-mark-configure.in.patch" > "$tmp/other/0001-other.patch"
echo 0001-other.patch > "$tmp/other/series"
if .mk/prepare-tree "$tree" "$nspr" nspr-4.36/nspr "$tmp/other" >/dev/null 2>&1 &&
   head -1 "$tree/configure.in" | grep -q 'second series' && [ -e "$tree/built-object.o" ] &&
   [ "$(git -C "$tree" rev-list --count pristine..HEAD)" = 1 ]; then
  pass "a changed series is re-applied in place, keeping build objects for an incremental build"
else fail "series change in place" "$(head -1 "$tree/configure.in"); $(ls "$tree" | head -3)"; fi

# 4. A patch that no longer applies stops the build and names the patch.
mkdir -p "$tmp/bad"
sed 's/^ dnl/ dnl drifted/' "$tmp/good/0001-Test-mark-configure.in.patch" > "$tmp/bad/0001-drifted.patch"
sed -i '0,/^ /s/^ \(.*\)$/ \1 drifted context/' "$tmp/bad/0001-drifted.patch"
echo 0001-drifted.patch > "$tmp/bad/series"
out=$(.mk/prepare-tree "$tmp/badtree" "$nspr" nspr-4.36/nspr "$tmp/bad" 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q "patch $tmp/bad/0001-drifted.patch does not apply" <<<"$out" && [ ! -e "$tmp/badtree" ]; then
  pass "a patch that does not apply stops with its name and leaves no half-patched tree"
else fail "non-applying patch" "rc=$rc: $out"; fi

# 5. cached-build: built once, up to date after, restored from cache elsewhere, rebuilt on change.
cat > "$tmp/recipe" <<'R'
#!/bin/bash
mkdir -p "$1" && date +%s%N > "$1/artifact" && echo built >> "$(dirname "$1")/recipe-runs"
R
chmod +x "$tmp/recipe"; echo one > "$tmp/input"
runs() { cat "$tmp/recipe-runs" 2>/dev/null | wc -l; }
b() { BUILD_CACHE=$tmp/bcache .mk/cached-build demo "$1" "$tmp/recipe" "$tmp/input" 2>&1; }
b "$tmp/stage" >/dev/null; o2=$(b "$tmp/stage"); o3=$(b "$tmp/clone/stage")
if [ "$(runs)" = 1 ] && grep -q "up to date" <<<"$o2" && grep -q "restored from build cache" <<<"$o3" &&
   cmp -s "$tmp/stage/artifact" "$tmp/clone/stage/artifact"; then
  pass "unchanged inputs build nothing; another clone restores from the build cache"
else fail "build cache" "runs=$(runs): $o2 / $o3"; fi
echo two > "$tmp/input"; b "$tmp/stage" >/dev/null
if [ "$(runs)" = 2 ]; then pass "a changed input rebuilds"; else fail "changed input" "runs=$(runs)"; fi

# 6. The repository holds patches, not trees, tarballs or generated secrets.
if [ -d .git ]; then
  bad=$(git ls-files | grep -E '\.orig\.tar|\.tar\.(gz|xz)$|(^|/)lib/ssl/ssl3con\.c$|(^|/)ssl/handshake_client\.cc$|tpasswd|\.srpv$|\.key$|\.pem$' || true)
  if [ -z "$bad" ]; then pass "no source tree, tarball, verifier or key is tracked"
  else fail "tracked artefacts" "$bad"; fi
else echo "SKIP tracked artefacts: not a git checkout"; fi

exit $((fails > 0))

#!/bin/bash
# Build unpatched NSS 3.110 (tag "pristine" of build/nss/src/nss) into
# build/nss-pristine/{bin,lib} for the default-off ClientHello comparison.
# Serial make without gtests; about 10-20 minutes on 2 shared cores.
# Does nothing if build/nss-pristine/bin/tstclnt already exists.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/build/nss-pristine
[ -x "$OUT/bin/tstclnt" ] && { echo "build-pristine: $OUT already built"; exit 0; }
SRC=$OUT/src
rm -rf "$SRC"
mkdir -p "$SRC/nss" "$SRC/nspr" "$OUT/bin" "$OUT/lib"
git -C "$ROOT/build/nss/src/nss" archive pristine | tar -x -C "$SRC/nss"
if git -C "$ROOT/build/nss/src/nspr" rev-parse -q --verify pristine >/dev/null; then
    git -C "$ROOT/build/nss/src/nspr" archive pristine | tar -x -C "$SRC/nspr"
else
    git -C "$ROOT/build/nss/src/nspr" archive HEAD | tar -x -C "$SRC/nspr"
fi
make -j1 -C "$SRC/nss" nss_build_all BUILD_OPT=1 USE_64=1 NSS_ENABLE_WERROR=0 \
    NSS_DISABLE_GTESTS=1 > "$OUT/build.log" 2>&1 || {
    tail -20 "$OUT/build.log" >&2
    exit 1
}
obj=$(ls -d "$SRC/dist"/Linux*_OPT.OBJ | head -1)
cp -L "$obj"/lib/*.so "$OUT/lib/"
cp -L "$obj"/bin/{tstclnt,listsuites} "$OUT/bin/"
rm -rf "$SRC"
echo "build-pristine: unpatched tstclnt in $OUT/bin"

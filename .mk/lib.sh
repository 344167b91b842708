# Shared by the build recipes: paths and the pinned tarball of a source package.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${SRC_CACHE:=$HOME/.cache/tls-srp-browser/sources}"
orig_of() { awk -v p="$1" '$1 == p { print ENVIRON["SRC_CACHE"] "/" $3 }' "$top/.mk/sources.txt"; }
export SRC_CACHE

#!/bin/bash
# Build unmodified curl 8.14.1 (Debian trixie orig tarball) against the
# patched BoringSSL, with TLS-SRP.
#
# Inputs:  build/boringssl/out/{libssl.a,libcrypto.a} (or out/ssl, out/crypto) and
#          build/boringssl/src/include (the patched tree, built);
#          curl_8.14.1.orig.tar.gz in $CURL_TARBALL_DIR (default /tmp/srccache),
#          or fetched with apt-get source if APT_CONFIG is set.
# Outputs: build/curl-boringssl/boringssl-prefix (staged BoringSSL),
#          build/curl-boringssl/curl-8.14.1 (build tree),
#          build/curl-boringssl/bin/curl (statically linked against BoringSSL).
#
# Usage: boringssl-patches/build-curl.sh   (from anywhere; -j2 at most)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/curl-boringssl
BSSL_SRC=$ROOT/build/boringssl/src
BSSL_OUT=$ROOT/build/boringssl/out
CURL_VERSION=8.14.1
TARBALL_DIR=${CURL_TARBALL_DIR:-/tmp/srccache}
TARBALL=$TARBALL_DIR/curl_$CURL_VERSION.orig.tar.gz
JOBS=${JOBS:-2}

# The Makefile stages the libraries in out/; a plain CMake build leaves them in
# out/ssl and out/crypto.
LIBSSL=$BSSL_OUT/libssl.a
[ -e "$LIBSSL" ] || LIBSSL=$BSSL_OUT/ssl/libssl.a
LIBCRYPTO=$BSSL_OUT/libcrypto.a
[ -e "$LIBCRYPTO" ] || LIBCRYPTO=$BSSL_OUT/crypto/libcrypto.a
for f in "$LIBSSL" "$LIBCRYPTO" "$BSSL_SRC/include/openssl/ssl.h"; do
  if [ ! -e "$f" ]; then
    echo "build-curl.sh: missing $f; build the patched BoringSSL first" >&2
    exit 1
  fi
done
if ! grep -q SSL_CTX_set_srp_username "$BSSL_SRC/include/openssl/ssl.h"; then
  echo "build-curl.sh: $BSSL_SRC is not patched with the SRP series" >&2
  exit 1
fi

if [ ! -f "$TARBALL" ]; then
  mkdir -p "$TARBALL_DIR"
  (cd "$TARBALL_DIR" && apt-get source --download-only "curl=$CURL_VERSION-2+deb13u5")
fi

mkdir -p "$OUT"

# Stage BoringSSL as an OpenSSL-style prefix.
PREFIX=$OUT/boringssl-prefix
rm -rf "$PREFIX"
mkdir -p "$PREFIX/lib" "$PREFIX/include"
cp -r "$BSSL_SRC/include/openssl" "$PREFIX/include/"
cp "$LIBSSL" "$LIBCRYPTO" "$PREFIX/lib/"

# Unpack pristine curl sources (never modified).
SRC=$OUT/curl-$CURL_VERSION
rm -rf "$SRC"
tar -xzf "$TARBALL" -C "$OUT"

cd "$SRC"
# libssl is C++ internally: link the C++ runtime and pthreads.
./configure \
  --prefix="$OUT/install" \
  --with-openssl="$PREFIX" \
  --disable-shared --enable-static \
  --disable-ldap --disable-ldaps --disable-rtsp --disable-dict \
  --disable-telnet --disable-tftp --disable-pop3 --disable-imap \
  --disable-smtp --disable-gopher --disable-mqtt --disable-manual \
  --disable-docs \
  --without-libpsl --without-brotli --without-zstd --without-nghttp2 \
  --without-libidn2 --without-librtmp --without-libssh2 --without-ca-bundle \
  --without-ca-path \
  LIBS="-lstdc++ -lpthread" \
  >"$OUT/configure.log" 2>&1 || {
    echo "build-curl.sh: configure failed, see $OUT/configure.log" >&2
    tail -20 "$OUT/configure.log" >&2
    exit 1
  }
grep -E 'SRP support|TLS-SRP' "$OUT/configure.log" || true

# Only libcurl and the curl tool (not libcurlu for curl's unit tests, nor docs).
{ make -j"$JOBS" -C lib libcurl.la && make -j"$JOBS" -C src curl; } >"$OUT/make.log" 2>&1 || {
  echo "build-curl.sh: make failed, see $OUT/make.log" >&2
  tail -20 "$OUT/make.log" >&2
  exit 1
}

mkdir -p "$OUT/bin"
cp src/curl "$OUT/bin/curl"
"$OUT/bin/curl" -V
if ! "$OUT/bin/curl" -V | grep -q 'TLS-SRP'; then
  echo "build-curl.sh: curl does not report TLS-SRP" >&2
  exit 1
fi
echo "build-curl.sh: built $OUT/bin/curl"

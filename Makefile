# TLS-SRP for browsers: one entry point for fetching, patching, building and testing.
#
#   make deps       install the Debian packages the project needs (as root)
#   make fetch      pinned upstream tarballs from Debian 13 source packages
#   make patch      pristine git trees under build/ with the patch series applied
#   make all        patched NSS and BoringSSL, curl on BoringSSL, srpclient
#   make check      the tests, with the representative interop subset
#   make interop    the full interop matrix
#   make fuzz       the libFuzzer targets for both libraries (FUZZ_SECONDS per target)
#   make bench      handshake cost, arithmetic floor, soak and footprint (build/bench)
#   make sanitize-check   with SANITIZE=1: hostile suite and interop subset on ASan + UBSan builds
#   make mockups    render every UI mockup state to PNG (build/mockups, docs/ui)
#   make install    srpclient and its man page (PREFIX, DESTDIR)
#   make refresh-patches   write the trees' commits back as nss-patches/ and boringssl-patches/
#
# Variables: SRC_CACHE (downloaded tarballs) and BUILD_CACHE (built libraries, keyed by
# sources + patch series + recipe) default to ~/.cache/tls-srp-browser, outside the checkout,
# so fresh clones on one machine reuse them. SANITIZE=1 builds with ASan + UBSan.

SHELL := /bin/bash
.DEFAULT_GOAL := all

export SRC_CACHE ?= $(HOME)/.cache/tls-srp-browser/sources
export BUILD_CACHE ?= $(HOME)/.cache/tls-srp-browser/builds
export SANITIZE ?=

BUILD := build
NSS_DIST := $(BUILD)/nss/dist
BORINGSSL_DIST := $(BUILD)/boringssl/dist
CURL_BORINGSSL := $(BUILD)/curl-boringssl

series_files = $(1)/series $(addprefix $(1)/,$(shell sed 's/\#.*//' $(1)/series 2>/dev/null))
NSS_INPUTS := .mk/sources.txt .mk/lib.sh .mk/prepare-tree $(call series_files,nss-patches)
BORINGSSL_INPUTS := .mk/sources.txt .mk/lib.sh .mk/prepare-tree $(call series_files,boringssl-patches)

.PHONY: all deps deps-check fetch patch nss nss-pristine boringssl boringssl-pristine curl-boringssl \
        check interop fuzz nss-fuzz boringssl-fuzz bench sanitize-check \
        refresh-patches mockups install clean distclean

# srpclient.mk picks its backends by looking at the staged libraries when it is read,
# so srpclient is made by a second make once they exist.
all: nss boringssl curl-boringssl
	@$(MAKE) --no-print-directory srpclient

deps:
	@.mk/deps

deps-check:
	@.mk/deps --check

fetch: deps-check
	@for p in $$(awk '!/^#/ && NF { print $$1 }' .mk/sources.txt); do .mk/fetch-source $$p || exit 1; done

patch: fetch
	@. .mk/lib.sh && \
	.mk/prepare-tree $(BUILD)/nss/src/nspr "$$(orig_of nspr)" nspr-4.36/nspr && \
	.mk/prepare-tree $(BUILD)/nss/src/nss "$$(orig_of nss)" nss-3.110/nss nss-patches && \
	.mk/prepare-tree $(BUILD)/boringssl/src "$$(orig_of android-platform-external-boringssl)" \
	  android-platform-external-boringssl-14.0.0+r45/src boringssl-patches && \
	echo "patch: trees ready under $(BUILD)/nss/src and $(BUILD)/boringssl/src"

nss: fetch
	@.mk/cached-build nss $(NSS_DIST) .mk/build-nss $(NSS_INPUTS)

nss-pristine: fetch
	@.mk/cached-build nss-pristine $(BUILD)/nss-pristine .mk/build-nss-pristine .mk/build-nss .mk/sources.txt .mk/lib.sh .mk/prepare-tree

boringssl: fetch
	@.mk/cached-build boringssl $(BORINGSSL_DIST) .mk/build-boringssl $(BORINGSSL_INPUTS)

curl-boringssl: boringssl
	@.mk/cached-build curl-boringssl $(CURL_BORINGSSL) .mk/build-curl-boringssl \
	  .mk/sources.txt $(BORINGSSL_DIST)/.key

# libFuzzer builds (clang, ASan + UBSan, sanitizer coverage), each with its own source tree
# and stage, so they never disturb the regular builds.
nss-fuzz: fetch
	@.mk/cached-build nss-fuzz $(BUILD)/fuzz/nss .mk/build-nss-fuzz $(NSS_INPUTS)

boringssl-fuzz: fetch
	@.mk/cached-build boringssl-fuzz $(BUILD)/fuzz/boringssl .mk/build-boringssl-fuzz $(BORINGSSL_INPUTS)

# Unpatched BoringSSL: the reference for the footprint comparison.
boringssl-pristine: fetch
	@.mk/cached-build boringssl-pristine $(BUILD)/boringssl-pristine .mk/build-boringssl-pristine \
	  .mk/build-boringssl .mk/sources.txt .mk/lib.sh .mk/prepare-tree

refresh-patches:
	@.mk/refresh-patches $(BUILD)/nss/src/nss nss-patches
	@.mk/refresh-patches $(BUILD)/boringssl/src boringssl-patches

BORINGSSL_SRC := $(BORINGSSL_DIST)
BORINGSSL_OUT := $(BORINGSSL_DIST)/lib
include srpclient/srpclient.mk

check: deps-check all nss-pristine nss-fuzz boringssl-fuzz
	@.mk/run-checks

interop: deps-check all
	@interop/run-matrix --full --with-plugins

FUZZ_SECONDS ?= 1800
fuzz: deps-check nss-fuzz boringssl-fuzz
	@nss-patches/fuzz/run $(FUZZ_SECONDS) && boringssl-patches/fuzz/run $(FUZZ_SECONDS)

bench: deps-check all nss-pristine boringssl-pristine
	@bench/run

sanitize-check: deps-check all
	@.mk/run-sanitize-checks

mockups: deps-check
	cd ui-mockups && node tools/render.mjs

install: srpclient-install

clean: srpclient-clean
	rm -rf $(filter-out $(BUILD)/nss $(BUILD)/boringssl,$(wildcard $(BUILD)/*)) \
	  $(NSS_DIST) $(BORINGSSL_DIST) $(BUILD)/boringssl/out $(BUILD)/nss/src/dist

# Also the source trees (with any unsaved work in them) and this machine's caches.
distclean: clean
	rm -rf $(BUILD) $(SRC_CACHE) $(BUILD_CACHE)

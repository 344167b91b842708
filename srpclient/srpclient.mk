# srpclient build rules: included by the top-level Makefile (run from the repo root).
#
# Variables (override on the make command line or before the include):
#   NSS_DIST       staged NSS: $(NSS_DIST)/{bin,lib,include/nss,include/nspr}
#                  (default build/nss/dist; falls back to the unstaged
#                  build/nss/src/dist/{public/nss,<OBJDIR>/{include,lib}})
#   BORINGSSL_SRC  BoringSSL source tree (include/openssl/ssl.h), default build/boringssl/src
#   BORINGSSL_OUT  BoringSSL build dir (libssl.a, libcrypto.a), default build/boringssl/out
#   PREFIX, DESTDIR  for srpclient-install (default /usr/local)
#   SRPCLIENT_CC, SRPCLIENT_CFLAGS
#   SANITIZE       non-empty: compile and link with ASan + UBSan (like the staged libraries)
# Targets: srpclient (build/bin/srpclient), srpclient-tests (build/srpclient/unit_tests),
#          srpclient-install, srpclient-clean.
# A backend whose library (or its TLS-SRP API) is missing is compiled as a stub:
# srpclient then says "TLS backend 'X' not built: <why>" at run time.

NSS_DIST      ?= build/nss/dist
BORINGSSL_SRC ?= build/boringssl/src
BORINGSSL_OUT ?= build/boringssl/out
PREFIX        ?= /usr/local
DESTDIR       ?=

SRPC_SRCDIR := srpclient/src
SRPC_OBJDIR := build/srpclient/obj
SRPC_BIN    ?= build/bin/srpclient
SRPC_CC     := $(or $(SRPCLIENT_CC),cc)
SRPC_CXX    := $(or $(SRPCLIENT_CXX),c++)
comma := ,
# With SANITIZE, glibc's fortified string functions would bypass ASan's checks of them.
SRPC_SAN    := $(if $(SANITIZE),-fsanitize=address$(comma)undefined -fno-omit-frame-pointer)
SRPC_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -fstack-protector-strong \
               $(if $(SANITIZE),,-D_FORTIFY_SOURCE=2) -D_GNU_SOURCE -fPIE -fvisibility=hidden \
               $(SRPC_SAN) $(SRPCLIENT_CFLAGS)
SRPC_CURL_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
SRPC_CURL_LIBS   := -lcurl-gnutls
SRPC_MHD_CFLAGS  := $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
SRPC_MHD_LIBS    := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
SRPC_GNUTLS_LIBS := $(shell pkg-config --libs gnutls 2>/dev/null || echo -lgnutls)

# ---- NSS: staged dist, else the unstaged tree
SRPC_NSS_INC  := $(NSS_DIST)/include/nss
SRPC_NSPR_INC := $(NSS_DIST)/include/nspr
SRPC_NSS_LIB  := $(NSS_DIST)/lib
ifeq ($(wildcard $(SRPC_NSS_INC)/ssl.h),)
  SRPC_NSS_OBJ  := $(firstword $(wildcard build/nss/src/dist/*_OPT.OBJ))
  ifneq ($(SRPC_NSS_OBJ),)
    SRPC_NSS_INC  := build/nss/src/dist/public/nss
    SRPC_NSPR_INC := $(SRPC_NSS_OBJ)/include
    SRPC_NSS_LIB  := $(SRPC_NSS_OBJ)/lib
    SRPC_NSS_EXTRA_RPATH := :$(abspath $(SRPC_NSS_OBJ)/lib)
  endif
endif
SRPC_HAVE_NSS := $(if $(wildcard $(SRPC_NSS_INC)/ssl.h),$(if $(wildcard $(SRPC_NSS_LIB)/libssl3.so),$(shell grep -l SSL_SetSRPClientCredentials $(SRPC_NSS_INC)/ssl.h 2>/dev/null)))
ifneq ($(SRPC_HAVE_NSS),)
  SRPC_NSS_O      := $(SRPC_OBJDIR)/backend_nss.o
  SRPC_NSS_LDLIBS := -Wl,--disable-new-dtags -L$(SRPC_NSS_LIB) -lssl3 -lsmime3 -lnss3 -lnssutil3 -lplc4 -lnspr4 \
                     -Wl,-rpath,'$$ORIGIN/../nss/dist/lib:$$ORIGIN/../lib/srpclient$(SRPC_NSS_EXTRA_RPATH)'
  SRPC_NSS_DEPS   := $(SRPC_NSS_INC)/ssl.h $(SRPC_NSS_INC)/sslproto.h $(SRPC_NSS_INC)/sslerr.h
else
  SRPC_NSS_O      := $(SRPC_OBJDIR)/backend_nss_stub.o
  SRPC_NSS_LDLIBS :=
  SRPC_NSS_DEPS   :=
endif

# ---- BoringSSL: static, folded into one relocatable object whose only global
# symbol is srpc_backend_boringssl (everything else localized), so neither
# NSS/GnuTLS/libssh2 nor the OpenSSL libcrypto that libcurl-gnutls pulls in can
# bind to BoringSSL symbols, nor BoringSSL to theirs.
# libssl.a/libcrypto.a: in BORINGSSL_OUT itself or, with BoringSSL's current CMake, in ssl/ and crypto/
SRPC_BSSL_LIBSSL    := $(firstword $(wildcard $(BORINGSSL_OUT)/libssl.a $(BORINGSSL_OUT)/ssl/libssl.a))
SRPC_BSSL_LIBCRYPTO := $(firstword $(wildcard $(BORINGSSL_OUT)/libcrypto.a $(BORINGSSL_OUT)/crypto/libcrypto.a))
SRPC_HAVE_BSSL := $(if $(SRPC_BSSL_LIBSSL),$(if $(SRPC_BSSL_LIBCRYPTO),$(shell grep -l SSL_set_srp_client_credentials $(BORINGSSL_SRC)/include/openssl/ssl.h 2>/dev/null)))
ifneq ($(SRPC_HAVE_BSSL),)
  SRPC_BSSL_O      := $(SRPC_OBJDIR)/backend_boringssl_linked.o
  SRPC_BSSL_LDLIBS := -lstdc++
else
  SRPC_BSSL_O      := $(SRPC_OBJDIR)/backend_boringssl_stub.o
  SRPC_BSSL_LDLIBS :=
endif

# What every object is built for: the flavour and the staged libraries' cache keys (a
# restored stage keeps its old mtimes, so the libraries' timestamps cannot tell). The
# stamp file changes only when this does, and everything depends on it.
SRPC_BUILD_ID := sanitize=$(SANITIZE) nss=$(strip $(shell cat $(NSS_DIST)/.key 2>/dev/null)) \
                 boringssl=$(strip $(shell cat $(BORINGSSL_SRC)/.key 2>/dev/null))
SRPC_STAMP    := $(SRPC_OBJDIR)/build-id

SRPC_CORE := options credentials prompt suites net report login transfer bridge bridge_request help backend
SRPC_CORE_O := $(patsubst %,$(SRPC_OBJDIR)/%.o,$(SRPC_CORE))
SRPC_HDRS := $(wildcard $(SRPC_SRCDIR)/*.h)

.PHONY: srpclient srpclient-tests srpclient-install srpclient-clean srpclient-config
srpclient: $(SRPC_BIN) srpclient-tests

srpclient-config:
	@echo "NSS backend:       $(if $(SRPC_HAVE_NSS),yes ($(SRPC_NSS_INC), $(SRPC_NSS_LIB)),no (no TLS-SRP NSS at $(NSS_DIST)))"
	@echo "BoringSSL backend: $(if $(SRPC_HAVE_BSSL),yes ($(SRPC_BSSL_LIBSSL) $(SRPC_BSSL_LIBCRYPTO)),no (no TLS-SRP BoringSSL at $(BORINGSSL_OUT)))"

$(SRPC_OBJDIR) build/bin:
	mkdir -p $@

$(SRPC_STAMP): FORCE | $(SRPC_OBJDIR)
	@echo '$(SRPC_BUILD_ID)' | cmp -s - $@ || echo '$(SRPC_BUILD_ID)' > $@
.PHONY: FORCE
$(SRPC_CORE_O) $(SRPC_BIN) build/srpclient/unit_tests \
$(addprefix $(SRPC_OBJDIR)/,main.o backend_gnutls.o backend_nss.o backend_nss_stub.o backend_boringssl.o backend_boringssl_stub.o): $(SRPC_STAMP)

$(SRPC_OBJDIR)/%.o: $(SRPC_SRCDIR)/%.c $(SRPC_HDRS) | $(SRPC_OBJDIR)
	$(SRPC_CC) $(SRPC_CFLAGS) $(SRPC_CURL_CFLAGS) $(SRPC_MHD_CFLAGS) -c -o $@ $<

$(SRPC_OBJDIR)/backend_gnutls.o: $(SRPC_SRCDIR)/backend_gnutls.c $(SRPC_HDRS) | $(SRPC_OBJDIR)
	$(SRPC_CC) $(SRPC_CFLAGS) $(shell pkg-config --cflags gnutls 2>/dev/null) -c -o $@ $<

$(SRPC_OBJDIR)/backend_nss.o: $(SRPC_SRCDIR)/backend_nss.c $(SRPC_HDRS) $(SRPC_NSS_DEPS) | $(SRPC_OBJDIR)
	$(SRPC_CC) $(SRPC_CFLAGS) -DHAVE_NSS_SRP -I$(SRPC_NSS_INC) -I$(SRPC_NSPR_INC) -c -o $@ $<

$(SRPC_OBJDIR)/backend_nss_stub.o: $(SRPC_SRCDIR)/backend_nss.c $(SRPC_HDRS) | $(SRPC_OBJDIR)
	$(SRPC_CC) $(SRPC_CFLAGS) -c -o $@ $<

$(SRPC_OBJDIR)/backend_boringssl.o: $(SRPC_SRCDIR)/backend_boringssl.c $(SRPC_HDRS) $(BORINGSSL_SRC)/include/openssl/ssl.h | $(SRPC_OBJDIR)
	$(SRPC_CC) $(SRPC_CFLAGS) -DHAVE_BORINGSSL_SRP -I$(BORINGSSL_SRC)/include -c -o $@ $<

$(SRPC_OBJDIR)/backend_boringssl_stub.o: $(SRPC_SRCDIR)/backend_boringssl.c $(SRPC_HDRS) | $(SRPC_OBJDIR)
	$(SRPC_CC) $(SRPC_CFLAGS) -c -o $@ $<

$(SRPC_OBJDIR)/backend_boringssl_linked.o: $(SRPC_OBJDIR)/backend_boringssl.o $(SRPC_BSSL_LIBSSL) $(SRPC_BSSL_LIBCRYPTO)
	ld -r -o $@.tmp $< $(SRPC_BSSL_LIBSSL) $(SRPC_BSSL_LIBCRYPTO)
	objcopy --keep-global-symbol=srpc_backend_boringssl $@.tmp $@
	rm -f $@.tmp

$(SRPC_BIN): srpclient/srpclient.mk $(SRPC_CORE_O) $(SRPC_OBJDIR)/main.o $(SRPC_OBJDIR)/backend_gnutls.o $(SRPC_NSS_O) $(SRPC_BSSL_O) | build/bin
	$(SRPC_CC) $(SRPC_SAN) -pie -Wl,-z,relro,-z,now -Wl,--as-needed -o $@ $(filter %.o,$^) \
	  $(SRPC_NSS_LDLIBS) $(SRPC_CURL_LIBS) $(SRPC_MHD_LIBS) $(SRPC_GNUTLS_LIBS) $(SRPC_BSSL_LDLIBS) -lpthread

# unit tests: core objects + stub backends (no TLS library needed)
build/srpclient/unit_tests: srpclient/tests/unit.c $(SRPC_CORE_O) $(SRPC_OBJDIR)/backend_nss_stub.o $(SRPC_OBJDIR)/backend_boringssl_stub.o $(SRPC_OBJDIR)/backend_gnutls.o $(SRPC_HDRS)
	$(SRPC_CC) $(SRPC_CFLAGS) -I$(SRPC_SRCDIR) -o $@ srpclient/tests/unit.c $(SRPC_CORE_O) \
	  $(SRPC_OBJDIR)/backend_nss_stub.o $(SRPC_OBJDIR)/backend_boringssl_stub.o $(SRPC_OBJDIR)/backend_gnutls.o \
	  $(SRPC_CURL_LIBS) $(SRPC_MHD_LIBS) $(SRPC_GNUTLS_LIBS) -lpthread

srpclient-tests: build/srpclient/unit_tests

srpclient-install: $(SRPC_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(SRPC_BIN) $(DESTDIR)$(PREFIX)/bin/srpclient
	install -m 644 srpclient/srpclient.1 $(DESTDIR)$(PREFIX)/share/man/man1/srpclient.1
ifneq ($(SRPC_HAVE_NSS),)
	install -d $(DESTDIR)$(PREFIX)/lib/srpclient
	cp -P $(SRPC_NSS_LIB)/*.so $(SRPC_NSS_LIB)/*.chk $(DESTDIR)$(PREFIX)/lib/srpclient/ 2>/dev/null || \
	  cp -P $(SRPC_NSS_LIB)/*.so $(DESTDIR)$(PREFIX)/lib/srpclient/
endif

srpclient-clean:
	rm -rf build/srpclient $(SRPC_BIN)

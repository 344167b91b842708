/* BoringSSL backend (patched BoringSSL with TLS-SRP). */
#include "srpclient.h"
#ifndef HAVE_BORINGSSL_SRP
#include "backend_stub.h"
SRPC_STUB_BACKEND(srpc_backend_boringssl, "boringssl",
  "srpclient was compiled without a TLS-SRP capable BoringSSL (set BORINGSSL_SRC/BORINGSSL_OUT to the patched BoringSSL and rebuild)");
#else
#error "todo"
#endif

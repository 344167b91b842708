/* Arithmetic floor of one TLS-SRP client handshake in BoringSSL: what the
 * client must compute (x, k, u, A = g^a, v = g^x and the premaster secret)
 * through bssl::ssl_srp_client_compute (boringssl-patches 0001), the function
 * the handshake calls. Linked with the staged libssl.a/libcrypto.a.
 *
 *   floor-boringssl PARAMS_FILE ITERATIONS
 *
 * One warm-up call, then ITERATIONS timed calls; prints one JSON line. Under
 * callgrind, --toggle-collect=floor_once counts exactly the calls.
 *
 * ssl/internal.h is not staged, so the two internal functions are declared
 * here with the signatures of patch 0001. bssl::Array<uint8_t> is an owning
 * {T *data_; size_t size_;} pair (ssl/internal.h of the pinned BoringSSL);
 * FloorArray has that layout, and the harness frees what the call stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/mem.h>
#include <openssl/span.h>

#include "params.h"

namespace bssl {
template <typename T>
class Array;
struct SRPGroup;
const SRPGroup *ssl_srp_find_group(Span<const uint8_t> n, Span<const uint8_t> g);
bool ssl_srp_client_compute(Array<uint8_t> *out_A, Array<uint8_t> *out_premaster,
                            uint8_t *out_alert, const SRPGroup *group,
                            Span<const uint8_t> salt, Span<const uint8_t> B,
                            Span<const uint8_t> username, Span<const uint8_t> password,
                            Span<const uint8_t> a_for_testing);
}  // namespace bssl

namespace {

// FloorArray is layout-compatible with bssl::Array<uint8_t>.
struct FloorArray {
  uint8_t *data = nullptr;
  size_t size = 0;

  bssl::Array<uint8_t> *get() { return reinterpret_cast<bssl::Array<uint8_t> *>(this); }
  ~FloorArray() {
    OPENSSL_cleanse(data, size);
    OPENSSL_free(data);
  }
};

bssl::Span<const uint8_t> Bytes(const unsigned char *p, size_t len) {
  return bssl::Span<const uint8_t>(p, len);
}

bssl::Span<const uint8_t> Bytes(const char *s) {
  return bssl::Span<const uint8_t>(reinterpret_cast<const uint8_t *>(s), strlen(s));
}

}  // namespace

// One client computation with a fresh 256-bit a (as in a handshake). Kept out
// of line so that callgrind can collect exactly this.
extern "C" __attribute__((noinline)) int floor_once(const bssl::SRPGroup *group,
                                                   const floor_params *p) {
  FloorArray A, premaster;
  uint8_t alert;
  return bssl::ssl_srp_client_compute(A.get(), premaster.get(), &alert, group,
                                      Bytes(p->salt, p->salt_len), Bytes(p->B, p->B_len),
                                      Bytes(p->user), Bytes(p->password), {}) &&
         A.size > 0 && premaster.size > 0;
}

int main(int argc, char **argv) {
  static floor_params p;
  unsigned long iterations;
  if (argc != 3 || (iterations = strtoul(argv[2], nullptr, 10)) == 0) {
    fprintf(stderr, "usage: floor-boringssl PARAMS_FILE ITERATIONS\n");
    return 2;
  }
  if (!floor_read_params(argv[1], &p)) {
    return 2;
  }
  const bssl::SRPGroup *group =
      bssl::ssl_srp_find_group(Bytes(p.N, p.N_len), Bytes(p.g, p.g_len));
  if (group == nullptr) {
    fprintf(stderr, "floor-boringssl: %s: not an RFC 5054 group\n", argv[1]);
    return 2;
  }
  if (!floor_once(group, &p)) {
    fprintf(stderr, "floor-boringssl: ssl_srp_client_compute failed\n");
    return 1;
  }
  double start = floor_cpu_seconds();
  for (unsigned long i = 0; i < iterations; i++) {
    if (!floor_once(group, &p)) {
      fprintf(stderr, "floor-boringssl: ssl_srp_client_compute failed\n");
      return 1;
    }
  }
  floor_report("boringssl", &p, iterations, iterations + 1, floor_cpu_seconds() - start);
  return 0;
}

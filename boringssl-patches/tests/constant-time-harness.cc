// Constant-time harness for the SRP client arithmetic of boringssl-patches
// 0001 (ssl/srp.cc), run under valgrind memcheck by constant-time.sh.
//
// The password and the secret exponent a are marked undefined memory
// (VALGRIND_MAKE_MEM_UNDEFINED); x, v, the exponentiation base and S derive
// from them and stay undefined.  memcheck then reports every branch and every
// memory index that depends on them.  Only the outputs the protocol makes
// public are declassified, after the call: A (sent to the server) and the
// length of the premaster secret (RFC 5054 encodes S without leading zeros).
//
// Two runs: the RFC 5054 Appendix B vector with its a passed in (the result is
// checked, which also proves the declaration below matches the library), and
// a 2048-bit run where a comes from RAND_bytes as in a handshake; RAND_bytes
// is wrapped with valgrind's function wrapping and its output marked secret.
//
// The harness links the staged libssl.a/libcrypto.a.  ssl/internal.h is not
// staged, so the two entry points and the types they take are declared here,
// mirroring patch 0001.  Array<T> is declared with its data members only
// (pointer, size): no member function is defined here, so the library's own
// instantiations are the only ones.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include <openssl/mem.h>
#include <openssl/span.h>
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

namespace bssl {
template <typename T>
struct Array {
  T *data_ = nullptr;
  size_t size_ = 0;
};
struct SRPGroup {
  uint16_t bits;
  uint8_t g;
  const uint8_t *n;
  size_t n_len;
};
const SRPGroup *ssl_srp_group_by_bits(uint16_t bits);
bool ssl_srp_client_compute(Array<uint8_t> *out_A,
                            Array<uint8_t> *out_premaster, uint8_t *out_alert,
                            const SRPGroup *group, Span<const uint8_t> salt,
                            Span<const uint8_t> B, Span<const uint8_t> username,
                            Span<const uint8_t> password,
                            Span<const uint8_t> a_for_testing);
}  // namespace bssl

// RAND_bytes output is the secret exponent a: mark it secret as it is made.
extern "C" int I_WRAP_SONAME_FNNAME_ZU(NONE, RAND_bytes)(uint8_t *buf,
                                                         size_t len) {
  OrigFn fn;
  int ret;
  VALGRIND_GET_ORIG_FN(fn);
  CALL_FN_W_WW(ret, fn, buf, len);
  VALGRIND_MAKE_MEM_UNDEFINED(buf, len);
  return ret;
}

static std::vector<uint8_t> FromHex(const char *hex) {
  std::vector<uint8_t> out;
  std::string clean;
  for (const char *p = hex; *p; p++) {
    if (*p != ' ') clean += *p;
  }
  for (size_t i = 0; i + 1 < clean.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(strtoul(clean.substr(i, 2).c_str(),
                                                nullptr, 16)));
  }
  return out;
}

static std::vector<uint8_t> Bytes(const char *s) {
  return std::vector<uint8_t>(s, s + strlen(s));
}

// RFC 5054 Appendix B.
static const char kSalt[] = "BEB25379 D1A8581E B5A72767 3A2441EE";
static const char kSecretA[] =
    "60975527 035CF2AD 1989806F 0407210B C81EDC04 E2762A56 AFD529DD DA2D4393";
static const char kPublicA[] =
    "61D5E490 F6F1B795 47B0704C 436F523D D0E560F0 C64115BB 72557EC4"
    "4352E890 3211C046 92272D8B 2D1A5358 A2CF1B6E 0BFCF99F 921530EC"
    "8E393561 79EAE45E 42BA92AE ACED8251 71E1E8B9 AF6D9C03 E1327F44"
    "BE087EF0 6530E69F 66615261 EEF54073 CA11CF58 58F0EDFD FE15EFEA"
    "B349EF5D 76988A36 72FAC47B 0769447B";
static const char kPublicB[] =
    "BD0C6151 2C692C0C B6D041FA 01BB152D 4916A1E7 7AF46AE1 05393011"
    "BAF38964 DC46A067 0DD125B9 5A981652 236F99D9 B681CBF8 7837EC99"
    "6C6DA044 53728610 D0C6DDB5 8B318885 D7D82C7F 8DEB75CE 7BD4FBAA"
    "37089E6F 9C6059F3 88838E7A 00030B33 1EB76840 910440B1 B27AAEAE"
    "EB4012B7 D7665238 A8E3FB00 4B117B58";
static const char kPremaster[] =
    "B0DC82BA BCF30674 AE450C02 87745E79 90A3381F 63B387AA F271A10D"
    "233861E3 59B48220 F7C4693C 9AE12B0A 6F67809F 0876E2D0 13800D6C"
    "41BB59B6 D5979B5C 00A172B4 A2A5903A 0BDCAF8A 709585EB 2AFAFA8F"
    "3499B200 210DCC1F 10EB3394 3CD67FC8 8A2F39A4 BE5BEC4E C0A3212D"
    "C346D7E4 74B29EDE 8A469FFE CA686E5A";

static int failures = 0;

static void Report(const char *name, bool ok, const char *why) {
  if (ok) {
    printf("HARNESS-PASS %s\n", name);
  } else {
    printf("HARNESS-FAIL %s: %s\n", name, why);
    failures++;
  }
}

// Runs the client computation with the password (and a, when given) secret,
// then declassifies the public outputs.
static bool Compute(uint16_t bits, const std::vector<uint8_t> &B,
                    const std::vector<uint8_t> &a_for_testing,
                    std::vector<uint8_t> *out_A,
                    std::vector<uint8_t> *out_premaster) {
  const bssl::SRPGroup *group = bssl::ssl_srp_group_by_bits(bits);
  if (group == nullptr) {
    return false;
  }
  std::vector<uint8_t> salt = FromHex(kSalt), user = Bytes("alice");
  std::vector<uint8_t> password = Bytes("password123");
  std::vector<uint8_t> a = a_for_testing;
  VALGRIND_MAKE_MEM_UNDEFINED(password.data(), password.size());
  if (!a.empty()) {
    VALGRIND_MAKE_MEM_UNDEFINED(a.data(), a.size());
  }
  bssl::Array<uint8_t> A, premaster;
  uint8_t alert = 0;
  bool ok = bssl::ssl_srp_client_compute(&A, &premaster, &alert, group, salt,
                                         B, user, password, a);
  if (ok) {
    // Public outputs: A and the length of the premaster secret.  The
    // premaster bytes are declassified only to check them against the vector.
    VALGRIND_MAKE_MEM_DEFINED(&A.size_, sizeof(A.size_));
    VALGRIND_MAKE_MEM_DEFINED(A.data_, A.size_);
    VALGRIND_MAKE_MEM_DEFINED(&premaster.size_, sizeof(premaster.size_));
    VALGRIND_MAKE_MEM_DEFINED(premaster.data_, premaster.size_);
    out_A->assign(A.data_, A.data_ + A.size_);
    out_premaster->assign(premaster.data_, premaster.data_ + premaster.size_);
  }
  OPENSSL_free(A.data_);
  if (premaster.data_ != nullptr) {
    // OPENSSL_malloc keeps the block size just before the block; here it is
    // the (public) premaster length.
    VALGRIND_MAKE_MEM_DEFINED(premaster.data_ - sizeof(size_t),
                              sizeof(size_t));
  }
  OPENSSL_free(premaster.data_);
  return ok;
}

int main() {
  std::vector<uint8_t> A, S;
  bool ok = Compute(1024, FromHex(kPublicB), FromHex(kSecretA), &A, &S);
  Report("rfc5054-vector", ok && A == FromHex(kPublicA) &&
                               S == FromHex(kPremaster),
         "A or the premaster secret differs from RFC 5054 Appendix B");

  // A fresh a from RAND_bytes, in the default minimum group size.
  std::vector<uint8_t> B(256, 0x5a), A2, S2;
  ok = Compute(2048, B, {}, &A2, &S2);
  Report("random-a-2048", ok && A2.size() > 200 && S2.size() > 200,
         "the computation failed");
  return failures == 0 ? 0 : 1;
}

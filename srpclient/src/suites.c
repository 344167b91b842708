/* RFC 5054 cipher suites: IANA and OpenSSL spellings. */
#include "srpclient.h"
#include <string.h>
#include <strings.h>

const struct srpc_suite srpc_suites[] = {
  {0xC020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", "SRP-AES-256-CBC-SHA", 0},
  {0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", "SRP-AES-128-CBC-SHA", 0},
  {0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", "SRP-RSA-AES-256-CBC-SHA", 1},
  {0xC01E, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", "SRP-RSA-AES-128-CBC-SHA", 1},
  {0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", "SRP-DSS-AES-256-CBC-SHA", 1},
  {0xC01F, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", "SRP-DSS-AES-128-CBC-SHA", 1},
  {0xC01A, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", "SRP-3DES-EDE-CBC-SHA", 0},
  {0xC01B, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", "SRP-RSA-3DES-EDE-CBC-SHA", 1},
  {0xC01C, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA", "SRP-DSS-3DES-EDE-CBC-SHA", 1},
};
const size_t srpc_nsuites = sizeof(srpc_suites) / sizeof(srpc_suites[0]);
#define DEFAULT_SUITES 6   /* the AES ones; 3DES only when asked for */

const struct srpc_suite *srpc_suite_by_id(uint16_t id)
{
  for(size_t i = 0; i < srpc_nsuites; i++)
    if(srpc_suites[i].id == id)
      return &srpc_suites[i];
  return NULL;
}

int srpc_is_srp_suite(uint16_t id)
{
  return id >= 0xC01A && id <= 0xC022;
}

int srpc_suites_parse(const char *list, uint16_t *out, size_t max, size_t *n,
                      char *err, size_t errlen)
{
  *n = 0;
  if(!list) {
    for(size_t i = 0; i < DEFAULT_SUITES && i < max; i++)
      out[(*n)++] = srpc_suites[i].id;
    return 0;
  }
  const char *p = list;
  while(*p) {
    size_t len = strcspn(p, ":, ");
    if(len) {
      const struct srpc_suite *found = NULL;
      for(size_t i = 0; i < srpc_nsuites; i++) {
        if((strlen(srpc_suites[i].openssl) == len && !strncasecmp(p, srpc_suites[i].openssl, len)) ||
           (strlen(srpc_suites[i].iana) == len && !strncasecmp(p, srpc_suites[i].iana, len)))
          found = &srpc_suites[i];
      }
      if(!found) {
        snprintf(err, errlen, "unknown or non-SRP cipher suite '%.*s' (known: SRP-AES-256-CBC-SHA, "
                 "SRP-AES-128-CBC-SHA, SRP-RSA-AES-256-CBC-SHA, ... see --help)", (int)len, p);
        return -1;
      }
      int dup = 0;
      for(size_t i = 0; i < *n; i++)
        if(out[i] == found->id) dup = 1;
      if(!dup && *n < max)
        out[(*n)++] = found->id;
    }
    p += len;
    if(*p) p++;
  }
  if(!*n) {
    snprintf(err, errlen, "empty cipher suite list");
    return -1;
  }
  return 0;
}

const char *srpc_alert_name(int a)
{
  switch(a) {
  case 0: return "close_notify";
  case 10: return "unexpected_message";
  case 20: return "bad_record_mac";
  case 22: return "record_overflow";
  case 40: return "handshake_failure";
  case 42: return "bad_certificate";
  case 43: return "unsupported_certificate";
  case 46: return "certificate_unknown";
  case 47: return "illegal_parameter";
  case 48: return "unknown_ca";
  case 50: return "decode_error";
  case 51: return "decrypt_error";
  case 70: return "protocol_version";
  case 71: return "insufficient_security";
  case 80: return "internal_error";
  case 86: return "inappropriate_fallback";
  case 90: return "user_canceled";
  case 109: return "missing_extension";
  case 110: return "unsupported_extension";
  case 112: return "unrecognized_name";
  case 115: return "unknown_psk_identity";
  default: return NULL;
  }
}

/* Backend registry, and the alert policy every backend shares. */
#include "srpclient.h"
#include <stdio.h>
#include <string.h>

const struct srpc_backend *srpc_backend_find(const char *name)
{
  if(!strcmp(name, "nss")) return &srpc_backend_nss;
  if(!strcmp(name, "boringssl")) return &srpc_backend_boringssl;
  if(!strcmp(name, "gnutls")) return &srpc_backend_gnutls;
  return NULL;
}

enum srpc_errclass srpc_errclass_of_alert(int alert, const struct srpc_tls_params *p,
                                          char *err, size_t errlen)
{
  switch(alert) {
  case 40: /* handshake_failure */
  case 70: /* protocol_version */
  case 71: /* insufficient_security */
    return SRPC_E_NO_SRP;
  case 115: /* unknown_psk_identity (RFC 5054 2.5.1.2, 2.5.1.3) */
    return p->username ? SRPC_E_CRED_REJECTED : SRPC_E_CRED_REQUIRED;
  case 50: /* decode_error: GnuTLS servers send it instead of unknown_psk_identity
            * when the SRP extension is missing */
    return p->username ? SRPC_E_OTHER : SRPC_E_CRED_REQUIRED;
  case 20: /* bad_record_mac */
  case 51: /* decrypt_error: the device could not verify our Finished */
    return p->username ? SRPC_E_CRED_REJECTED : SRPC_E_OTHER;
  case 80: /* internal_error */
    if(p->username)
      snprintf(err, errlen, "device sent alert internal_error (GnuTLS servers do this for an "
               "unknown username)");
    return SRPC_E_OTHER;
  default:
    return SRPC_E_OTHER;
  }
}

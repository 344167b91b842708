/* Backend registry. */
#include "srpclient.h"
#include <string.h>

const struct srpc_backend *srpc_backend_find(const char *name)
{
  if(!strcmp(name, "nss")) return &srpc_backend_nss;
  if(!strcmp(name, "boringssl")) return &srpc_backend_boringssl;
  if(!strcmp(name, "gnutls")) return &srpc_backend_gnutls;
  return NULL;
}

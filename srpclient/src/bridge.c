/* --listen: HTTP-to-TLS-SRP bridge for unmodified browsers. Not implemented
 * yet: say so instead of pretending. */
#include "srpclient.h"

int srpc_bridge(struct srpc_session *s)
{
  srpc_session_fail(s, SRPC_EXIT_NOT_BUILT, "bridge mode (--listen %s) is not implemented in this "
                    "version of srpclient", s->opt->listen);
  return s->exit_code;
}

/* Included by a backend compiled without its library: the backend exists,
 * says it is not built, and never pretends to connect. */
#define SRPC_STUB_BACKEND(var, nm, reason) \
  const struct srpc_backend var = { nm, 0, reason, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/* BoringSSL backend (patched BoringSSL with the TLS-SRP client API:
 * SSL_set_srp_client_credentials, SSL_set_srp_min_group_bits,
 * SSL_get_srp_group_bits, SSL_get0_srp_username, SSL_R_SRP_*).
 * Linked statically and folded with libssl.a/libcrypto.a into one object whose
 * only global symbol is srpc_backend_boringssl (see srpclient.mk, README). */
#include "srpclient.h"
#ifndef HAVE_BORINGSSL_SRP
#include "backend_stub.h"
SRPC_STUB_BACKEND(srpc_backend_boringssl, "boringssl",
  "srpclient was compiled without a TLS-SRP capable BoringSSL (set BORINGSSL_SRC/BORINGSSL_OUT to the patched BoringSSL and rebuild)");
#else
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/crypto.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct srpc_tls {
  SSL *ssl;
  int fd;
  char cert_sha256[100];
};

static SSL_CTX *ctx;

static const char *bssl_version(void)
{
  return "BoringSSL (TLS-SRP patches)";
}

static int bssl_init(char *err, size_t errlen)
{
  ctx = SSL_CTX_new(TLS_method());
  if(!ctx) {
    snprintf(err, errlen, "SSL_CTX_new failed");
    return -1;
  }
  return 0;
}

static void bssl_cleanup(void)
{
  SSL_CTX_free(ctx);
  ctx = NULL;
}

/* SRP authenticates the device: accept its certificate (SRP-RSA) only when
 * an SRP suite was negotiated, and remember its fingerprint. */
static enum ssl_verify_result_t verify_cb(SSL *ssl, uint8_t *out_alert)
{
  struct srpc_tls *t = SSL_get_app_data(ssl);
  const SSL_CIPHER *c = SSL_get_pending_cipher(ssl);
  if(!c)
    c = SSL_get_current_cipher(ssl);
  if(!c || !srpc_is_srp_suite(SSL_CIPHER_get_protocol_id(c))) {
    *out_alert = SSL_AD_CERTIFICATE_UNKNOWN;
    return ssl_verify_invalid;
  }
  const STACK_OF(CRYPTO_BUFFER) *certs = SSL_get0_peer_certificates(ssl);
  if(t && certs && sk_CRYPTO_BUFFER_num(certs) > 0) {
    const CRYPTO_BUFFER *leaf = sk_CRYPTO_BUFFER_value(certs, 0);
    uint8_t md[SHA256_DIGEST_LENGTH];
    SHA256(CRYPTO_BUFFER_data(leaf), CRYPTO_BUFFER_len(leaf), md);
    char *o = t->cert_sha256;
    for(int i = 0; i < SHA256_DIGEST_LENGTH; i++)
      o += sprintf(o, i ? ":%02X" : "%02X", md[i]);
  }
  return ssl_verify_ok;
}

static enum srpc_errclass classify(struct srpc_tls *t, int ret, int saved_errno,
                                   const struct srpc_tls_params *p, char *err, size_t errlen)
{
  int srp_reason = 0, alert = -1, other = 0;
  uint32_t e;
  char first[200] = "";
  int sslerr = SSL_get_error(t->ssl, ret);
  while((e = ERR_get_error()) != 0) {
    if(ERR_GET_LIB(e) == ERR_LIB_SSL) {
      int r = ERR_GET_REASON(e);
      if(r >= SSL_AD_REASON_OFFSET && r < SSL_AD_REASON_OFFSET + 256)
        alert = r - SSL_AD_REASON_OFFSET;
      else if(r == SSL_R_SRP_CREDENTIALS_REQUIRED || r == SSL_R_SRP_CREDENTIALS_REJECTED ||
              r == SSL_R_SRP_GROUP_NOT_ACCEPTABLE || r == SSL_R_SRP_BAD_SERVER_PARAMETERS)
        srp_reason = r;
      else if(!other)
        other = r;
    }
    if(!first[0])
      ERR_error_string_n(e, first, sizeof(first));
  }
  if(p->alert_received)
    *p->alert_received = alert;
  if(sslerr == SSL_ERROR_WANT_READ || sslerr == SSL_ERROR_WANT_WRITE) {
    /* SO_RCVTIMEO/SO_SNDTIMEO expired: the socket said EAGAIN */
    snprintf(err, errlen, "timed out");
    return SRPC_E_TIMEOUT;
  }
  if(sslerr == SSL_ERROR_SYSCALL && !first[0]) {
    if(saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) {
      snprintf(err, errlen, "timed out");
      return SRPC_E_TIMEOUT;
    }
    snprintf(err, errlen, "%s", saved_errno ? strerror(saved_errno) : "device closed the connection");
    if(p->closed_without_alert && (saved_errno == 0 || saved_errno == ECONNRESET))
      *p->closed_without_alert = 1;
    return SRPC_E_OTHER;
  }
  snprintf(err, errlen, "%s%s%s", first[0] ? first : "handshake failed",
           alert >= 0 ? ", alert " : "", alert >= 0 ? (srpc_alert_name(alert) ? srpc_alert_name(alert) : "?") : "");
  switch(srp_reason) {
  case SSL_R_SRP_CREDENTIALS_REQUIRED: return SRPC_E_CRED_REQUIRED;
  case SSL_R_SRP_CREDENTIALS_REJECTED: return SRPC_E_CRED_REJECTED;
  case SSL_R_SRP_GROUP_NOT_ACCEPTABLE: return SRPC_E_GROUP;
  case SSL_R_SRP_BAD_SERVER_PARAMETERS: return SRPC_E_OTHER;
  default: break;
  }
  if(other == SSL_R_NO_SHARED_CIPHER || other == SSL_R_UNSUPPORTED_PROTOCOL)
    return SRPC_E_NO_SRP;
  return srpc_errclass_of_alert(alert, p, err, errlen);
}

static enum srpc_errclass bssl_connect(int fd, const struct srpc_tls_params *p,
                                       struct srpc_tls **out, char *err, size_t errlen)
{
  struct srpc_tls *t = calloc(1, sizeof(*t));
  char list[512] = "";
  int ret;
  if(!t) {
    close(fd);
    snprintf(err, errlen, "out of memory");
    return SRPC_E_OTHER;
  }
  t->fd = fd;
  ERR_clear_error();
  for(size_t i = 0; i < p->nsuites; i++) {
    const struct srpc_suite *s = srpc_suite_by_id(p->suites[i]);
    if(!s || strstr(s->openssl, "-DSS-"))
      continue;                   /* BoringSSL has no DSA in TLS */
    if(list[0])
      strncat(list, ":", sizeof(list) - strlen(list) - 1);
    strncat(list, s->openssl, sizeof(list) - strlen(list) - 1);
  }
  t->ssl = SSL_new(ctx);
  if(!t->ssl || !list[0] || !SSL_set_strict_cipher_list(t->ssl, list) ||
     !SSL_set_min_proto_version(t->ssl, (uint16_t)(0x0300 + (p->tls_min ? p->tls_min : 3))) ||
     !SSL_set_max_proto_version(t->ssl, (uint16_t)(0x0300 + (p->tls_max ? p->tls_max : 3))) ||
     !SSL_set_srp_min_group_bits(t->ssl, p->min_group_bits) ||
     (p->username && !SSL_set_srp_client_credentials(t->ssl, p->username, p->password)) ||
     !SSL_set_tlsext_host_name(t->ssl, p->host) ||
     !SSL_set_fd(t->ssl, fd)) {
    char e[200] = "";
    ERR_error_string_n(ERR_get_error(), e, sizeof(e));
    snprintf(err, errlen, "BoringSSL setup failed%s%s%s", list[0] ? "" : " (no usable SRP suite)",
             e[0] ? ": " : "", e);
    if(t->ssl) SSL_free(t->ssl);
    close(fd);
    free(t);
    return SRPC_E_OTHER;
  }
  SSL_set_app_data(t->ssl, t);
  SSL_set_custom_verify(t->ssl, SSL_VERIFY_PEER, verify_cb);
  if(p->timeout_ms > 0)
    srpc_set_io_timeout(fd, p->timeout_ms);
  errno = 0;
  ret = SSL_connect(t->ssl);
  if(ret != 1) {
    enum srpc_errclass c = classify(t, ret, errno, p, err, errlen);
    SSL_free(t->ssl);
    close(fd);
    free(t);
    return c;
  }
  srpc_set_io_timeout(fd, 0);
  *out = t;
  return SRPC_OK;
}

static ssize_t bssl_read(struct srpc_tls *t, void *buf, size_t len)
{
  int r = SSL_read(t->ssl, buf, len > 0x7fffffff ? 0x7fffffff : (int)len);
  if(r > 0)
    return r;
  switch(SSL_get_error(t->ssl, r)) {
  case SSL_ERROR_ZERO_RETURN: return 0;
  case SSL_ERROR_WANT_READ: case SSL_ERROR_WANT_WRITE: return -2;
  case SSL_ERROR_SYSCALL: ERR_clear_error(); return r == 0 ? 0 : -1;
  default: ERR_clear_error(); return -1;
  }
}

static ssize_t bssl_write(struct srpc_tls *t, const void *buf, size_t len)
{
  int r = SSL_write(t->ssl, buf, len > 0x7fffffff ? 0x7fffffff : (int)len);
  if(r <= 0) {
    ERR_clear_error();
    return -1;
  }
  return r;
}

static size_t bssl_pending(struct srpc_tls *t) { return (size_t)SSL_pending(t->ssl); }
static int bssl_fd(struct srpc_tls *t) { return t->fd; }

static void bssl_info(struct srpc_tls *t, struct srpc_conn_info *ci)
{
  const char *v = SSL_get_version(t->ssl);
  const SSL_CIPHER *c = SSL_get_current_cipher(t->ssl);
  if(v && !strncmp(v, "TLSv", 4))
    snprintf(ci->tls_version, sizeof(ci->tls_version), "TLS %s", v + 4);
  else
    snprintf(ci->tls_version, sizeof(ci->tls_version), "%s", v ? v : "?");
  if(!strcmp(ci->tls_version, "TLS 1"))
    snprintf(ci->tls_version, sizeof(ci->tls_version), "TLS 1.0");
  if(c) {
    ci->suite_id = SSL_CIPHER_get_protocol_id(c);
    snprintf(ci->cipher_suite, sizeof(ci->cipher_suite), "%s", SSL_CIPHER_standard_name(c));
  }
  ci->resumed = SSL_session_reused(t->ssl);
  ci->group_bits = SSL_get_srp_group_bits(t->ssl);
  const char *u = SSL_get0_srp_username(t->ssl);
  if(u)
    snprintf(ci->username, sizeof(ci->username), "%s", u);
  snprintf(ci->cert_sha256, sizeof(ci->cert_sha256), "%s", t->cert_sha256);
}

static void bssl_close(struct srpc_tls *t)
{
  SSL_shutdown(t->ssl);           /* close_notify */
  SSL_free(t->ssl);
  ERR_clear_error();
  close(t->fd);
  free(t);
}

const struct srpc_backend srpc_backend_boringssl = {
  "boringssl", 1, NULL, bssl_version, bssl_init, bssl_cleanup, bssl_connect, bssl_read,
  bssl_write, bssl_pending, bssl_fd, bssl_info, bssl_close
};
#endif

/* GnuTLS backend: a REFERENCE backend used to test srpclient's front end
 * (credential flow, HTTP pump, exit codes) against real SRP servers while
 * the patched NSS/BoringSSL are being written. Product backends are nss and
 * boringssl. GnuTLS is in the process anyway (libcurl-gnutls). */
#include "srpclient.h"
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct srpc_tls {
  gnutls_session_t sess;
  gnutls_srp_client_credentials_t srp;
  gnutls_certificate_credentials_t x509;
  int fd;
  unsigned min_bits;
};

static const char *gt_version(void)
{
  static char v[64];
  snprintf(v, sizeof(v), "GnuTLS %s", gnutls_check_version(NULL));
  return v;
}

static int gt_init(char *err, size_t errlen)
{
  int r = gnutls_global_init();
  if(r < 0) {
    snprintf(err, errlen, "%s", gnutls_strerror(r));
    return -1;
  }
  return 0;
}

static void gt_cleanup(void)
{
  gnutls_global_deinit();
}

static void gt_free(struct srpc_tls *t)
{
  if(t->sess) gnutls_deinit(t->sess);
  if(t->srp) gnutls_srp_free_client_credentials(t->srp);
  if(t->x509) gnutls_certificate_free_credentials(t->x509);
  if(t->fd >= 0) close(t->fd);
  free(t);
}

/* No username: returning < 0 makes GnuTLS omit the SRP extension. */
static int no_user_cb(gnutls_session_t s, char **user, char **pass)
{
  (void)s; (void)user; (void)pass;
  return -1;
}

static int is_ip_literal(const char *h)
{
  unsigned char buf[16];
  return inet_pton(AF_INET, h, buf) == 1 || inet_pton(AF_INET6, h, buf) == 1;
}

static enum srpc_errclass classify(struct srpc_tls *t, int r, const struct srpc_tls_params *p,
                                   char *err, size_t errlen)
{
  if(r == GNUTLS_E_TIMEDOUT || r == GNUTLS_E_AGAIN) {
    snprintf(err, errlen, "timed out");
    return SRPC_E_TIMEOUT;
  }
  if(r == GNUTLS_E_FATAL_ALERT_RECEIVED || r == GNUTLS_E_WARNING_ALERT_RECEIVED) {
    gnutls_alert_description_t a = gnutls_alert_get(t->sess);
    if(p->alert_received)
      *p->alert_received = (int)a;
    snprintf(err, errlen, "device sent alert %d (%s)", (int)a, gnutls_alert_get_name(a));
    return srpc_errclass_of_alert((int)a, p, err, errlen);
  }
  if(r == GNUTLS_E_ILLEGAL_SRP_USERNAME && !p->username) {
    /* our no-username callback was asked again after the device picked an
     * SRP suite: the device wants credentials */
    snprintf(err, errlen, "device selected an SRP cipher suite and asks for a username");
    return SRPC_E_CRED_REQUIRED;
  }
  if(r == GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER || r == GNUTLS_E_DH_PRIME_UNACCEPTABLE ||
     r == GNUTLS_E_ILLEGAL_PARAMETER) {
    snprintf(err, errlen, "%s", gnutls_strerror(r));
    return SRPC_E_GROUP;
  }
  if(r == GNUTLS_E_UNKNOWN_CIPHER_SUITE || r == GNUTLS_E_NO_CIPHER_SUITES ||
     r == GNUTLS_E_UNSUPPORTED_VERSION_PACKET) {
    snprintf(err, errlen, "%s", gnutls_strerror(r));
    return SRPC_E_NO_SRP;
  }
  snprintf(err, errlen, "%s", gnutls_strerror(r));
  if(p->closed_without_alert && (r == GNUTLS_E_PREMATURE_TERMINATION || r == GNUTLS_E_PULL_ERROR))
    *p->closed_without_alert = 1;
  return SRPC_E_OTHER;
}

static enum srpc_errclass gt_connect(int fd, const struct srpc_tls_params *p,
                                     struct srpc_tls **out, char *err, size_t errlen)
{
  struct srpc_tls *t = calloc(1, sizeof(*t));
  char prio[400];
  int kx_plain = 0, kx_rsa = 0, kx_dss = 0, aes256 = 0, aes128 = 0, des3 = 0, r;
  const char *e = NULL;
  if(!t) {
    close(fd);
    snprintf(err, errlen, "out of memory");
    return SRPC_E_OTHER;
  }
  t->fd = fd;
  t->min_bits = p->min_group_bits;
  for(size_t i = 0; i < p->nsuites; i++) {
    const struct srpc_suite *s = srpc_suite_by_id(p->suites[i]);
    if(!s) continue;
    if(strstr(s->openssl, "-RSA-")) kx_rsa = 1;
    else if(strstr(s->openssl, "-DSS-")) kx_dss = 1;
    else kx_plain = 1;
    if(strstr(s->openssl, "AES-256")) aes256 = 1;
    else if(strstr(s->openssl, "AES-128")) aes128 = 1;
    else des3 = 1;
  }
  int vmin = p->tls_min ? p->tls_min : 3, vmax = p->tls_max ? p->tls_max : 3;
  snprintf(prio, sizeof(prio), "NORMAL:-VERS-ALL:%s%s%s-KX-ALL:%s%s%s-CIPHER-ALL:%s%s%s-MAC-ALL:+SHA1:"
           "+SIGN-DSA-SHA256:+SIGN-DSA-SHA1:%%VERIFY_ALLOW_SIGN_WITH_SHA1",
           vmin <= 1 && vmax >= 1 ? "+VERS-TLS1.0:" : "", vmin <= 2 && vmax >= 2 ? "+VERS-TLS1.1:" : "",
           vmin <= 3 && vmax >= 3 ? "+VERS-TLS1.2:" : "",
           kx_plain ? "+SRP:" : "", kx_rsa ? "+SRP-RSA:" : "", kx_dss ? "+SRP-DSS:" : "",
           aes256 ? "+AES-256-CBC:" : "", aes128 ? "+AES-128-CBC:" : "", des3 ? "+3DES-CBC:" : "");
  if((r = gnutls_init(&t->sess, GNUTLS_CLIENT)) < 0 ||
     (r = gnutls_priority_set_direct(t->sess, prio, &e)) < 0 ||
     (r = gnutls_srp_allocate_client_credentials(&t->srp)) < 0 ||
     (r = gnutls_certificate_allocate_credentials(&t->x509)) < 0) {
    snprintf(err, errlen, "GnuTLS setup: %s", gnutls_strerror(r));
    gt_free(t);
    return SRPC_E_OTHER;
  }
  if(p->username)
    r = gnutls_srp_set_client_credentials(t->srp, p->username, p->password);
  else
    gnutls_srp_set_client_credentials_function(t->srp, no_user_cb);
  gnutls_credentials_set(t->sess, GNUTLS_CRD_SRP, t->srp);
  gnutls_credentials_set(t->sess, GNUTLS_CRD_CERTIFICATE, t->x509);
  gnutls_dh_set_prime_bits(t->sess, p->min_group_bits);
  if(!is_ip_literal(p->host))
    gnutls_server_name_set(t->sess, GNUTLS_NAME_DNS, p->host, strlen(p->host));
  gnutls_transport_set_int(t->sess, fd);
  if(p->timeout_ms > 0)
    gnutls_handshake_set_timeout(t->sess, (unsigned)p->timeout_ms);
  do
    r = gnutls_handshake(t->sess);
  while(r < 0 && !gnutls_error_is_fatal(r) && r != GNUTLS_E_WARNING_ALERT_RECEIVED);
  if(r < 0) {
    enum srpc_errclass c = classify(t, r, p, err, errlen);
    gt_free(t);
    return c;
  }
  *out = t;
  return SRPC_OK;
}

static ssize_t gt_read(struct srpc_tls *t, void *buf, size_t len)
{
  ssize_t r = gnutls_record_recv(t->sess, buf, len);
  if(r >= 0) return r;
  if(r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED || r == GNUTLS_E_REHANDSHAKE) return -2;
  if(r == GNUTLS_E_PREMATURE_TERMINATION) return 0;
  return -1;
}

static ssize_t gt_write(struct srpc_tls *t, const void *buf, size_t len)
{
  ssize_t r;
  do
    r = gnutls_record_send(t->sess, buf, len);
  while(r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
  return r < 0 ? -1 : r;
}

static size_t gt_pending(struct srpc_tls *t) { return gnutls_record_check_pending(t->sess); }
static int gt_fd(struct srpc_tls *t) { return t->fd; }

static void gt_info(struct srpc_tls *t, struct srpc_conn_info *ci)
{
  gnutls_kx_algorithm_t kx = gnutls_kx_get(t->sess);
  gnutls_cipher_algorithm_t c = gnutls_cipher_get(t->sess);
  char name[64];
  const char *v = gnutls_protocol_get_name(gnutls_protocol_get_version(t->sess));
  if(v && !strncmp(v, "TLS1.", 5))
    snprintf(ci->tls_version, sizeof(ci->tls_version), "TLS 1.%s", v + 5);
  else
    snprintf(ci->tls_version, sizeof(ci->tls_version), "%s", v ? v : "?");
  snprintf(name, sizeof(name), "SRP-%s%s-SHA",
           kx == GNUTLS_KX_SRP_RSA ? "RSA-" : kx == GNUTLS_KX_SRP_DSS ? "DSS-" : "",
           c == GNUTLS_CIPHER_AES_256_CBC ? "AES-256-CBC" :
           c == GNUTLS_CIPHER_AES_128_CBC ? "AES-128-CBC" : "3DES-EDE-CBC");
  for(size_t i = 0; i < srpc_nsuites; i++)
    if(!strcmp(srpc_suites[i].openssl, name)) {
      ci->suite_id = srpc_suites[i].id;
      snprintf(ci->cipher_suite, sizeof(ci->cipher_suite), "%s", srpc_suites[i].iana);
    }
  ci->resumed = gnutls_session_is_resumed(t->sess);
  ci->group_bits = 0;               /* GnuTLS has no client-side getter for the SRP group */
  if(kx == GNUTLS_KX_SRP_RSA || kx == GNUTLS_KX_SRP_DSS) {
    unsigned n = 0;
    const gnutls_datum_t *certs = gnutls_certificate_get_peers(t->sess, &n);
    if(certs && n) {
      unsigned char md[32];
      size_t mdlen = sizeof(md);
      if(gnutls_fingerprint(GNUTLS_DIG_SHA256, &certs[0], md, &mdlen) == 0) {
        char *o = ci->cert_sha256;
        for(size_t i = 0; i < mdlen; i++)
          o += sprintf(o, i ? ":%02X" : "%02X", md[i]);
      }
    }
  }
}

static void gt_close(struct srpc_tls *t)
{
  gnutls_bye(t->sess, GNUTLS_SHUT_WR);
  gt_free(t);
}

const struct srpc_backend srpc_backend_gnutls = {
  "gnutls", 1, NULL, gt_version, gt_init, gt_cleanup, gt_connect, gt_read, gt_write,
  gt_pending, gt_fd, gt_info, gt_close
};

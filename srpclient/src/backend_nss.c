/* NSS backend (patched NSS with the TLS-SRP client API:
 * SSL_SetSRPClientCredentials, SSL_SetSRPMinimumGroupBits,
 * SSL_GetSRPChannelInfo, SSL_ERROR_SRP_*). */
#include "srpclient.h"
#ifndef HAVE_NSS_SRP
#include "backend_stub.h"
SRPC_STUB_BACKEND(srpc_backend_nss, "nss",
  "srpclient was compiled without a TLS-SRP capable NSS (set NSS_DIST to the patched NSS and rebuild)");
#else
#include <nspr.h>
#include <prio.h>
#include <private/pprio.h>
#include <nss.h>
#include <ssl.h>
#include <sslproto.h>
#include <sslerr.h>
#include <secerr.h>
#include <pk11pub.h>
#include <cert.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct srpc_tls {
  PRFileDesc *fd;
  int osfd;
  int alert;
  char cert_sha256[100];
};

static const char *nss_version(void)
{
  static char v[64];
  snprintf(v, sizeof(v), "NSS %s", NSS_GetVersion());
  return v;
}

static int nss_init(char *err, size_t errlen)
{
  if(NSS_NoDB_Init(NULL) != SECSuccess || NSS_SetDomesticPolicy() != SECSuccess) {
    snprintf(err, errlen, "NSS initialisation failed: %s", PR_ErrorToName(PR_GetError()));
    return -1;
  }
  return 0;
}

static void nss_cleanup(void)
{
  SSL_ClearSessionCache();
  NSS_Shutdown();
}

/* SRP authenticates the device: its certificate (SRP-RSA/DSS suites) is
 * accepted, but only when an SRP suite was negotiated. */
static SECStatus auth_cert(void *arg, PRFileDesc *fd, PRBool checksig, PRBool isServer)
{
  struct srpc_tls *t = arg;
  SSLPreliminaryChannelInfo pi;
  (void)checksig; (void)isServer;
  if(SSL_GetPreliminaryChannelInfo(fd, &pi, sizeof(pi)) != SECSuccess ||
     !(pi.valuesSet & ssl_preinfo_cipher_suite) || !srpc_is_srp_suite(pi.cipherSuite)) {
    PORT_SetError(SSL_ERROR_BAD_CERT_DOMAIN);
    return SECFailure;
  }
  CERTCertificate *c = SSL_PeerCertificate(fd);
  if(c) {
    unsigned char md[32];
    if(PK11_HashBuf(SEC_OID_SHA256, md, c->derCert.data, (PRInt32)c->derCert.len) == SECSuccess) {
      char *o = t->cert_sha256;
      for(int i = 0; i < 32; i++)
        o += sprintf(o, i ? ":%02X" : "%02X", md[i]);
    }
    CERT_DestroyCertificate(c);
  }
  return SECSuccess;
}

static void alert_received(const PRFileDesc *fd, void *arg, const SSLAlert *a)
{
  struct srpc_tls *t = arg;
  (void)fd;
  if(a->level == 2 /* fatal */ || a->description != 0)
    t->alert = a->description;
}

static enum srpc_errclass classify(PRErrorCode e, int alert, const struct srpc_tls_params *p,
                                   char *err, size_t errlen)
{
  const char *name = PR_ErrorToName(e);
  const char *text = PORT_ErrorToString(e);
  snprintf(err, errlen, "%s%s%s", name ? name : "unknown NSS error", text ? ": " : "", text ? text : "");
  switch(e) {
  case SSL_ERROR_SRP_CREDENTIALS_REQUIRED:
    return SRPC_E_CRED_REQUIRED;
  case SSL_ERROR_SRP_CREDENTIALS_REJECTED:
    return SRPC_E_CRED_REJECTED;
  case SSL_ERROR_SRP_GROUP_NOT_ACCEPTABLE:
    return SRPC_E_GROUP;
  case SSL_ERROR_NO_CYPHER_OVERLAP:
  case SSL_ERROR_UNSUPPORTED_VERSION:
  case SSL_ERROR_NO_CIPHERS_SUPPORTED:
    return SRPC_E_NO_SRP;
  case SSL_ERROR_HANDSHAKE_FAILURE_ALERT:
  case SSL_ERROR_PROTOCOL_VERSION_ALERT:
  case SSL_ERROR_DECODE_ERROR_ALERT:
  case SSL_ERROR_BAD_MAC_ALERT:
  case SSL_ERROR_DECRYPT_ERROR_ALERT:
  case SSL_ERROR_INTERNAL_ERROR_ALERT:
    return srpc_errclass_of_alert(alert, p, err, errlen);
  case PR_IO_TIMEOUT_ERROR:
    return SRPC_E_TIMEOUT;
  case PR_END_OF_FILE_ERROR:
  case PR_CONNECT_RESET_ERROR:
    if(p->closed_without_alert && alert < 0)
      *p->closed_without_alert = 1;
    return SRPC_E_OTHER;
  default:
    return SRPC_E_OTHER;
  }
}

static enum srpc_errclass nss_connect(int fd, const struct srpc_tls_params *p,
                                      struct srpc_tls **out, char *err, size_t errlen)
{
  struct srpc_tls *t = calloc(1, sizeof(*t));
  PRFileDesc *tcp;
  SSLVersionRange vr = { (PRUint16)(0x0300 + (p->tls_min ? p->tls_min : 3)),
                         (PRUint16)(0x0300 + (p->tls_max ? p->tls_max : 3)) };
  int enabled = 0;
  if(!t) {
    close(fd);
    snprintf(err, errlen, "out of memory");
    return SRPC_E_OTHER;
  }
  t->osfd = fd;
  t->alert = -1;
  tcp = PR_ImportTCPSocket(fd);
  if(!tcp) {
    close(fd);
    free(t);
    snprintf(err, errlen, "PR_ImportTCPSocket: %s", PR_ErrorToName(PR_GetError()));
    return SRPC_E_OTHER;
  }
  t->fd = SSL_ImportFD(NULL, tcp);
  if(!t->fd) {
    PR_Close(tcp);
    free(t);
    snprintf(err, errlen, "SSL_ImportFD: %s", PR_ErrorToName(PR_GetError()));
    return SRPC_E_OTHER;
  }
  if(SSL_OptionSet(t->fd, SSL_SECURITY, PR_TRUE) != SECSuccess ||
     SSL_OptionSet(t->fd, SSL_HANDSHAKE_AS_CLIENT, PR_TRUE) != SECSuccess ||
     SSL_VersionRangeSet(t->fd, &vr) != SECSuccess ||
     SSL_SetURL(t->fd, p->host) != SECSuccess ||
     SSL_AuthCertificateHook(t->fd, auth_cert, t) != SECSuccess ||
     SSL_AlertReceivedCallback(t->fd, alert_received, t) != SECSuccess)
    goto fail;
  /* the accessor functions, not the SSL_ImplementedCiphers data symbol: a
   * copy relocation of that array breaks when libssl3 gains cipher suites */
  const PRUint16 *impl = SSL_GetImplementedCiphers();
  for(PRUint16 i = 0, n = SSL_GetNumImplementedCiphers(); i < n; i++)
    SSL_CipherPrefSet(t->fd, impl[i], PR_FALSE);
  for(size_t i = 0; i < p->nsuites; i++) {
    if(SSL_CipherPrefSet(t->fd, p->suites[i], PR_TRUE) == SECSuccess)
      enabled++;
    else if(p->verbose)
      fprintf(stderr, "* NSS: cipher suite 0x%04X not available\n", p->suites[i]);
  }
  if(!enabled) {
    snprintf(err, errlen, "none of the requested SRP cipher suites is available in this NSS");
    PR_Close(t->fd);
    free(t);
    return SRPC_E_OTHER;
  }
  if(SSL_SetSRPMinimumGroupBits(t->fd, p->min_group_bits) != SECSuccess)
    goto fail;
  if(p->username) {
    SECItem pw = { siBuffer, (unsigned char *)p->password, (unsigned)strlen(p->password) };
    if(SSL_SetSRPClientCredentials(t->fd, p->username, &pw) != SECSuccess)
      goto fail;
  }
  if(SSL_ResetHandshake(t->fd, PR_FALSE) != SECSuccess)
    goto fail;
  if(SSL_ForceHandshakeWithTimeout(t->fd, p->timeout_ms > 0 ? PR_MillisecondsToInterval((PRUint32)p->timeout_ms)
                                                            : PR_INTERVAL_NO_TIMEOUT) != SECSuccess) {
    enum srpc_errclass c = classify(PR_GetError(), t->alert, p, err, errlen);
    if(p->alert_received)
      *p->alert_received = t->alert;
    PR_Close(t->fd);
    free(t);
    return c;
  }
  *out = t;
  return SRPC_OK;
fail:
  {
    PRErrorCode e = PR_GetError();
    snprintf(err, errlen, "NSS setup: %s", PR_ErrorToName(e) ? PR_ErrorToName(e) : "error");
  }
  PR_Close(t->fd);
  free(t);
  return SRPC_E_OTHER;
}

static ssize_t nss_read(struct srpc_tls *t, void *buf, size_t len)
{
  PRInt32 r = PR_Read(t->fd, buf, (PRInt32)(len > 0x7fffffff ? 0x7fffffff : len));
  if(r >= 0) return r;
  if(PR_GetError() == PR_WOULD_BLOCK_ERROR) return -2;
  return -1;
}

static ssize_t nss_write(struct srpc_tls *t, const void *buf, size_t len)
{
  PRInt32 r = PR_Write(t->fd, buf, (PRInt32)(len > 0x7fffffff ? 0x7fffffff : len));
  return r < 0 ? -1 : r;
}

static size_t nss_pending(struct srpc_tls *t)
{
  int n = SSL_DataPending(t->fd);
  return n > 0 ? (size_t)n : 0;
}

static int nss_fd(struct srpc_tls *t) { return t->osfd; }

static void nss_info(struct srpc_tls *t, struct srpc_conn_info *ci)
{
  SSLChannelInfo ch;
  SSLCipherSuiteInfo cs;
  SSLSRPChannelInfo srp;
  if(SSL_GetChannelInfo(t->fd, &ch, sizeof(ch)) == SECSuccess) {
    snprintf(ci->tls_version, sizeof(ci->tls_version), "TLS 1.%d",
             (int)(ch.protocolVersion & 0xff) - 1);
    ci->suite_id = ch.cipherSuite;
    ci->resumed = ch.resumed ? 1 : 0;
    if(SSL_GetCipherSuiteInfo(ch.cipherSuite, &cs, sizeof(cs)) == SECSuccess)
      snprintf(ci->cipher_suite, sizeof(ci->cipher_suite), "%s", cs.cipherSuiteName);
  }
  if(SSL_GetSRPChannelInfo(t->fd, &srp, sizeof(srp)) == SECSuccess && srp.authenticated) {
    ci->group_bits = srp.groupBits;
    snprintf(ci->username, sizeof(ci->username), "%s", srp.username);
  }
  snprintf(ci->cert_sha256, sizeof(ci->cert_sha256), "%s", t->cert_sha256);
}

static void nss_close(struct srpc_tls *t)
{
  PR_Close(t->fd);  /* sends close_notify, closes the socket */
  free(t);
}

const struct srpc_backend srpc_backend_nss = {
  "nss", 1, NULL, nss_version, nss_init, nss_cleanup, nss_connect, nss_read, nss_write,
  nss_pending, nss_fd, nss_info, nss_close
};
#endif

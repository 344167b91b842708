/* Credential sources and their precedence:
 *   username: -u  >  --credentials FILE  >  SRPCLIENT_USER  >  prompt
 *   password: -u user:pw  >  FILE entry for that user  >  SRPCLIENT_PASSWORD
 *             (when SRPCLIENT_USER is unset or names that user)  >  prompt
 * Passwords are wiped (explicit_bzero) when no longer needed. */
#include "srpclient.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <ctype.h>

#define CRED_FILE_MAX (64 * 1024)

void srpc_secure_free(char *s)
{
  if(s) {
    explicit_bzero(s, strlen(s));
    free(s);
  }
}

char *srpc_strdup_or_die(const char *s)
{
  char *d = strdup(s);
  if(!d) {
    fputs("srpclient: out of memory\n", stderr);
    exit(SRPC_EXIT_INTERNAL);
  }
  return d;
}

const char *srpc_cred_source_name(enum srpc_cred_source s)
{
  switch(s) {
  case SRPC_SRC_OPTION: return "-u option";
  case SRPC_SRC_FILE: return "credentials file";
  case SRPC_SRC_ENV: return "environment";
  case SRPC_SRC_PROMPT: return "prompt";
  default: return "none";
  }
}

void srpc_cred_set_password(struct srpc_credentials *c, char *pw, enum srpc_cred_source s)
{
  srpc_secure_free(c->password);
  c->password = pw;
  c->pass_src = pw ? s : SRPC_SRC_NONE;
}

void srpc_cred_wipe_password(struct srpc_credentials *c)
{
  srpc_secure_free(c->password);
  c->password = NULL;
  /* pass_src kept: tells whether it was interactive */
}

void srpc_cred_clear(struct srpc_credentials *c)
{
  srpc_secure_free(c->password);
  free(c->username);
  memset(c, 0, sizeof(*c));
}

/* netrc-like tokenizer: whitespace separated, '#' comment to end of line,
 * double quotes allowed around a token (with \" and \\ escapes). */
static const char *next_token(const char *p, char *tok, size_t toklen, int *ok)
{
  size_t n = 0;
  *ok = 1;
  for(;;) {
    while(*p && isspace((unsigned char)*p)) p++;
    if(*p == '#') {
      while(*p && *p != '\n') p++;
      continue;
    }
    break;
  }
  if(!*p)
    return NULL;
  if(*p == '"') {
    p++;
    while(*p && *p != '"') {
      if(*p == '\\' && p[1]) p++;
      if(n + 1 >= toklen) { *ok = 0; return NULL; }
      tok[n++] = *p++;
    }
    if(*p != '"') { *ok = 0; return NULL; }
    p++;
  }
  else {
    while(*p && !isspace((unsigned char)*p)) {
      if(n + 1 >= toklen) { *ok = 0; return NULL; }
      tok[n++] = *p++;
    }
  }
  tok[n] = 0;
  return p;
}

/* File format (one entry per "machine", netrc style):
 *   machine HOST [port PORT] login USER password PASSWORD
 *   default login USER password PASSWORD
 * The first entry matching host (and port, when given) wins; "default"
 * applies when no machine matches. */
int srpc_cred_from_file(const char *path, const char *host, int port,
                        char **user, char **pass, char *err, size_t errlen)
{
  struct stat st;
  char *buf = NULL;
  int fd, rc = SRPC_EXIT_CRED_FILE;
  ssize_t got;
  size_t len = 0;
  *user = *pass = NULL;

  fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if(fd < 0) {
    snprintf(err, errlen, "cannot open credentials file %s: %s", path, strerror(errno));
    return rc;
  }
  if(fstat(fd, &st) || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "credentials file %s is not a regular file", path);
    goto out;
  }
  if(st.st_mode & (S_IRWXG | S_IRWXO)) {
    snprintf(err, errlen, "credentials file %s is accessible by others (mode %03o): "
             "refusing to use it; run: chmod 600 %s", path,
             (unsigned)(st.st_mode & 0777), path);
    goto out;
  }
  if(st.st_uid != geteuid()) {
    snprintf(err, errlen, "credentials file %s is not owned by you: refusing to use it", path);
    goto out;
  }
  if(st.st_size > CRED_FILE_MAX) {
    snprintf(err, errlen, "credentials file %s is too large", path);
    goto out;
  }
  buf = malloc((size_t)st.st_size + 1);
  if(!buf) {
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  while(len < (size_t)st.st_size &&
        (got = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
    len += (size_t)got;
  buf[len] = 0;

  {
    char tok[1024], m_user[1024], m_pass[1024], d_user[1024], d_pass[1024];
    int in_entry = 0, entry_match = 0, is_default = 0, entry_port = 0, ok;
    int have_match = 0, have_default = 0, have_mu = 0, have_mp = 0, have_du = 0, have_dp = 0;
    const char *p = buf;
    m_user[0] = m_pass[0] = d_user[0] = d_pass[0] = 0;


    /* Tokens fill the "current" slots; on entry end we keep first match. */
    char c_user[1024], c_pass[1024];
    int have_cu = 0, have_cp = 0;
    c_user[0] = c_pass[0] = 0;
    for(;;) {
      p = next_token(p, tok, sizeof(tok), &ok);
      if(!ok) {
        snprintf(err, errlen, "credentials file %s: token too long or unterminated quote", path);
        goto wipe;
      }
      if(!p || !strcmp(tok, "machine") || !strcmp(tok, "default")) {
        /* close the previous entry */
        if(in_entry) {
          int match = entry_match && (!entry_port || entry_port == port);
          if(match && !have_match) {
            have_match = 1;
            memcpy(m_user, c_user, sizeof(m_user)); have_mu = have_cu;
            memcpy(m_pass, c_pass, sizeof(m_pass)); have_mp = have_cp;
          }
          else if(is_default && !have_default) {
            have_default = 1;
            memcpy(d_user, c_user, sizeof(d_user)); have_du = have_cu;
            memcpy(d_pass, c_pass, sizeof(d_pass)); have_dp = have_cp;
          }
        }
        if(!p)
          break;
        in_entry = 1; entry_match = 0; entry_port = 0; have_cu = have_cp = 0;
        explicit_bzero(c_pass, sizeof(c_pass));
        is_default = !strcmp(tok, "default");
        if(!is_default) {
          p = next_token(p, tok, sizeof(tok), &ok);
          if(!p || !ok) {
            snprintf(err, errlen, "credentials file %s: 'machine' without a host name", path);
            goto wipe;
          }
          entry_match = !strcasecmp(tok, host);
        }
        continue;
      }
      if(!in_entry) {
        snprintf(err, errlen, "credentials file %s: '%s' outside a machine/default entry", path, tok);
        goto wipe;
      }
      if(!strcmp(tok, "login") || !strcmp(tok, "password") || !strcmp(tok, "port")) {
        char key[16];
        snprintf(key, sizeof(key), "%.15s", tok);
        p = next_token(p, tok, sizeof(tok), &ok);
        if(!p || !ok) {
          snprintf(err, errlen, "credentials file %s: '%s' without a value", path, key);
          goto wipe;
        }
        if(!strcmp(key, "login")) { memcpy(c_user, tok, sizeof(c_user)); have_cu = 1; }
        else if(!strcmp(key, "password")) { memcpy(c_pass, tok, sizeof(c_pass)); have_cp = 1; }
        else {
          char *end;
          long v = strtol(tok, &end, 10);
          if(*end || v < 1 || v > 65535) {
            snprintf(err, errlen, "credentials file %s: bad port '%s'", path, tok);
            goto wipe;
          }
          entry_port = (int)v;
        }
        continue;
      }
      snprintf(err, errlen, "credentials file %s: unknown keyword '%s'", path, tok);
      goto wipe;
    }
    (void)have_du; (void)have_mu;
    if(have_match) {
      if(have_mu) *user = srpc_strdup_or_die(m_user);
      if(have_mp) *pass = srpc_strdup_or_die(m_pass);
    }
    else if(have_default) {
      if(have_du) *user = srpc_strdup_or_die(d_user);
      if(have_dp) *pass = srpc_strdup_or_die(d_pass);
    }
    rc = 0;
wipe:
    explicit_bzero(tok, sizeof(tok));
    explicit_bzero(m_pass, sizeof(m_pass));
    explicit_bzero(d_pass, sizeof(d_pass));
    explicit_bzero(c_pass, sizeof(c_pass));
  }
out:
  if(buf) {
    explicit_bzero(buf, len);
    free(buf);
  }
  close(fd);
  return rc;
}

int srpc_cred_resolve(const struct srpc_options *o, const char *host, int port,
                      struct srpc_credentials *c, char *err, size_t errlen)
{
  char *fuser = NULL, *fpass = NULL;
  const char *euser = getenv("SRPCLIENT_USER");
  char *epass = getenv("SRPCLIENT_PASSWORD");
  memset(c, 0, sizeof(*c));

  if(euser && !*euser) euser = NULL;
  if(o->credentials_file) {
    int rc = srpc_cred_from_file(o->credentials_file, host, port, &fuser, &fpass, err, errlen);
    if(rc)
      return rc;
  }
  /* username */
  if(o->user) {
    c->username = srpc_strdup_or_die(o->user);
    c->user_src = SRPC_SRC_OPTION;
  }
  else if(fuser) {
    c->username = srpc_strdup_or_die(fuser);
    c->user_src = SRPC_SRC_FILE;
  }
  else if(euser) {
    c->username = srpc_strdup_or_die(euser);
    c->user_src = SRPC_SRC_ENV;
  }
  /* password: only from a source that speaks for the chosen user */
  if(c->username) {
    if(o->user && o->user_has_password)
      srpc_cred_set_password(c, srpc_strdup_or_die(o->password), SRPC_SRC_OPTION);
    else if(fpass && fuser && !strcmp(fuser, c->username))
      srpc_cred_set_password(c, srpc_strdup_or_die(fpass), SRPC_SRC_FILE);
    else if(epass && *epass && (!euser || !strcmp(euser, c->username)))
      srpc_cred_set_password(c, srpc_strdup_or_die(epass), SRPC_SRC_ENV);
  }
  if(epass) /* do not leave it readable in our environment block */
    explicit_bzero(epass, strlen(epass));
  free(fuser);
  srpc_secure_free(fpass);
  return 0;
}

/* Prompting on the controlling terminal (/dev/tty), echo off for passwords.
 * Never reads stdin: stdin may carry request data, and without a terminal we
 * must fail at once rather than wait. */
#include "srpclient.h"
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <errno.h>

#define LINE_MAX_LEN 1024

static volatile sig_atomic_t tty_fd_for_signal = -1;
static struct termios saved_tio;
static volatile sig_atomic_t tio_saved;

static void restore_and_reraise(int sig)
{
  if(tio_saved && tty_fd_for_signal >= 0)
    tcsetattr(tty_fd_for_signal, TCSAFLUSH, &saved_tio);
  signal(sig, SIG_DFL);
  raise(sig);
}

int srpc_can_prompt(void)
{
  int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if(fd < 0)
    return 0;
  close(fd);
  return 1;
}

void srpc_tty_message(const char *fmt, ...)
{
  char buf[1024];
  va_list ap;
  int fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if(fd >= 0) {
    ssize_t r = write(fd, buf, strlen(buf));
    (void)r;
    close(fd);
  }
  else
    fputs(buf, stderr);
}

char *srpc_prompt(const char *prompt, int echo)
{
  char line[LINE_MAX_LEN];
  size_t n = 0;
  int fd, eof = 0;
  struct sigaction sa, old_int, old_term, old_quit, old_hup;
  char *res = NULL;

  fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if(fd < 0)
    return NULL;
  if(!echo) {
    struct termios tio;
    if(tcgetattr(fd, &saved_tio) == 0) {
      memset(&sa, 0, sizeof(sa));
      sa.sa_handler = restore_and_reraise;
      sigemptyset(&sa.sa_mask);
      tty_fd_for_signal = fd;
      tio_saved = 1;
      sigaction(SIGINT, &sa, &old_int);
      sigaction(SIGTERM, &sa, &old_term);
      sigaction(SIGQUIT, &sa, &old_quit);
      sigaction(SIGHUP, &sa, &old_hup);
      tio = saved_tio;
      tio.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
      tio.c_lflag |= ICANON;
      tcsetattr(fd, TCSAFLUSH, &tio);
    }
  }
  /* prompt only once echo is off, so that early typing is not flushed */
  if(write(fd, prompt, strlen(prompt)) < 0) {
    eof = 1;
    goto restore;
  }
  for(;;) {
    char ch;
    ssize_t r = read(fd, &ch, 1);
    if(r < 0 && errno == EINTR)
      continue;
    if(r <= 0) { eof = 1; break; }
    if(ch == '\n' || ch == '\r')
      break;
    if(n + 1 < sizeof(line))
      line[n++] = ch;
  }
restore:
  line[n] = 0;
  if(!echo) {
    if(tio_saved) {
      tcsetattr(fd, TCSAFLUSH, &saved_tio);
      tio_saved = 0;
      tty_fd_for_signal = -1;
      sigaction(SIGINT, &old_int, NULL);
      sigaction(SIGTERM, &old_term, NULL);
      sigaction(SIGQUIT, &old_quit, NULL);
      sigaction(SIGHUP, &old_hup, NULL);
    }
    if(write(fd, "\n", 1) < 0) { /* the user's Enter was not echoed */ }
  }
  if(!(eof && n == 0))
    res = strdup(line);
  explicit_bzero(line, sizeof(line));
  close(fd);
  return res;
}

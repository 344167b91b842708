/* TCP connection with a bounded wait. */
#include "srpclient.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

void srpc_set_io_timeout(int fd, int timeout_ms)
{
  struct timeval tv;
  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

int srpc_tcp_connect_addr(const struct sockaddr *sa, socklen_t salen, int timeout_ms,
                          int *timed_out, char *err, size_t errlen)
{
  int fd, flags, one = 1;
  *timed_out = 0;
  fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  if(fd < 0) {
    snprintf(err, errlen, "socket: %s", strerror(errno));
    return -1;
  }
  flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  if(connect(fd, sa, salen) < 0) {
    if(errno != EINPROGRESS) {
      snprintf(err, errlen, "%s", strerror(errno));
      close(fd);
      return -1;
    }
    struct pollfd pfd = { fd, POLLOUT, 0 };
    int r;
    do
      r = poll(&pfd, 1, timeout_ms > 0 ? timeout_ms : -1);
    while(r < 0 && errno == EINTR);
    if(r == 0) {
      *timed_out = 1;
      snprintf(err, errlen, "connection timed out after %d ms", timeout_ms);
      close(fd);
      return -1;
    }
    int soerr = 0;
    socklen_t l = sizeof(soerr);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l);
    if(r < 0 || soerr) {
      snprintf(err, errlen, "%s", strerror(r < 0 ? errno : soerr));
      close(fd);
      return -1;
    }
  }
  fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

/* The runtime <-> init protocol over one SOCK_SEQPACKET socketpair.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sync.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* State JSON and error messages are small; a bound keeps a confused peer
 * from making us allocate much. */
#define SYNC_MAX_PAYLOAD (1u << 20)

int sync_send(int fd, uint32_t type, const void *payload, size_t len,
              husk_error **err) {
  struct iovec iov[2] = {{&type, sizeof(type)}, {(void *)payload, len}};
  struct msghdr msg = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
  ssize_t n;
  do
    n = sendmsg(fd, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return husk_error_set(err, errno, "sync: send");
  return 0;
}

int sync_recv(int fd, uint32_t *type, char **payload, husk_error **err) {
  /* Peek the size first so that one buffer fits the whole message. */
  ssize_t size;
  do
    size = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
  while (size < 0 && errno == EINTR);
  if (size < 0)
    return husk_error_set(err, errno, "sync: receive");
  if (size == 0)
    return husk_error_set(err, 0, "container init exited unexpectedly");
  if ((size_t)size < sizeof(uint32_t) || (size_t)size > SYNC_MAX_PAYLOAD)
    return husk_error_set(err, 0, "sync: malformed message of %zd bytes", size);
  char *buf = malloc((size_t)size + 1);
  if (buf == NULL)
    return husk_error_set(err, ENOMEM, "sync: receive");
  ssize_t n;
  do
    n = recv(fd, buf, (size_t)size, 0);
  while (n < 0 && errno == EINTR);
  if (n != size) {
    free(buf);
    return husk_error_set(err, n < 0 ? errno : 0, "sync: receive");
  }
  memcpy(type, buf, sizeof(*type));
  size_t len = (size_t)size - sizeof(*type);
  memmove(buf, buf + sizeof(*type), len);
  buf[len] = '\0';
  if (payload)
    *payload = buf;
  else
    free(buf);
  return 0;
}

int sync_expect(int fd, uint32_t want, char **payload, husk_error **err) {
  uint32_t type;
  char *body = NULL;
  if (sync_recv(fd, &type, &body, err) < 0)
    return -1;
  if (type == SYNC_ERROR)
    return husk_error_take(err, 0, body);
  if (type != want) {
    free(body);
    return husk_error_set(err, 0, "sync: expected message %u, got %u", want,
                          type);
  }
  if (payload)
    *payload = body;
  else
    free(body);
  return 0;
}

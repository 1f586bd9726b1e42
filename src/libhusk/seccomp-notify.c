/* The seccomp listener: connect, describe the container, hand over the fd.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "seccomp-notify.h"

#include "cleanup.h"

#include <errno.h>
#include <ocispec/state.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define PATH_LISTENER "linux.seccomp.listenerPath"

int seccomp_listener_connect(const char *path, husk_error **err) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  size_t len = strlen(path);
  if (len == 0 || len >= sizeof(addr.sun_path))
    return husk_error_set(err, len ? ENAMETOOLONG : EINVAL,
                          PATH_LISTENER ": \"%s\"", path);
  memcpy(addr.sun_path, path, len + 1);
  cleanup_close int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return husk_error_set(err, errno, PATH_LISTENER ": socket");
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    return husk_error_set(err, errno, PATH_LISTENER ": connect %s", path);
  return steal_fd(&fd);
}

int seccomp_listener_state(const struct oci_linux_seccomp *s,
                         const char *state_json, char **out, husk_error **err) {
  struct oci_state *st = NULL;
  char *msg = NULL;
  if (oci_state_parse(state_json, strlen(state_json), &st, &msg) < 0) {
    husk_error_take(err, 0, msg);
    return husk_error_prefix(err, "seccomp listener state");
  }
  /* As runc says it: the process being set up is not running yet. */
  free(st->status);
  st->status = strdup("creating");
  char *fd_name = "seccompFd";
  struct oci_container_process_state ps = {
      .oci_version = st->oci_version,
      .fds = &fd_name,
      .fds_len = 1,
      .pid = st->pid,
      .pid_present = true,
      .metadata = s->listener_metadata,
      .state = st,
  };
  int r = st->status ? oci_container_process_state_generate(&ps, 0, out, NULL,
                                                            &msg)
                     : -1;
  oci_state_free(st);
  if (r < 0) {
    if (msg)
      husk_error_take(err, 0, msg);
    else
      husk_error_set(err, ENOMEM, "seccomp listener state");
    return husk_error_prefix(err, "seccomp listener state");
  }
  return 0;
}

int seccomp_listener_send(int sock, int notify_fd, const char *json,
                        husk_error **err) {
  size_t len = strlen(json), done = 0;
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof(control));
  while (done < len) {
    struct iovec iov = {.iov_base = (char *)json + done,
                        .iov_len = len - done};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    /* The fd rides with the first byte; a stream socket may take the rest
     * in more calls. */
    if (done == 0) {
      m.msg_control = control.buf;
      m.msg_controllen = sizeof(control.buf);
      struct cmsghdr *c = CMSG_FIRSTHDR(&m);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      memcpy(CMSG_DATA(c), &notify_fd, sizeof(int));
    }
    ssize_t n = sendmsg(sock, &m, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return husk_error_set(err, errno, "seccomp listener: sendmsg");
    done += (size_t)n;
  }
  return 0;
}

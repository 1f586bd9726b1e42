/* bench/measure.c: run a command (or COUNT copies of it at once) and print
 * the wall time, the CPU time of its whole process tree and the peak RSS.
 *
 * A container runtime leaves processes behind that are no longer its
 * children (the container's init, helpers it double-forked).  To charge
 * their CPU time to the command that made them, this program is a child
 * subreaper: orphans of the tree are reparented here, reaped here, and
 * getrusage(RUSAGE_CHILDREN) then holds the user+sys time of every process
 * of the tree that has ended.  Descendants still alive when the command
 * returns (a created or detached container's init) are added from /proc
 * with the CPU time they used so far.
 *
 * Usage: measure [OPTIONS] -- COMMAND [ARGS...]
 *   -n COUNT  start COUNT copies at once; "{}" in ARGS becomes the copy's
 *             index (0..COUNT-1); wall time runs from the first launch to
 *             the return of the last copy
 *   -g FILE   the child writes its pid to FILE (a cgroup.procs) before exec,
 *             so the command starts inside that cgroup
 *   -a PID    also charge the CPU time PID uses while the command runs (the
 *             container's init during `start`, which is not a descendant)
 *   -e FILE   append the command's stderr to FILE (default /dev/null)
 *   -t SECS   kill the command after SECS seconds (default 120)
 *   -r        reaper mode: run the command with this program's stdio, reap
 *             every orphan until it returns, exit with its status; prints
 *             nothing (bench/run runs itself this way so that nothing it
 *             starts is left as a zombie); ignores SIGINT and SIGQUIT and
 *             passes SIGTERM and SIGHUP on to the command
 *
 * Output (one line on stdout, unless -r):
 *   WALL_NS CPU_NS MAXRSS_KIB FAILED
 * MAXRSS_KIB is the largest ru_maxrss over the direct children as wait4
 * reports it, i.e. the runtime process and the descendants it reaped
 * itself.  FAILED counts the copies that did not exit with status 0; the
 * exit status is 0 when none failed, 1 otherwise, 2 on usage errors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static uint64_t tv_ns (struct timeval tv)
{
  return (uint64_t) tv.tv_sec * 1000000000u + (uint64_t) tv.tv_usec * 1000u;
}

static int read_small (const char *path, char *buf, size_t size)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t n = read (fd, buf, size - 1);
  close (fd);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return 0;
}

/* CPU time, in ns, of the live threads of PID: the sum of their
 * schedstat run times (runc's init is a Go program with several threads;
 * /proc/PID/schedstat alone is only its first). */
static uint64_t threads_cpu_ns (pid_t pid)
{
  char path[64];
  uint64_t total = 0;

  snprintf (path, sizeof path, "/proc/%d/task", (int) pid);
  DIR *d = opendir (path);
  if (!d)
    return 0;
  struct dirent *de;
  while ((de = readdir (d)))
    {
      char tpath[300], buf[256];
      if (de->d_name[0] == '.')
        continue;
      snprintf (tpath, sizeof tpath, "/proc/%d/task/%s/schedstat", (int) pid, de->d_name);
      if (read_small (tpath, buf, sizeof buf) == 0)
        total += strtoull (buf, NULL, 10);
    }
  closedir (d);
  return total;
}

/* CPU time a live process has used: its threads' (precise) plus that of
 * the children it already reaped (cutime+cstime of /proc/PID/stat, in
 * clock ticks: the kernel keeps no finer total for them). */
static uint64_t live_cpu_ns (pid_t pid)
{
  char path[64], buf[4096];
  uint64_t total = threads_cpu_ns (pid);

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if (read_small (path, buf, sizeof buf) == 0)
    {
      /* The command name may hold spaces and parentheses: fields are
       * counted from the last ')'.  cutime and cstime are fields 16, 17. */
      char *p = strrchr (buf, ')');
      unsigned long long cut = 0, cst = 0;
      if (p && sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %llu %llu",
                       &cut, &cst) == 2)
        total += (cut + cst) * (1000000000u / (uint64_t) sysconf (_SC_CLK_TCK));
    }
  return total;
}

/* Sum live_cpu_ns over PID's live descendants (not PID itself), walking the
 * children lists of each of its threads. */
static uint64_t descendants_cpu_ns (pid_t pid, int depth)
{
  char path[64];
  uint64_t total = 0;

  if (depth > 64)
    return 0;
  snprintf (path, sizeof path, "/proc/%d/task", (int) pid);
  DIR *d = opendir (path);
  if (!d)
    return 0;
  struct dirent *de;
  while ((de = readdir (d)))
    {
      if (de->d_name[0] == '.')
        continue;
      char cpath[300], buf[8192];
      snprintf (cpath, sizeof cpath, "/proc/%d/task/%s/children", (int) pid, de->d_name);
      if (read_small (cpath, buf, sizeof buf) < 0)
        continue;
      for (char *tok = strtok (buf, " \n"); tok; tok = strtok (NULL, " \n"))
        {
          pid_t child = (pid_t) atoi (tok);
          total += live_cpu_ns (child) + descendants_cpu_ns (child, depth + 1);
        }
    }
  closedir (d);
  return total;
}

static volatile sig_atomic_t timed_out;
static volatile pid_t reaper_child;

/* In reaper mode: pass SIGTERM and SIGHUP on to the command, whose cleanup
 * must run while this process stays to reap. */
static void forward (int sig)
{
  if (reaper_child > 0)
    kill (reaper_child, sig);
}

static void on_alarm (int sig)
{
  (void) sig;
  timed_out = 1;
}

static void usage (void)
{
  fputs ("usage: measure [-n COUNT] [-g CGROUP_PROCS] [-a PID] [-e ERRFILE] [-t SECS] [-r] -- COMMAND [ARGS...]\n",
         stderr);
  exit (2);
}

/* The child's half: join the cgroup, set up stdio, exec. */
static void child (char **argv, int index, const char *cgroup_procs, const char *errfile, int reaper)
{
  if (cgroup_procs)
    {
      int fd = open (cgroup_procs, O_WRONLY | O_CLOEXEC);
      if (fd < 0 || dprintf (fd, "%d\n", (int) getpid ()) < 0)
        {
          perror (cgroup_procs);
          _exit (126);
        }
      close (fd);
    }
  if (!reaper)
    {
      /* A detached container inherits the runtime's stdio; keeping it off
       * our stdout keeps the caller's $(...) from waiting on containers. */
      int in = open ("/dev/null", O_RDONLY);
      int out = open ("/dev/null", O_WRONLY);
      int err = errfile ? open (errfile, O_WRONLY | O_CREAT | O_APPEND, 0644) : open ("/dev/null", O_WRONLY);
      if (in < 0 || out < 0 || err < 0)
        _exit (126);
      dup2 (in, 0);
      dup2 (out, 1);
      dup2 (err, 2);
      if (in > 2)
        close (in);
      if (out > 2)
        close (out);
      if (err > 2)
        close (err);
    }

  size_t argc = 0;
  while (argv[argc])
    argc++;
  char **args = calloc (argc + 1, sizeof *args);
  char idx[16];
  snprintf (idx, sizeof idx, "%d", index);
  for (size_t i = 0; i < argc; i++)
    {
      char *hole = strstr (argv[i], "{}");
      if (!hole)
        {
          args[i] = argv[i];
          continue;
        }
      size_t pre = (size_t) (hole - argv[i]);
      args[i] = malloc (strlen (argv[i]) + sizeof idx);
      memcpy (args[i], argv[i], pre);
      strcpy (args[i] + pre, idx);
      strcat (args[i], hole + 2);
    }
  signal (SIGALRM, SIG_DFL);
  execvp (args[0], args);
  perror (args[0]);
  _exit (127);
}

int main (int argc, char **argv)
{
  int count = 1, timeout = 120, reaper = 0, opt;
  const char *cgroup_procs = NULL, *errfile = NULL;
  pid_t attribute = 0;

  while ((opt = getopt (argc, argv, "+n:g:a:e:t:r")) != -1)
    switch (opt)
      {
      case 'n': count = atoi (optarg); break;
      case 'g': cgroup_procs = optarg; break;
      case 'a': attribute = (pid_t) atoi (optarg); break;
      case 'e': errfile = optarg; break;
      case 't': timeout = atoi (optarg); break;
      case 'r': reaper = 1; break;
      default: usage ();
      }
  if (optind >= argc || count < 1 || count > 100000 || (reaper && count != 1))
    usage ();
  char **cmd = argv + optind;

  if (prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    {
      perror ("PR_SET_CHILD_SUBREAPER");
      return 2;
    }
  struct sigaction sa = { .sa_handler = on_alarm };
  sigaction (SIGALRM, &sa, NULL);

  pid_t *pids = calloc ((size_t) count, sizeof *pids);
  uint64_t attr_before = attribute ? threads_cpu_ns (attribute) : 0;
  uint64_t start = now_ns ();
  for (int i = 0; i < count; i++)
    {
      pids[i] = fork ();
      if (pids[i] < 0)
        {
          perror ("fork");
          return 2;
        }
      if (pids[i] == 0)
        child (cmd, i, cgroup_procs, errfile, reaper);
    }
  alarm ((unsigned) timeout);
  if (reaper)
    {
      /* ^C reaches the command through the terminal; the reaper must
       * outlive it to reap what its cleanup leaves.  Set only here, in
       * the parent: an ignored signal would stay ignored across exec. */
      struct sigaction fwd = { .sa_handler = forward, .sa_flags = SA_RESTART };
      reaper_child = pids[0];
      signal (SIGINT, SIG_IGN);
      signal (SIGQUIT, SIG_IGN);
      sigaction (SIGTERM, &fwd, NULL);
      sigaction (SIGHUP, &fwd, NULL);
    }

  /* Wait for the direct children; any orphan of the tree that ends
   * meanwhile is reaped here too, so its time reaches RUSAGE_CHILDREN. */
  int left = count, failed = 0, last_status = 0;
  long maxrss = 0;
  uint64_t end = start;
  while (left > 0)
    {
      int status;
      struct rusage ru;
      pid_t pid = wait4 (-1, &status, 0, &ru);
      if (pid < 0)
        {
          if (errno == EINTR && timed_out)
            {
              for (int i = 0; i < count; i++)
                if (pids[i] > 0)
                  kill (pids[i], SIGKILL);
              timed_out = 0;
              fprintf (stderr, "measure: %s: timed out after %d s\n", cmd[0], timeout);
              continue;
            }
          if (errno == EINTR)
            continue;
          break;
        }
      for (int i = 0; i < count; i++)
        if (pids[i] == pid)
          {
            pids[i] = 0;
            left--;
            end = now_ns ();
            if (ru.ru_maxrss > maxrss)
              maxrss = ru.ru_maxrss;
            if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
              failed++;
            last_status = status;
          }
    }
  alarm (0);

  if (reaper)
    {
      /* Stay for the orphans the command left, so none is a zombie of an
       * init that may not reap.  bench/run deletes its containers before it
       * returns; whatever still lives after a grace period is a leak of
       * this benchmark (and only its descendants can be here): say so and
       * kill it, so that nothing is left behind. */
      for (int grace = 0;; grace++)
        {
          pid_t r;
          while ((r = waitpid (-1, NULL, WNOHANG)) > 0)
            ;
          if (r < 0 && errno == ECHILD)
            break;
          if (grace == 100)
            {
              char path[64], buf[8192];
              snprintf (path, sizeof path, "/proc/%d/task/%d/children", (int) getpid (), (int) getpid ());
              if (read_small (path, buf, sizeof buf) == 0)
                for (char *tok = strtok (buf, " \n"); tok; tok = strtok (NULL, " \n"))
                  {
                    fprintf (stderr, "measure: killing leftover process %s\n", tok);
                    kill ((pid_t) atoi (tok), SIGKILL);
                  }
            }
          if (grace > 200)
            break;
          usleep (100000);
        }
      if (WIFSIGNALED (last_status))
        return 128 + WTERMSIG (last_status);
      return WEXITSTATUS (last_status);
    }

  uint64_t attr_after = attribute ? threads_cpu_ns (attribute) : 0;
  /* Orphans that already ended but were not reaped yet. */
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
  struct rusage all;
  getrusage (RUSAGE_CHILDREN, &all);
  uint64_t cpu = tv_ns (all.ru_utime) + tv_ns (all.ru_stime);
  cpu += descendants_cpu_ns (getpid (), 0);
  if (attr_after > attr_before)
    cpu += attr_after - attr_before;

  printf ("%llu %llu %ld %d\n", (unsigned long long) (end - start), (unsigned long long) cpu, maxrss, failed);
  return failed ? 1 : 0;
}

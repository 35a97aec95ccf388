/* slice NS command args...: runs command with a custom EEVDF time slice of NS nanoseconds (SCHED_OTHER, nice kept;
 * Linux ≥ 6.12, sched_attr.sched_runtime). On a shared machine a busy neighbour makes a woken server or generator wait
 * out the neighbour's slice (a few ms) whatever its nice; a short slice lets it preempt on wake-up. Children and threads
 * inherit it. If the kernel refuses, the command runs anyway and a line on stderr says so. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sched_attr_v1 {
  uint32_t size, sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime, sched_deadline, sched_period;
  uint32_t sched_util_min, sched_util_max;
};

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: slice NS command [args...]\n"); return 2; }
  struct sched_attr_v1 a;
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.sched_policy = 0; /* SCHED_OTHER */
  errno = 0;
  a.sched_nice = getpriority(PRIO_PROCESS, 0);
  a.sched_runtime = strtoull(argv[1], NULL, 10);
  if (syscall(SYS_sched_setattr, 0, &a, 0) != 0) fprintf(stderr, "slice: sched_setattr: %s (running without)\n", strerror(errno));
  execvp(argv[2], argv + 2);
  fprintf(stderr, "slice: %s: %s\n", argv[2], strerror(errno));
  return 127;
}

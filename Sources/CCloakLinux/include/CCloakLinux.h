#ifndef C_CLOAK_LINUX_H
#define C_CLOAK_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* memfd_create(2): glibc declares it only under _GNU_SOURCE, which the Swift Glibc module is not built with. */
int ccloak_memfd_create(const char *name, unsigned int flags);
unsigned int ccloak_mfd_cloexec(void);

/* Installs a classic-BPF seccomp program on the calling thread (no TSYNC): only raw prctl(2) calls.
   `filter` points at `count` struct sock_filter (8 bytes each). Returns 0 or an errno value. */
int ccloak_seccomp_install(const void *filter, unsigned short count);

/* prctl(2) is variadic in glibc; Swift cannot call it. */
int ccloak_set_dumpable(int on);
int ccloak_get_dumpable(void);

#endif

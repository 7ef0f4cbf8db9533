#ifndef _GNU_SOURCE
#error "CCloakLinux must be built with _GNU_SOURCE"
#endif
#include "CCloakLinux.h"
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>

int ccloak_memfd_create(const char *name, unsigned int flags) { return memfd_create(name, flags); }

unsigned int ccloak_mfd_cloexec(void) { return MFD_CLOEXEC; }

int ccloak_seccomp_install(const void *filter, unsigned short count) {
    struct sock_fprog prog = {.len = count, .filter = (struct sock_filter *)filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) return errno;
    return 0;
}

int ccloak_set_dumpable(int on) { return prctl(PR_SET_DUMPABLE, on ? 1 : 0, 0, 0, 0) == 0 ? 0 : errno; }

int ccloak_get_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

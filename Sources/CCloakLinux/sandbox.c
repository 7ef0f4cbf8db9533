#ifndef _GNU_SOURCE
#error "CCloakLinux must be built with _GNU_SOURCE"
#endif
#include "CCloakLinuxSandbox.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int ccloak_seccomp_mode(void) {
    int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
    return mode < 0 ? -errno : mode;
}

int ccloak_set_core_soft_limit_zero(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_CORE, &limit) != 0) return errno;
    limit.rlim_cur = 0;
    return setrlimit(RLIMIT_CORE, &limit) == 0 ? 0 : errno;
}

int ccloak_raise_core_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_CORE, &limit) != 0) return errno;
    limit.rlim_cur = limit.rlim_max;
    return setrlimit(RLIMIT_CORE, &limit) == 0 ? 0 : errno;
}

int ccloak_memlock_limit(uint64_t *soft, uint64_t *hard) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) != 0) return errno;
    *soft = limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)limit.rlim_cur;
    *hard = limit.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)limit.rlim_max;
    return 0;
}

int ccloak_set_memlock_limit(uint64_t soft) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) != 0) return errno;
    limit.rlim_cur = soft == UINT64_MAX ? RLIM_INFINITY : (rlim_t)soft;
    return setrlimit(RLIMIT_MEMLOCK, &limit) == 0 ? 0 : errno;
}

int ccloak_mlock_probe(void) {
    long page = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return errno;
    int rc = mlock(p, (size_t)page) == 0 ? 0 : errno;
    if (rc == 0) munlock(p, (size_t)page);
    munmap(p, (size_t)page);
    return rc;
}

int ccloak_set_ptracer_any(void) { return prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0) == 0 ? 0 : errno; }

/* After a successful attach the target is stopped and ours until detached: wait for the stop, then let it go
   (detaching a tracee that is not yet stopped fails with ESRCH and would leave it stopped). */
static void ccloak_release_tracee(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
    ptrace(PTRACE_DETACH, pid, NULL, NULL);
}

int ccloak_probe_ptrace_attach(pid_t pid) {
    if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) != 0) return errno;
    ccloak_release_tracee(pid);
    return 0;
}

int ccloak_probe_process_vm_readv(pid_t pid, uintptr_t address, size_t length) {
    char buffer[256];
    if (length > sizeof buffer) length = sizeof buffer;
    struct iovec local = {buffer, length};
    struct iovec remote = {(void *)address, length};
    return process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0 ? errno : 0;
}

static const char ccloak_probe_marker[] = "cloak-probe-marker";

uintptr_t ccloak_probe_self_address(void) { return (uintptr_t)ccloak_probe_marker; }

int ccloak_probe_unshare_user(void) {
    pid_t child = fork();
    if (child < 0) return errno;
    if (child == 0) _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : (errno & 0xff));
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return errno;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

int ccloak_probe_clone_user(void) {
    /* Raw clone with a NULL stack runs the child on a copy of ours, like fork. */
    long pid = syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), NULL, NULL, NULL, 0);
    if (pid < 0) return errno;
    if (pid == 0) _exit(0);
    int status = 0;
    while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR) {
    }
    return 0;
}

int ccloak_probe_io_uring_setup(void) {
#ifdef SYS_io_uring_setup
    unsigned char params[120];
    memset(params, 0, sizeof params);
    long fd = syscall(SYS_io_uring_setup, 1, params);
    if (fd < 0) return errno;
    close((int)fd);
    return 0;
#else
    return ENOSYS;
#endif
}

int ccloak_probe_personality(unsigned long persona) {
    int previous = personality(0xffffffff);
    errno = 0;
    int rc = personality(persona);
    if (rc == -1 && errno != 0) return errno;
    if (persona != 0xffffffff && previous >= 0) personality((unsigned long)previous);
    return 0;
}

int ccloak_probe_x32_getpid(void) {
#if defined(__x86_64__)
    long rc = syscall(0x40000000L | SYS_getpid);
    return rc < 0 ? errno : 0;
#else
    return ENOSYS;
#endif
}

int ccloak_probe_compat_ptrace_attach(pid_t pid) {
#if defined(__x86_64__)
    /* i386 numbering: ptrace is 26, PTRACE_ATTACH 16. The result is the raw -errno. */
    long rc;
    __asm__ volatile("int $0x80"
                     : "=a"(rc)
                     : "0"(26L), "b"(16L), "c"((long)pid), "d"(0L)
                     : "memory", "r8", "r9", "r10", "r11");
    if (rc < 0) return (int)-rc;
    ccloak_release_tracee(pid);
    return 0;
#else
    (void)pid;
    return ENOSYS;
#endif
}

int ccloak_probe_read_file(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    char byte;
    /* /proc/PID/mem at offset 0 is unmapped memory: EIO there means the open (the access check) passed. */
    int rc = read(fd, &byte, 1) < 0 && errno != EIO ? errno : 0;
    close(fd);
    return rc;
}

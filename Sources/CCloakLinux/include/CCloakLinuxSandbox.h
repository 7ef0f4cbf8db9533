#ifndef C_CLOAK_LINUX_SANDBOX_H
#define C_CLOAK_LINUX_SANDBOX_H

/* Sandbox and memory hygiene: what the Swift Glibc module hides (_GNU_SOURCE, variadic prctl/ptrace/syscall). */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* prctl(PR_GET_SECCOMP) for the calling thread: 0 none, 2 filter, or -errno. */
int ccloak_seccomp_mode(void);
/* Soft RLIMIT_CORE to 0, hard limit kept. Returns 0 or an errno value. */
int ccloak_set_core_soft_limit_zero(void);
/* Raises the soft RLIMIT_CORE to the hard limit (tests: the control case that does dump core). */
int ccloak_raise_core_limit(void);
/* getrlimit(RLIMIT_MEMLOCK); RLIM_INFINITY is reported as UINT64_MAX. Returns 0 or an errno value. */
int ccloak_memlock_limit(uint64_t *soft, uint64_t *hard);
/* Sets the soft RLIMIT_MEMLOCK (tests). Returns 0 or an errno value. */
int ccloak_set_memlock_limit(uint64_t soft);
/* Whether one page can be mlock'ed right now: 0, or the errno mlock(2) gave (EPERM, ENOMEM, …). */
int ccloak_mlock_probe(void);
/* prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY): lets Yama's ptrace_scope=1 allow any same-user tracer (tests). */
int ccloak_set_ptracer_any(void);

/* ---- Probes for tests: each returns 0 on success or an errno value, and leaves nothing behind. ---- */
/* PTRACE_ATTACH, then wait for the stop and PTRACE_DETACH, so the target runs on. */
int ccloak_probe_ptrace_attach(pid_t pid);
/* process_vm_readv of `length` bytes at `address` in `pid`. */
int ccloak_probe_process_vm_readv(pid_t pid, uintptr_t address, size_t length);
/* A readable address in this process (for process_vm_readv on self). */
uintptr_t ccloak_probe_self_address(void);
/* unshare(CLONE_NEWUSER) in a forked child (unshare refuses user namespaces in multi-threaded processes). */
int ccloak_probe_unshare_user(void);
/* clone(CLONE_NEWUSER) (raw syscall, no stack: the child exits at once). */
int ccloak_probe_clone_user(void);
/* io_uring_setup(1, …), closing the ring on success. */
int ccloak_probe_io_uring_setup(void);
/* personality(persona); restores the previous persona on success. */
int ccloak_probe_personality(unsigned long persona);
/* x86_64 only: getpid through the x32 ABI (nr | 0x40000000). ENOSYS elsewhere. */
int ccloak_probe_x32_getpid(void);
/* x86_64 only: ptrace(PTRACE_ATTACH, pid) through the i386 compat entry (int $0x80), detaching on success.
   ENOSYS elsewhere. */
int ccloak_probe_compat_ptrace_attach(pid_t pid);
/* open + read one byte: 0 or the errno of whichever step failed (EIO from reading is success: see sandbox.c). */
int ccloak_probe_read_file(const char *path);

#endif

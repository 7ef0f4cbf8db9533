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

/* ---- Launcher: spawn ---- */
#include <spawn.h>

/* posix_spawn_file_actions_addclosefrom_np (glibc 2.34+), looked up with dlsym so older glibc still loads us.
   Returns 0, or ENOSYS when the running glibc lacks it. */
int ccloak_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);
/* posix_spawn_file_actions_addchdir_np (glibc 2.29+), same lookup. Returns 0, ENOSYS or an errno value. */
int ccloak_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
/* POSIX_SPAWN_SETSID needs _GNU_SOURCE. */
short ccloak_spawn_flag_setsid(void);
/* Fallback for a missing addclosefrom: marks every descriptor >= from close-on-exec (close_range, else /proc/self/fd).
   Returns 0 or an errno value. */
int ccloak_mark_cloexec_from(int from);
/* pidfd_open(2) through syscall(2) (glibc < 2.36 has no wrapper). Returns a descriptor or -errno. */
int ccloak_pidfd_open(pid_t pid);
/* pipe2(2) with O_CLOEXEC, plus O_NONBLOCK on both ends when nonblocking != 0 (pipe2 needs _GNU_SOURCE). */
int ccloak_pipe(int fds[2], int nonblocking);
/* prctl(2) is variadic: no_new_privs for the spawn-thread hook and its tests. */
int ccloak_set_no_new_privs(void);
int ccloak_get_no_new_privs(void);
/* explicit_bzero: a wipe the optimiser may not drop. */
void ccloak_wipe(void *p, size_t n);

/* ---- Launcher: signals ---- */
/* One received signal as written into the self-pipe by the SA_SIGINFO handler (12 bytes, below PIPE_BUF). */
struct ccloak_signal_event {
    int32_t signo;
    int32_t code;
    int32_t pid;
};
/* Installs one async-signal-safe SA_SIGINFO handler for each of `signals` that writes a ccloak_signal_event into
   `fd` (non-blocking). Previous actions are saved. Returns 0 or an errno value. */
int ccloak_signals_install(int fd, const int *signals, int count);
/* Restores the actions saved by ccloak_signals_install. */
void ccloak_signals_restore(void);
/* Before execve in place: every catchable signal to SIG_DFL (ignored ones would otherwise survive exec) and an
   empty signal mask, as POSIX_SPAWN_SETSIGDEF/SETSIGMASK do for a spawned child. */
void ccloak_reset_signals_for_exec(void);
/* si_code values (macros in an anonymous enum hidden by the Swift Glibc module). */
int ccloak_si_kernel(void);
int ccloak_si_user(void);
int ccloak_si_queue(void);
/* Dies of `signo` like a child that was killed by it: RLIMIT_CORE 0, default action, unblocked, raise.
   Returns only when the signal did not terminate the process. */
void ccloak_die_of_signal(int signo);

/* ---- Launcher: terminals ---- */
/* posix_openpt + grantpt + unlockpt + ptsname_r; master is O_RDWR|O_NOCTTY|O_CLOEXEC. Returns the master or -errno. */
int ccloak_pty_open(char *slave_name, size_t name_len);
/* TIOCGWINSZ on `from`, TIOCSWINSZ on `to` (ioctl is variadic). Returns 0 or an errno value. */
int ccloak_tty_copy_winsize(int from, int to);
/* Sets rows/cols on `fd` (tests and the probe). */
int ccloak_tty_set_winsize(int fd, unsigned short rows, unsigned short cols);
/* Reads rows/cols of `fd`. */
int ccloak_tty_get_winsize(int fd, unsigned short *rows, unsigned short *cols);
/* Copies termios from `from` to `to` (on Linux a pty master's termios are its slave's). */
int ccloak_tty_copy_termios(int from, int to);
/* Saves the termios of `fd` once and switches it to raw mode. Returns 0 or an errno value. */
int ccloak_tty_enter_raw(int fd);
/* Puts back what ccloak_tty_enter_raw saved (no-op when nothing is saved). Async-signal-safe. */
void ccloak_tty_restore(void);
/* Restores and forgets the saved termios (end of supervision). */
void ccloak_tty_release(void);
/* While raw mode is on: a handler for the signals cloak does not otherwise catch whose default action kills
   (SIGALRM, SIGSEGV, SIGABRT, …) that restores the terminal and then lets the signal take its default course.
   ccloak_tty_release removes it. Returns 0 or an errno value. */
int ccloak_tty_guard_fatal_signals(void);
/* Re-applies raw mode after ccloak_tty_restore (job control: continued after a stop). */
int ccloak_tty_reenter_raw(void);
/* The VEOF character of `fd`'s terminal, or 4 (^D). */
unsigned char ccloak_tty_eof_char(int fd);
/* tcgetpgrp on a pty master: the foreground process group of its slave. */
pid_t ccloak_tty_foreground_group(int fd);

/* ---- Secret files ---- */
/* MFD_CLOEXEC | MFD_ALLOW_SEALING. */
unsigned int ccloak_mfd_sealable(void);
/* F_ADD_SEALS with F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE|F_SEAL_SEAL. Returns 0 or an errno value. */
int ccloak_memfd_seal(int fd);
/* F_GET_SEALS has bits for write and seal set (tests). */
int ccloak_memfd_is_sealed(int fd);

/* ---- Sandbox ---- */
#include "CCloakLinuxSandbox.h"

#endif

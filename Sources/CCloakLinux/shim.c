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

/* ---- Launcher: spawn ---- */
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

typedef int (*ccloak_closefrom_fn)(posix_spawn_file_actions_t *, int);
typedef int (*ccloak_chdir_fn)(posix_spawn_file_actions_t *, const char *);

int ccloak_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    static ccloak_closefrom_fn fn;
    static int looked;
    if (!__atomic_load_n(&looked, __ATOMIC_ACQUIRE)) {
        fn = (ccloak_closefrom_fn)dlsym(RTLD_DEFAULT, "posix_spawn_file_actions_addclosefrom_np");
        __atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
    }
    if (!fn) return ENOSYS;
    return fn(actions, from);
}

int ccloak_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    static ccloak_chdir_fn fn;
    static int looked;
    if (!__atomic_load_n(&looked, __ATOMIC_ACQUIRE)) {
        fn = (ccloak_chdir_fn)dlsym(RTLD_DEFAULT, "posix_spawn_file_actions_addchdir_np");
        __atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
    }
    if (!fn) return ENOSYS;
    return fn(actions, path);
}

short ccloak_spawn_flag_setsid(void) { return POSIX_SPAWN_SETSID; }

int ccloak_mark_cloexec_from(int from) {
#ifdef SYS_close_range
    /* CLOSE_RANGE_CLOEXEC is (1U << 2) since Linux 5.11. */
    if (syscall(SYS_close_range, (unsigned int)from, ~0U, 1U << 2) == 0) return 0;
#endif
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) return errno;
    int self = dirfd(dir);
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        int fd = atoi(entry->d_name);
        if (fd < from || fd == self) continue;
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
    closedir(dir);
    return 0;
}

int ccloak_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -errno : (int)fd;
#else
    return -ENOSYS;
#endif
}

int ccloak_pipe(int fds[2], int nonblocking) {
    return pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0)) == 0 ? 0 : errno;
}

int ccloak_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : errno; }

int ccloak_get_no_new_privs(void) { return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); }

void ccloak_wipe(void *p, size_t n) {
    if (p && n) explicit_bzero(p, n);
}

/* ---- Launcher: signals ---- */
static volatile sig_atomic_t ccloak_signal_fd = -1;
static struct sigaction ccloak_saved_actions[NSIG];
static unsigned char ccloak_saved_flags[NSIG];

static void ccloak_signal_handler(int signo, siginfo_t *info, void *context) {
    (void)context;
    int saved_errno = errno;
    struct ccloak_signal_event event = {signo, info ? info->si_code : 0, info ? info->si_pid : 0};
    int fd = ccloak_signal_fd;
    if (fd >= 0) {
        /* A full pipe drops the event: the loop is already awake and behind; nothing better is safe here. */
        ssize_t ignored = write(fd, &event, sizeof event);
        (void)ignored;
    }
    errno = saved_errno;
}

int ccloak_signals_install(int fd, const int *signals, int count) {
    ccloak_signal_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = ccloak_signal_handler;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < count; i++) {
        int signo = signals[i];
        if (signo <= 0 || signo >= NSIG) return EINVAL;
        if (sigaction(signo, &action, &ccloak_saved_actions[signo]) != 0) return errno;
        ccloak_saved_flags[signo] = 1;
    }
    return 0;
}

void ccloak_signals_restore(void) {
    for (int signo = 1; signo < NSIG; signo++) {
        if (!ccloak_saved_flags[signo]) continue;
        sigaction(signo, &ccloak_saved_actions[signo], NULL);
        ccloak_saved_flags[signo] = 0;
    }
    ccloak_signal_fd = -1;
}

void ccloak_reset_signals_for_exec(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int signo = 1; signo < NSIG; signo++) {
        if (signo == SIGKILL || signo == SIGSTOP) continue;
        sigaction(signo, &action, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
}

int ccloak_si_kernel(void) { return SI_KERNEL; }
int ccloak_si_user(void) { return SI_USER; }
int ccloak_si_queue(void) { return SI_QUEUE; }

void ccloak_die_of_signal(int signo) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signo, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(signo);
}

/* ---- Launcher: terminals ---- */
static struct termios ccloak_saved_termios;
static struct termios ccloak_raw_termios;
static volatile sig_atomic_t ccloak_saved_tty_fd = -1;

int ccloak_pty_open(char *slave_name, size_t name_len) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -errno;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, slave_name, name_len) != 0) {
        int saved = errno;
        close(master);
        return -(saved ? saved : EIO);
    }
    return master;
}

int ccloak_tty_copy_winsize(int from, int to) {
    struct winsize size;
    if (ioctl(from, TIOCGWINSZ, &size) != 0) return errno;
    if (ioctl(to, TIOCSWINSZ, &size) != 0) return errno;
    return 0;
}

int ccloak_tty_set_winsize(int fd, unsigned short rows, unsigned short cols) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    size.ws_row = rows;
    size.ws_col = cols;
    return ioctl(fd, TIOCSWINSZ, &size) == 0 ? 0 : errno;
}

int ccloak_tty_get_winsize(int fd, unsigned short *rows, unsigned short *cols) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return errno;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}

int ccloak_tty_copy_termios(int from, int to) {
    struct termios t;
    if (tcgetattr(from, &t) != 0) return errno;
    if (tcsetattr(to, TCSANOW, &t) != 0) return errno;
    return 0;
}

int ccloak_tty_enter_raw(int fd) {
    struct termios original;
    if (tcgetattr(fd, &original) != 0) return errno;
    struct termios raw = original;
    cfmakeraw(&raw);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    ccloak_saved_termios = original;
    ccloak_raw_termios = raw;
    ccloak_saved_tty_fd = fd;
    if (tcsetattr(fd, TCSADRAIN, &raw) != 0) {
        ccloak_saved_tty_fd = -1;
        return errno;
    }
    return 0;
}

void ccloak_tty_restore(void) {
    int fd = ccloak_saved_tty_fd;
    if (fd < 0) return;
    tcsetattr(fd, TCSADRAIN, &ccloak_saved_termios);
}

static const int ccloak_fatal_signals[] = {SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGPOLL, SIGSYS,
                                           SIGSEGV, SIGBUS,    SIGILL,  SIGFPE,  SIGABRT, SIGTRAP, SIGPWR};
#define CCLOAK_FATAL_COUNT (sizeof ccloak_fatal_signals / sizeof ccloak_fatal_signals[0])
static struct sigaction ccloak_fatal_saved[CCLOAK_FATAL_COUNT];
static int ccloak_fatal_installed;

static void ccloak_fatal_handler(int signo) {
    ccloak_tty_restore();
    /* SA_RESETHAND already put the default back: a fault re-executes and dies, anything else is raised again. */
    raise(signo);
}

int ccloak_tty_guard_fatal_signals(void) {
    if (ccloak_fatal_installed) return 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ccloak_fatal_handler;
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < CCLOAK_FATAL_COUNT; i++) {
        struct sigaction current;
        sigaction(ccloak_fatal_signals[i], NULL, &current);
        ccloak_fatal_saved[i] = current;
        /* Leave alone what the process already ignores or handles itself. */
        if (current.sa_handler != SIG_DFL) continue;
        if (sigaction(ccloak_fatal_signals[i], &action, NULL) != 0) return errno;
    }
    ccloak_fatal_installed = 1;
    return 0;
}

void ccloak_tty_release(void) {
    ccloak_tty_restore();
    ccloak_saved_tty_fd = -1;
    if (ccloak_fatal_installed) {
        for (size_t i = 0; i < CCLOAK_FATAL_COUNT; i++) sigaction(ccloak_fatal_signals[i], &ccloak_fatal_saved[i], NULL);
        ccloak_fatal_installed = 0;
    }
}

int ccloak_tty_reenter_raw(void) {
    int fd = ccloak_saved_tty_fd;
    if (fd < 0) return 0;
    return tcsetattr(fd, TCSADRAIN, &ccloak_raw_termios) == 0 ? 0 : errno;
}

unsigned char ccloak_tty_eof_char(int fd) {
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return 4;
    return t.c_cc[VEOF] ? t.c_cc[VEOF] : 4;
}

pid_t ccloak_tty_foreground_group(int fd) { return tcgetpgrp(fd); }

/* ---- Secret files ---- */
unsigned int ccloak_mfd_sealable(void) { return MFD_CLOEXEC | MFD_ALLOW_SEALING; }

int ccloak_memfd_seal(int fd) {
    return fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0 ? 0 : errno;
}

int ccloak_memfd_is_sealed(int fd) {
    int seals = fcntl(fd, F_GET_SEALS);
    return seals >= 0 && (seals & F_SEAL_WRITE) && (seals & F_SEAL_SEAL);
}

#include "ctls.h"
#include <dlfcn.h>
#include <pthread.h>

/* Every function used: return type, name, parameter list. One line gives the pointer and its lookup. */
#define CTLS_FUNCTIONS(X)                                                                                            \
    X(const SSL_METHOD *, TLS_client_method, (void))                                                                 \
    X(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *method))                                                            \
    X(void, SSL_CTX_free, (SSL_CTX * ctx))                                                                           \
    X(long, SSL_CTX_ctrl, (SSL_CTX * ctx, int cmd, long larg, void *parg))                                           \
    X(int, SSL_CTX_set_default_verify_paths, (SSL_CTX * ctx))                                                        \
    X(int, SSL_CTX_load_verify_locations, (SSL_CTX * ctx, const char *file, const char *dir))                         \
    X(void, SSL_CTX_set_verify, (SSL_CTX * ctx, int mode, SSL_verify_cb cb))                                         \
    X(SSL *, SSL_new, (SSL_CTX * ctx))                                                                               \
    X(void, SSL_free, (SSL * ssl))                                                                                   \
    X(int, SSL_set_fd, (SSL * ssl, int fd))                                                                          \
    X(long, SSL_ctrl, (SSL * ssl, int cmd, long larg, void *parg))                                                   \
    X(int, SSL_set1_host, (SSL * ssl, const char *host))                                                             \
    X(X509_VERIFY_PARAM *, SSL_get0_param, (SSL * ssl))                                                              \
    X(int, X509_VERIFY_PARAM_set1_ip_asc, (X509_VERIFY_PARAM * param, const char *ip))                              \
    X(int, SSL_connect, (SSL * ssl))                                                                                 \
    X(int, SSL_read, (SSL * ssl, void *buf, int num))                                                                \
    X(int, SSL_write, (SSL * ssl, const void *buf, int num))                                                         \
    X(int, SSL_get_error, (const SSL *ssl, int ret))                                                                 \
    X(int, SSL_shutdown, (SSL * ssl))                                                                                \
    X(long, SSL_get_verify_result, (const SSL *ssl))                                                                 \
    X(const char *, X509_verify_cert_error_string, (long n))                                                         \
    X(unsigned long, ERR_get_error, (void))                                                                          \
    X(void, ERR_clear_error, (void))                                                                                 \
    X(void, ERR_error_string_n, (unsigned long e, char *buf, size_t len))

#define POINTER(ret, name, params) ret(*name) params;
static struct {
    CTLS_FUNCTIONS(POINTER)
} fn;

static const char *load_error = "libssl was not loaded";
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *lib = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        load_error = "libssl.so.3 could not be loaded; install it (Debian: apt-get install libssl3)";
        return;
    }
    int missing = 0;
#define LOOKUP(ret, name, params)                                                                                    \
    if ((fn.name = (ret(*) params)dlsym(lib, #name)) == NULL) missing = 1;
    CTLS_FUNCTIONS(LOOKUP)
    load_error = missing ? "libssl.so.3 lacks a function cloak needs; install OpenSSL 3 (Debian: apt-get install libssl3)"
                         : NULL;
}

const char *ctls_load(void) {
    pthread_once(&once, load);
    return load_error;
}

SSL_CTX *ctls_client_context(const char *ca_file, const char **error) {
    SSL_CTX *ctx = fn.SSL_CTX_new(fn.TLS_client_method());
    if (ctx == NULL) {
        *error = "cannot create a TLS context";
        return NULL;
    }
    fn.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
    fn.SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (fn.SSL_CTX_set_default_verify_paths(ctx) != 1) {
        *error = "cannot load the system's CA certificates";
        fn.SSL_CTX_free(ctx);
        return NULL;
    }
    if (ca_file != NULL && fn.SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
        *error = "cannot read the CA file (ca_bundle): it must be PEM certificates";
        fn.SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

void ctls_context_free(SSL_CTX *ctx) { fn.SSL_CTX_free(ctx); }

SSL *ctls_session(SSL_CTX *ctx, int fd, const char *host, int is_ip) {
    SSL *ssl = fn.SSL_new(ctx);
    if (ssl == NULL) return NULL;
    int ok = fn.SSL_set_fd(ssl, fd) == 1;
    if (ok && is_ip) {
        ok = fn.X509_VERIFY_PARAM_set1_ip_asc(fn.SSL_get0_param(ssl), host) == 1;
    } else if (ok) {
        ok = fn.SSL_set1_host(ssl, host) == 1 &&
             fn.SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)host) == 1;
    }
    if (!ok) {
        fn.SSL_free(ssl);
        return NULL;
    }
    return ssl;
}

void ctls_session_free(SSL *ssl) { fn.SSL_free(ssl); }
int ctls_connect(SSL *ssl) { return fn.SSL_connect(ssl); }
int ctls_read(SSL *ssl, void *buffer, int count) { return fn.SSL_read(ssl, buffer, count); }
int ctls_write(SSL *ssl, const void *buffer, int count) { return fn.SSL_write(ssl, buffer, count); }
int ctls_get_error(SSL *ssl, int result) { return fn.SSL_get_error(ssl, result); }
void ctls_shutdown(SSL *ssl) { fn.SSL_shutdown(ssl); }
long ctls_verify_result(SSL *ssl) { return fn.SSL_get_verify_result(ssl); }
const char *ctls_verify_error_string(long code) { return fn.X509_verify_cert_error_string(code); }

void ctls_last_error(char *buffer, size_t size) {
    unsigned long e = fn.ERR_get_error();
    if (size > 0) buffer[0] = 0;
    if (e != 0) fn.ERR_error_string_n(e, buffer, size);
    fn.ERR_clear_error();
}

#ifndef CTLS_H
#define CTLS_H
/* A TLS client over a connected socket, from the shared libssl.so.3 loaded with dlopen on first use (never linked:
   only `rediss://` needs it, and linking it would cost every start its relocations). Certificates are verified
   against the system store (OpenSSL's default paths, which honour SSL_CERT_FILE/SSL_CERT_DIR) plus an optional CA
   file, and the peer's name or IP address is checked. Every ctls_ call is valid only after ctls_load() returned
   NULL. */
#include <openssl/ssl.h>
#include <stddef.h>

/* Loads libssl.so.3 once (thread-safe). NULL when ready, otherwise a fixed message saying what is missing. */
const char *ctls_load(void);

/* A client context: TLS 1.2 or newer, peer verification on, default CA paths plus ca_file when not NULL.
   NULL on failure, with *error set to a fixed message. */
SSL_CTX *ctls_client_context(const char *ca_file, const char **error);
void ctls_context_free(SSL_CTX *ctx);

/* A session on fd that checks the certificate names `host` (an IP address when is_ip is non-zero; otherwise a DNS
   name, also sent as SNI). NULL on failure. */
SSL *ctls_session(SSL_CTX *ctx, int fd, const char *host, int is_ip);
void ctls_session_free(SSL *ssl);

/* OpenSSL's SSL_connect/SSL_read/SSL_write and SSL_get_error (SSL_ERROR_WANT_READ/WRITE tell what to poll for). */
int ctls_connect(SSL *ssl);
int ctls_read(SSL *ssl, void *buffer, int count);
int ctls_write(SSL *ssl, const void *buffer, int count);
int ctls_get_error(SSL *ssl, int result);
void ctls_shutdown(SSL *ssl);

/* Why verification failed (X509_V_OK = 0 when it did not), and its text. */
long ctls_verify_result(SSL *ssl);
const char *ctls_verify_error_string(long code);

/* The oldest queued OpenSSL error as text into buffer (empty when none); clears the queue. */
void ctls_last_error(char *buffer, size_t size);
#endif

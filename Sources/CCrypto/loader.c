#include "ccrypto.h"
#include <dlfcn.h>
#include <pthread.h>

/* Every function used: return type, name, parameter list, argument list. One line here gives the pointer, its
   lookup and its ccrypto_ wrapper, so the three can never disagree. */
#define CCRYPTO_FUNCTIONS(X)                                                                                          \
    X(void, ERR_clear_error, (void), ())                                                                              \
    X(EVP_CIPHER_CTX *, EVP_CIPHER_CTX_new, (void), ())                                                               \
    X(void, EVP_CIPHER_CTX_free, (EVP_CIPHER_CTX * ctx), (ctx))                                                       \
    X(int, EVP_CIPHER_CTX_ctrl, (EVP_CIPHER_CTX * ctx, int type, int arg, void *ptr), (ctx, type, arg, ptr))          \
    X(const EVP_CIPHER *, EVP_aes_256_gcm, (void), ())                                                                \
    X(const EVP_CIPHER *, EVP_aes_128_cbc, (void), ())                                                                \
    X(int, EVP_EncryptInit_ex,                                                                                        \
      (EVP_CIPHER_CTX * ctx, const EVP_CIPHER *c, ENGINE *e, const unsigned char *key, const unsigned char *iv),      \
      (ctx, c, e, key, iv))                                                                                           \
    X(int, EVP_EncryptUpdate, (EVP_CIPHER_CTX * ctx, unsigned char *out, int *outl, const unsigned char *in, int inl), \
      (ctx, out, outl, in, inl))                                                                                      \
    X(int, EVP_EncryptFinal_ex, (EVP_CIPHER_CTX * ctx, unsigned char *out, int *outl), (ctx, out, outl))             \
    X(int, EVP_DecryptInit_ex,                                                                                        \
      (EVP_CIPHER_CTX * ctx, const EVP_CIPHER *c, ENGINE *e, const unsigned char *key, const unsigned char *iv),      \
      (ctx, c, e, key, iv))                                                                                           \
    X(int, EVP_DecryptUpdate, (EVP_CIPHER_CTX * ctx, unsigned char *out, int *outl, const unsigned char *in, int inl), \
      (ctx, out, outl, in, inl))                                                                                      \
    X(int, EVP_DecryptFinal_ex, (EVP_CIPHER_CTX * ctx, unsigned char *out, int *outl), (ctx, out, outl))             \
    X(BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len))                                                 \
    X(int, BIO_free, (BIO * bio), (bio))                                                                              \
    X(int, EVP_PKEY_get_base_id, (const EVP_PKEY *pkey), (pkey))                                                      \
    X(void, EVP_PKEY_free, (EVP_PKEY * pkey), (pkey))                                                                 \
    X(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())                                                                       \
    X(void, EVP_MD_CTX_free, (EVP_MD_CTX * ctx), (ctx))                                                               \
    X(const EVP_MD *, EVP_sha256, (void), ())                                                                         \
    X(int, EVP_DigestSign, (EVP_MD_CTX * ctx, unsigned char *sig, size_t *siglen, const unsigned char *m, size_t n),  \
      (ctx, sig, siglen, m, n))                                                                                       \
    X(BIGNUM *, BN_new, (void), ())                                                                                   \
    X(BIGNUM *, BN_secure_new, (void), ())                                                                            \
    X(BIGNUM *, BN_dup, (const BIGNUM *a), (a))                                                                       \
    X(void, BN_free, (BIGNUM * a), (a))                                                                               \
    X(void, BN_clear_free, (BIGNUM * a), (a))                                                                         \
    X(BN_CTX *, BN_CTX_secure_new, (void), ())                                                                        \
    X(void, BN_CTX_free, (BN_CTX * ctx), (ctx))                                                                       \
    X(BIGNUM *, BN_get_rfc2409_prime_1024, (BIGNUM * bn), (bn))                                                       \
    X(const BIGNUM *, BN_value_one, (void), ())                                                                       \
    X(void, BN_set_flags, (BIGNUM * b, int n), (b, n))                                                                \
    X(int, BN_set_word, (BIGNUM * a, BN_ULONG w), (a, w))                                                             \
    X(int, BN_sub_word, (BIGNUM * a, BN_ULONG w), (a, w))                                                             \
    X(BIGNUM *, BN_bin2bn, (const unsigned char *s, int len, BIGNUM *ret), (s, len, ret))                             \
    X(int, BN_bn2binpad, (const BIGNUM *a, unsigned char *to, int tolen), (a, to, tolen))                             \
    X(int, BN_num_bits, (const BIGNUM *a), (a))                                                                       \
    X(int, BN_cmp, (const BIGNUM *a, const BIGNUM *b), (a, b))                                                        \
    X(int, BN_mod_exp, (BIGNUM * r, const BIGNUM *a, const BIGNUM *p, const BIGNUM *m, BN_CTX *ctx), (r, a, p, m, ctx))

#define POINTER(ret, name, params, args) ret(*name) params;
static struct {
    CCRYPTO_FUNCTIONS(POINTER)
    /* Both take arguments cloak always passes as NULL; the wrappers below fix them. */
    EVP_PKEY *(*PEM_read_bio_PrivateKey)(BIO *, EVP_PKEY **, pem_password_cb *, void *);
    int (*EVP_DigestSignInit)(EVP_MD_CTX *, EVP_PKEY_CTX **, const EVP_MD *, ENGINE *, EVP_PKEY *);
} fn;

static const char *load_error = "libcrypto was not loaded";
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *symbol(void *lib, const char *name, int *missing) {
    void *p = dlsym(lib, name);
    if (p == NULL) *missing = 1;
    return p;
}

static void load(void) {
    /* RTLD_LOCAL: the copy of OpenSSL's GCM code linked into cloak (CAESGCM) and this library never see each other. */
    void *lib = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        load_error = "libcrypto.so.3 could not be loaded; install it (Debian: apt-get install libssl3)";
        return;
    }
    int missing = 0;
#define LOOKUP(ret, name, params, args) fn.name = (ret(*) params)symbol(lib, #name, &missing);
    CCRYPTO_FUNCTIONS(LOOKUP)
    fn.PEM_read_bio_PrivateKey = (EVP_PKEY * (*)(BIO *, EVP_PKEY **, pem_password_cb *, void *))
        symbol(lib, "PEM_read_bio_PrivateKey", &missing);
    fn.EVP_DigestSignInit = (int (*)(EVP_MD_CTX *, EVP_PKEY_CTX **, const EVP_MD *, ENGINE *, EVP_PKEY *))
        symbol(lib, "EVP_DigestSignInit", &missing);
    if (missing) {
        load_error = "libcrypto.so.3 lacks a function cloak needs; install OpenSSL 3 (Debian: apt-get install libssl3)";
        return;
    }
    load_error = NULL;
}

const char *ccrypto_load(void) {
    pthread_once(&once, load);
    return load_error;
}

#define WRAPPER(ret, name, params, args) ret ccrypto_##name params { return fn.name args; }
CCRYPTO_FUNCTIONS(WRAPPER)

EVP_PKEY *ccrypto_PEM_read_bio_PrivateKey(BIO *bio) { return fn.PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL); }
int ccrypto_EVP_DigestSignInit(EVP_MD_CTX *ctx, const EVP_MD *md, EVP_PKEY *pkey) {
    return fn.EVP_DigestSignInit(ctx, NULL, md, NULL, pkey);
}

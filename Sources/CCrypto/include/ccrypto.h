#ifndef CCRYPTO_H
#define CCRYPTO_H
/* OpenSSL's EVP, BN and PEM layers, loaded on first use from the shared libcrypto.so.3 with dlopen instead of linked.
   Linking them in brought ~16,000 relocations (provider, encoder and error tables) that the dynamic loader applies
   at every start — about 0.3 ms of each `cloak exec` — for code that only the rare paths use: RS256 for GCP service
   accounts, the Secret Service session (DH + AES-CBC), and AES-GCM on CPUs without AES-NI.
   Only types and constants come from the OpenSSL headers; every call goes through a ccrypto_ function below, and
   each of those is only valid after ccrypto_load() returned NULL. */
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <stddef.h>

/* Loads libcrypto.so.3 and resolves every function below (once, thread-safe). Returns NULL when ready, otherwise
   a fixed message saying what is missing. */
const char *ccrypto_load(void);

void ccrypto_ERR_clear_error(void);

EVP_CIPHER_CTX *ccrypto_EVP_CIPHER_CTX_new(void);
void ccrypto_EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *ctx);
int ccrypto_EVP_CIPHER_CTX_ctrl(EVP_CIPHER_CTX *ctx, int type, int arg, void *ptr);
const EVP_CIPHER *ccrypto_EVP_aes_256_gcm(void);
const EVP_CIPHER *ccrypto_EVP_aes_128_cbc(void);
int ccrypto_EVP_EncryptInit_ex(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *cipher, ENGINE *engine,
                               const unsigned char *key, const unsigned char *iv);
int ccrypto_EVP_EncryptUpdate(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl, const unsigned char *in, int inl);
int ccrypto_EVP_EncryptFinal_ex(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl);
int ccrypto_EVP_DecryptInit_ex(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *cipher, ENGINE *engine,
                               const unsigned char *key, const unsigned char *iv);
int ccrypto_EVP_DecryptUpdate(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl, const unsigned char *in, int inl);
int ccrypto_EVP_DecryptFinal_ex(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl);

BIO *ccrypto_BIO_new_mem_buf(const void *buf, int len);
int ccrypto_BIO_free(BIO *bio);
EVP_PKEY *ccrypto_PEM_read_bio_PrivateKey(BIO *bio);
int ccrypto_EVP_PKEY_get_base_id(const EVP_PKEY *pkey);
void ccrypto_EVP_PKEY_free(EVP_PKEY *pkey);
EVP_MD_CTX *ccrypto_EVP_MD_CTX_new(void);
void ccrypto_EVP_MD_CTX_free(EVP_MD_CTX *ctx);
const EVP_MD *ccrypto_EVP_sha256(void);
int ccrypto_EVP_DigestSignInit(EVP_MD_CTX *ctx, const EVP_MD *md, EVP_PKEY *pkey);
int ccrypto_EVP_DigestSign(EVP_MD_CTX *ctx, unsigned char *sig, size_t *siglen, const unsigned char *msg, size_t len);

BIGNUM *ccrypto_BN_new(void);
BIGNUM *ccrypto_BN_secure_new(void);
BIGNUM *ccrypto_BN_dup(const BIGNUM *a);
void ccrypto_BN_free(BIGNUM *a);
void ccrypto_BN_clear_free(BIGNUM *a);
BN_CTX *ccrypto_BN_CTX_secure_new(void);
void ccrypto_BN_CTX_free(BN_CTX *ctx);
BIGNUM *ccrypto_BN_get_rfc2409_prime_1024(BIGNUM *bn);
const BIGNUM *ccrypto_BN_value_one(void);
void ccrypto_BN_set_flags(BIGNUM *b, int n);
int ccrypto_BN_set_word(BIGNUM *a, BN_ULONG w);
int ccrypto_BN_sub_word(BIGNUM *a, BN_ULONG w);
BIGNUM *ccrypto_BN_bin2bn(const unsigned char *s, int len, BIGNUM *ret);
int ccrypto_BN_bn2binpad(const BIGNUM *a, unsigned char *to, int tolen);
int ccrypto_BN_num_bits(const BIGNUM *a);
int ccrypto_BN_cmp(const BIGNUM *a, const BIGNUM *b);
int ccrypto_BN_mod_exp(BIGNUM *r, const BIGNUM *a, const BIGNUM *p, const BIGNUM *m, BN_CTX *ctx);
#endif

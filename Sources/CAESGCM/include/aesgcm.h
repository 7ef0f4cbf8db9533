#ifndef CLOAK_AESGCM_H
#define CLOAK_AESGCM_H
#include <stddef.h>
#include <stdint.h>

/* AES-256-GCM with any IV length (SOPS uses 32 bytes), without OpenSSL's EVP layer: the AES rounds are the CPU's
   AES-NI instructions (constant time) and the GCM mode is OpenSSL's CRYPTO_gcm128 (PCLMUL GHASH). EVP would first
   load and index OpenSSL's default provider — ~1.1 ms of every `cloak exec` that reads a SOPS file.

   Returns 1 when the CPU has AES-NI and PCLMULQDQ; otherwise callers use EVP. */
int cloak_aesgcm_available(void);

/* Encrypts `len` bytes from `in` to `out` (which may be the same) and writes the 16-byte tag. 1 on success. */
int cloak_aesgcm_seal(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                      const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[16]);

/* Decrypts and checks the tag (constant-time compare). 1 when authentic; on 0 `out` is zeroed. */
int cloak_aesgcm_open(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                      const uint8_t *in, uint8_t *out, size_t len, const uint8_t tag[16]);

/* One AES-256 block with AES-NI (for the FIPS-197 known-answer test). */
void cloak_aes256_encrypt_block(const uint8_t key[32], const uint8_t in[16], uint8_t out[16]);
#endif

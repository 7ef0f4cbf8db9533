#include "aesgcm.h"
#include <openssl/modes.h>
#include <string.h>

#if defined(__x86_64__)
#include <wmmintrin.h>
#include <emmintrin.h>

/* The 15 round keys of AES-256. */
typedef struct { __m128i rk[15]; } schedule_t;

/* The next round key from the one two rounds back: word-wise prefix XOR of `key`, XORed with `word` (the
   aeskeygenassist output with the wanted 32-bit word broadcast: RotWord+SubWord+rcon for even rounds, SubWord
   only for AES-256's odd ones). */
__attribute__((target("aes,sse2")))
static __m128i mix(__m128i key, __m128i word) {
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    return _mm_xor_si128(key, word);
}

/* aeskeygenassist and the shuffle need immediates, hence macros. */
#define EVEN(prev2, prev1, rcon) mix(prev2, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(prev1, rcon), 0xff))
#define ODD(prev2, prev1) mix(prev2, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(prev1, 0x00), 0xaa))

__attribute__((target("aes,sse2")))
static void expand(const uint8_t key[32], schedule_t *s) {
    s->rk[0] = _mm_loadu_si128((const __m128i *)key);
    s->rk[1] = _mm_loadu_si128((const __m128i *)(key + 16));
    s->rk[2] = EVEN(s->rk[0], s->rk[1], 0x01);
    s->rk[3] = ODD(s->rk[1], s->rk[2]);
    s->rk[4] = EVEN(s->rk[2], s->rk[3], 0x02);
    s->rk[5] = ODD(s->rk[3], s->rk[4]);
    s->rk[6] = EVEN(s->rk[4], s->rk[5], 0x04);
    s->rk[7] = ODD(s->rk[5], s->rk[6]);
    s->rk[8] = EVEN(s->rk[6], s->rk[7], 0x08);
    s->rk[9] = ODD(s->rk[7], s->rk[8]);
    s->rk[10] = EVEN(s->rk[8], s->rk[9], 0x10);
    s->rk[11] = ODD(s->rk[9], s->rk[10]);
    s->rk[12] = EVEN(s->rk[10], s->rk[11], 0x20);
    s->rk[13] = ODD(s->rk[11], s->rk[12]);
    s->rk[14] = EVEN(s->rk[12], s->rk[13], 0x40);
}

__attribute__((target("aes,sse2")))
static void encrypt_block(const unsigned char in[16], unsigned char out[16], const void *key) {
    const schedule_t *s = (const schedule_t *)key;
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), s->rk[0]);
    for (int r = 1; r < 14; r++) x = _mm_aesenc_si128(x, s->rk[r]);
    x = _mm_aesenclast_si128(x, s->rk[14]);
    _mm_storeu_si128((__m128i *)out, x);
}

int cloak_aesgcm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul");
}

static int run(int sealing, const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad,
               size_t aad_len, const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[16]) {
    schedule_t s __attribute__((aligned(16)));
    expand(key, &s);
    int ok = 0;
    GCM128_CONTEXT *g = CRYPTO_gcm128_new(&s, encrypt_block);
    if (g == NULL) goto done;
    CRYPTO_gcm128_setiv(g, iv, iv_len);
    if (aad_len > 0 && CRYPTO_gcm128_aad(g, aad, aad_len) != 0) goto done;
    if (sealing) {
        if (len > 0 && CRYPTO_gcm128_encrypt(g, in, out, len) != 0) goto done;
        CRYPTO_gcm128_tag(g, tag, 16);
        ok = 1;
    } else {
        if (len > 0 && CRYPTO_gcm128_decrypt(g, in, out, len) != 0) goto done;
        ok = CRYPTO_gcm128_finish(g, tag, 16) == 0;
    }
done:
    if (g != NULL) CRYPTO_gcm128_release(g); /* clears the context (it holds H and the counter state) */
    explicit_bzero(&s, sizeof s);
    if (!ok && !sealing && len > 0) explicit_bzero(out, len);
    return ok;
}

int cloak_aesgcm_seal(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                      const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[16]) {
    return run(1, key, iv, iv_len, aad, aad_len, in, out, len, tag);
}

int cloak_aesgcm_open(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                      const uint8_t *in, uint8_t *out, size_t len, const uint8_t tag[16]) {
    return run(0, key, iv, iv_len, aad, aad_len, in, out, len, (uint8_t *)tag);
}

void cloak_aes256_encrypt_block(const uint8_t key[32], const uint8_t in[16], uint8_t out[16]) {
    schedule_t s __attribute__((aligned(16)));
    expand(key, &s);
    encrypt_block(in, out, &s);
    explicit_bzero(&s, sizeof s);
}

#else

int cloak_aesgcm_available(void) { return 0; }
int cloak_aesgcm_seal(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                      const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[16]) {
    (void)key; (void)iv; (void)iv_len; (void)aad; (void)aad_len; (void)in; (void)out; (void)len; (void)tag;
    return 0;
}
int cloak_aesgcm_open(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                      const uint8_t *in, uint8_t *out, size_t len, const uint8_t tag[16]) {
    (void)key; (void)iv; (void)iv_len; (void)aad; (void)aad_len; (void)in; (void)out; (void)len; (void)tag;
    return 0;
}
void cloak_aes256_encrypt_block(const uint8_t key[32], const uint8_t in[16], uint8_t out[16]) {
    (void)key; (void)in; memset(out, 0, 16);
}
#endif

#include "ccurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLSH *(*share_init)(void);
    CURLSHcode (*share_setopt)(CURLSH *, CURLSHoption, ...);
} fn;

static const char *load_error = "libcurl was not loaded";
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *symbol(void *lib, const char *name, int *missing) {
    void *p = dlsym(lib, name);
    if (p == NULL) *missing = 1;
    return p;
}

static void load(void) {
    /* RTLD_LOCAL: curl's own dependencies (gnutls, nettle, …) must not interpose on libcrypto's symbols. */
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        load_error = "libcurl.so.4 could not be loaded; install it (Debian: apt-get install libcurl4)";
        return;
    }
    int missing = 0;
    fn.global_init = (CURLcode (*)(long))symbol(lib, "curl_global_init", &missing);
    fn.easy_init = (CURL *(*)(void))symbol(lib, "curl_easy_init", &missing);
    fn.easy_cleanup = (void (*)(CURL *))symbol(lib, "curl_easy_cleanup", &missing);
    fn.easy_reset = (void (*)(CURL *))symbol(lib, "curl_easy_reset", &missing);
    fn.easy_perform = (CURLcode (*)(CURL *))symbol(lib, "curl_easy_perform", &missing);
    fn.easy_setopt = (CURLcode (*)(CURL *, CURLoption, ...))symbol(lib, "curl_easy_setopt", &missing);
    fn.easy_getinfo = (CURLcode (*)(CURL *, CURLINFO, ...))symbol(lib, "curl_easy_getinfo", &missing);
    fn.slist_append = (struct curl_slist * (*)(struct curl_slist *, const char *))symbol(lib, "curl_slist_append", &missing);
    fn.slist_free_all = (void (*)(struct curl_slist *))symbol(lib, "curl_slist_free_all", &missing);
    fn.share_init = (CURLSH *(*)(void))symbol(lib, "curl_share_init", &missing);
    fn.share_setopt = (CURLSHcode (*)(CURLSH *, CURLSHoption, ...))symbol(lib, "curl_share_setopt", &missing);
    if (missing) {
        load_error = "libcurl.so.4 is too old (a required function is missing); install libcurl 7.85 or newer";
        return;
    }
    if (fn.global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
        load_error = "libcurl failed to initialise (curl_global_init)";
        return;
    }
    load_error = NULL;
}

const char *ccurl_load(void) {
    pthread_once(&once, load);
    return load_error;
}

/* Every wrapper below is only reached after ccurl_load() returned NULL (the Swift side checks once). */
CURL *ccurl_easy_init(void) { return ccurl_load() ? NULL : fn.easy_init(); }
void ccurl_easy_cleanup(CURL *h) { fn.easy_cleanup(h); }
void ccurl_easy_reset(CURL *h) { fn.easy_reset(h); }
CURLcode ccurl_easy_perform(CURL *h) { return fn.easy_perform(h); }
struct curl_slist *ccurl_slist_append(struct curl_slist *l, const char *s) { return fn.slist_append(l, s); }
void ccurl_slist_free_all(struct curl_slist *l) { if (l) fn.slist_free_all(l); }
CURLSH *ccurl_share_init(void) { return ccurl_load() ? NULL : fn.share_init(); }

CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return fn.easy_setopt(h, o, v); }
CURLcode ccurl_setopt_ptr(CURL *h, CURLoption o, const void *v) { return fn.easy_setopt(h, o, v); }
CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return fn.easy_setopt(h, o, v); }
CURLcode ccurl_setopt_write_fn(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) {
    return fn.easy_setopt(h, CURLOPT_WRITEFUNCTION, f);
}
CURLcode ccurl_setopt_header_fn(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) {
    return fn.easy_setopt(h, CURLOPT_HEADERFUNCTION, f);
}
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *out) { return fn.easy_getinfo(h, i, out); }
CURLSHcode ccurl_share_setopt_long(CURLSH *s, CURLSHoption o, long v) { return fn.share_setopt(s, o, v); }
CURLSHcode ccurl_share_setopt_ptr(CURLSH *s, CURLSHoption o, void *v) { return fn.share_setopt(s, o, v); }
CURLSHcode ccurl_share_setopt_lock_fn(CURLSH *s, void (*f)(CURL *, curl_lock_data, curl_lock_access, void *)) {
    return fn.share_setopt(s, CURLSHOPT_LOCKFUNC, f);
}
CURLSHcode ccurl_share_setopt_unlock_fn(CURLSH *s, void (*f)(CURL *, curl_lock_data, void *)) {
    return fn.share_setopt(s, CURLSHOPT_UNLOCKFUNC, f);
}

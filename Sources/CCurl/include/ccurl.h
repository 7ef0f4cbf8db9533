#ifndef CCURL_H
#define CCURL_H
/* libcurl, loaded on first use with dlopen instead of linked: its ~30 transitive libraries cost ~6 ms of dynamic
   loading on every start, and most cloak runs (SOPS, keychain, exec of cached values) never make a request.
   Only the types and constants come from <curl/curl.h>; every call goes through the ccurl_ functions below. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/* Loads libcurl.so.4 and resolves every function used (once, thread-safe) and runs curl_global_init.
   Returns NULL when ready, otherwise a fixed message saying what is missing. */
const char *ccurl_load(void);

CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *h);
void ccurl_easy_reset(CURL *h);
CURLcode ccurl_easy_perform(CURL *h);
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *s);
void ccurl_slist_free_all(struct curl_slist *list);
CURLSH *ccurl_share_init(void);

/* curl_easy_setopt / curl_easy_getinfo / curl_share_setopt are C variadics, which Swift cannot call:
   one typed, non-variadic wrapper per argument kind. */
CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode ccurl_setopt_ptr(CURL *h, CURLoption o, const void *v);
CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode ccurl_setopt_write_fn(CURL *h, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode ccurl_setopt_header_fn(CURL *h, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *out);
CURLSHcode ccurl_share_setopt_long(CURLSH *s, CURLSHoption o, long v);
CURLSHcode ccurl_share_setopt_ptr(CURLSH *s, CURLSHoption o, void *v);
CURLSHcode ccurl_share_setopt_lock_fn(CURLSH *s, void (*fn)(CURL *, curl_lock_data, curl_lock_access, void *));
CURLSHcode ccurl_share_setopt_unlock_fn(CURLSH *s, void (*fn)(CURL *, curl_lock_data, void *));
#endif

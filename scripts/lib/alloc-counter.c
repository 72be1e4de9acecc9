/* LD_PRELOAD shim counting heap allocations, for benchmarks only (scripts/bench-compose.sh).
 * It wraps glibc's allocator entry points and forwards to glibc's own __libc_* functions, so no
 * dlsym(RTLD_NEXT) bootstrapping is needed. A benchmark reads the totals through
 * facteur_alloc_counters(), which it looks up with dlsym: absent shim, no figure. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static uint64_t calls, bytes;

static inline void count(size_t n) {
    __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&bytes, n, __ATOMIC_RELAXED);
}

void facteur_alloc_counters(uint64_t *out_calls, uint64_t *out_bytes) {
    *out_calls = __atomic_load_n(&calls, __ATOMIC_RELAXED);
    *out_bytes = __atomic_load_n(&bytes, __ATOMIC_RELAXED);
}

void *malloc(size_t n) { count(n); return __libc_malloc(n); }
void *calloc(size_t m, size_t n) { count(m * n); return __libc_calloc(m, n); }
void *realloc(void *p, size_t n) { count(n); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t a, size_t n) { count(n); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { count(n); return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
    count(n);
    void *p = __libc_memalign(a, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

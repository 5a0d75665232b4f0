/*
 * For capd's "never allocates per packet" tests: counts heap allocations.
 * Plain builds interpose malloc/calloc/realloc (forwarding to glibc's
 * __libc_* entry points) and count every call; ASan builds cannot interpose
 * (ASan owns malloc), so they compare the bytes in use instead. The table's
 * arrays are mmap'd: mapping_count() watches for new mappings.
 * Include in one test file only (it defines malloc).
 */
#ifndef CAPD_ALLOC_COUNT_H
#define CAPD_ALLOC_COUNT_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
size_t __sanitizer_get_current_allocated_bytes(void);
/* A value that changes when anything is allocated and kept. */
static inline unsigned long alloc_marker(void)
{
	return (unsigned long)__sanitizer_get_current_allocated_bytes();
}
#else
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

static unsigned long alloc_calls;

void *malloc(size_t n)
{
	alloc_calls++;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	alloc_calls++;
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	alloc_calls++;
	return __libc_realloc(p, n);
}

/* The number of allocation calls so far. */
static inline unsigned long alloc_marker(void)
{
	return alloc_calls;
}
#endif

/* Memory mappings of the process (mmap'd memory is not seen by malloc). */
static inline unsigned long mapping_count(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long n = 0;
	int c;
	if (!f)
		return 0;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

#endif

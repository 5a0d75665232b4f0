/* Give start-up code's pages back: a daemon touches most of libc while it
 * parses its configuration and builds its seccomp filter, and those pages
 * stay mapped (counted in its RSS) though the loop never runs them again. */
#ifndef NETMON_RESIDENT_H
#define NETMON_RESIDENT_H

#include <stddef.h>

/* Unmap the resident pages of every loaded object's read-only segments
 * (code, constants); they stay in the page cache and fault back in, page
 * by page, when used. Writable and RELRO segments are left alone. Returns
 * the number of bytes advised (0 when nothing could be). No system call but
 * madvise(MADV_DONTNEED), so it may run inside the sandbox. */
size_t resident_release_code(void);

#endif

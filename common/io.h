/*
 * Reading a file descriptor to a count, through short reads and EINTR.
 */
#ifndef NETMON_IO_H
#define NETMON_IO_H

#include <stddef.h>
#include <sys/types.h>

/* read() until n bytes or end of file. Returns the count (less than n only
 * at end of file), or -1 with errno set. */
ssize_t read_full(int fd, void *buf, size_t n);

#endif

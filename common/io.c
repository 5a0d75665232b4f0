#include "io.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

ssize_t read_full(int fd, void *buf, size_t n)
{
	uint8_t *dst = buf;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, dst + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

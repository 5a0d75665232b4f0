/*
 * What the two side-by-side fuzz targets of capd's file readers share
 * (fuzz_pcapfile.c, fuzz_pcapng.c): the input as a memory file both readers
 * can open, and libpcap's read status in the readers' terms.
 */
#ifndef NETMON_FUZZ_SAVEFILE_H
#define NETMON_FUZZ_SAVEFILE_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <pcap/pcap.h>

/* The bytes in a memory file (made once, reused), positioned at its start. */
static inline int fuzz_memfile(const char *name, const uint8_t *bytes, size_t n)
{
	static int fd = -1;
	if (fd < 0 && (fd = memfd_create(name, MFD_CLOEXEC)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, bytes, n, 0) != (ssize_t)n ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

/* pcap_next_ex()'s status as the readers' next(): 1 record, 0 end of file,
 * -1 error. */
static inline int fuzz_pcap_status(int rc)
{
	if (rc == 1)
		return 1;
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	return -1;
}

#endif

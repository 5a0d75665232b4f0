/*
 * A reader for classic pcap files (pcap-savefile(5), version 2.4), used by
 * `--read` in place of libpcap's savefile reader when the file is one.
 *
 * Why: libpcap reads a savefile with two fread() calls per record; on a
 * 1-million-frame file that is most of the time `--read` takes (docs/
 * performance.md). This reader fills a 1 MiB buffer with read() and hands out
 * records in place, through common/cursor.h like every other parser of
 * untrusted bytes here.
 *
 * Scope, so that the two readers can never disagree: pcapfile_open() takes a
 * file only when its 24-byte header has one of the four standard magics
 * (micro- or nanosecond, either byte order), version 2.4, and a link type
 * capd decodes (ETHERNET, RAW and older raw IP 12/14, LINUX_SLL, LINUX_SLL2,
 * IPV4, IPV6, NULL, LOOP, PPP, PPP_HDLC) with no FCS or extension bits. Anything else (pcapng, older versions, other link types, a short
 * header) is PCAPFILE_NOT_MINE and goes to libpcap. For the files it takes,
 * it hands out the records libpcap would, with the same captured length,
 * wire length and bytes, and stops with an error exactly where libpcap
 * would: tests/fuzz/fuzz_pcapfile.c checks that on every input, side by side
 * with libpcap itself.
 */
#ifndef NETMON_CAPD_PCAPFILE_H
#define NETMON_CAPD_PCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libpcap's limit (MAXIMUM_SNAPLEN) for every link type taken here: a
 * record claiming more is corrupt. */
#define PCAPFILE_MAX_CAPLEN 262144u
#define PCAPFILE_HEADER_LEN 24u
#define PCAPFILE_RECORD_HEADER_LEN 16u
/* What --read uses: room for several of the largest records, so a refill
 * reads a good chunk of the file at once. */
#define PCAPFILE_BUF_LEN (1u << 20)

struct pcapfile {
	int fd;                 /* not owned: the caller closes it */
	bool big_endian;        /* byte order of the file's header fields */
	int dlt;                /* the link type as a DLT_ value */
	uint32_t snapshot;      /* records are cut to this many captured bytes */
	uint8_t *buf;           /* [pos, end) holds unread bytes of the file */
	size_t cap, pos, end;
	uint64_t buf_offset;    /* file offset of buf[0] */
	bool eof;               /* read() has returned 0 */
	uint64_t records;       /* records handed out */
	uint64_t error_offset;  /* after an error: where the bad record starts */
	char error[128];        /* after an error: what is wrong */
};

struct pcapfile_record {
	const uint8_t *data;    /* valid until the next pcapfile_next() */
	uint32_t caplen;        /* bytes at data */
	uint32_t len;           /* the frame's length on the wire */
};

enum pcapfile_open_status {
	PCAPFILE_OK,
	PCAPFILE_NOT_MINE,      /* not a file this reader takes: use libpcap */
	PCAPFILE_ERROR,         /* read error or no memory; pf->error says which */
};

/* Read the file header from fd's current position and set up a read buffer
 * of `bufsize` bytes (PCAPFILE_BUF_LEN; tests use tiny ones so that records
 * straddle refills; a record longer than the buffer grows it). On
 * PCAPFILE_NOT_MINE the caller must rewind fd before handing it to libpcap.
 * pcapfile_close() is due after every outcome. */
enum pcapfile_open_status pcapfile_open(struct pcapfile *pf, int fd, size_t bufsize);

/* 1: *rec is the next record; 0: clean end of file; -1: the file is
 * truncated or corrupt, or read() failed (pf->error, pf->error_offset). */
int pcapfile_next(struct pcapfile *pf, struct pcapfile_record *rec);

void pcapfile_close(struct pcapfile *pf);

#endif

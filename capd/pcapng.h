/*
 * A reader for pcapng files (draft-ietf-opsawg-pcapng), used by `--read` in
 * place of libpcap's, beside capd/pcapfile.c for classic pcap files.
 *
 * Why: libpcap 1.10 refuses a pcapng file whose interfaces differ in link
 * type or snapshot length (what mergecap makes of two captures), and a
 * section in the other byte order. Each Interface Description Block carries
 * its own link type and snaplen and capd accounts per frame, so this reader
 * hands every record out with its interface's link type.
 *
 * What it reads: Section Header Blocks (each section in its own byte order;
 * interfaces are numbered per section), Interface Description Blocks,
 * Enhanced, Simple and obsolete Packet Blocks; any other block is skipped
 * whole. Every block is checked as libpcap checks it (length at least 12, a
 * multiple of 4, at most 16 MiB, the trailer's copy equal to the header's;
 * IDB options well-formed; a packet's captured length within the block and
 * within its interface's snapshot length; its interface described), so that
 * on a file with one interface the two readers hand out the same records and
 * stop at the same record: tests/fuzz/fuzz_pcapng.c checks that side by side
 * with libpcap. Timestamps are not read.
 *
 * Like pcapfile.c, it fills a buffer with read() and hands records out in
 * place, every field read through common/cursor.h.
 */
#ifndef NETMON_CAPD_PCAPNG_H
#define NETMON_CAPD_PCAPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAPNG_BUF_LEN (1u << 20)
/* libpcap's limit on a block (INITIAL_MAX_BLOCKSIZE): a longer one is
 * refused, not allocated. */
#define PCAPNG_MAX_BLOCK (16u * 1024 * 1024)
/* Interfaces per section: far more than any capture has, few enough that a
 * file of nothing but IDBs cannot make the table large. */
#define PCAPNG_MAX_IFACES 65536u

struct pcapng_iface {
	int dlt;                /* the link type as a DLT_ value */
	uint32_t snapshot;      /* snaplen, 0 and out-of-range ones as the maximum */
};

struct pcapng {
	int fd;                 /* not owned: the caller closes it */
	bool big_endian;        /* byte order of the current section */
	uint8_t *buf;           /* [pos, end) holds unread bytes of the file */
	size_t cap, pos, end;
	uint64_t buf_offset;    /* file offset of buf[0] */
	bool eof;               /* read() has returned 0 */
	struct pcapng_iface *ifaces;  /* the current section's interfaces */
	uint32_t n_ifaces, ifaces_cap;
	uint32_t max_block;     /* longest block taken */
	int first_dlt;          /* the file's first interface: what libpcap reports */
	uint32_t first_snapshot;
	uint64_t records;       /* records handed out */
	uint32_t sections;      /* section header blocks seen */
	bool first_big_endian;  /* byte order of the first section */
	/* What libpcap 1.10 would refuse and this reader takes: */
	bool mixed_byte_order;  /* a section in the other byte order than the first */
	bool mixed_ifaces;      /* an interface unlike the first (link type, snaplen) */
	uint64_t error_offset;  /* after an error: where the bad block starts */
	char error[160];        /* after an error: what is wrong */
};

struct pcapng_record {
	const uint8_t *data;    /* valid until the next pcapng_next() */
	uint32_t caplen;        /* bytes at data */
	uint32_t len;           /* the frame's length on the wire */
	uint32_t iface;         /* interface number in its section */
	int dlt;                /* that interface's link type */
};

enum pcapng_open_status {
	PCAPNG_OK,
	PCAPNG_NOT_MINE,        /* no pcapng section header: not a pcapng file */
	PCAPNG_ERROR,           /* a pcapng file, but unreadable; ng->error says why */
};

/* Read from fd's current position up to and including the first Interface
 * Description Block (first_dlt, first_snapshot), with a read buffer of
 * `bufsize` bytes (PCAPNG_BUF_LEN; tests use tiny ones; a longer block grows
 * it). On PCAPNG_NOT_MINE the caller must rewind fd before trying another
 * reader. pcapng_close() is due after every outcome. */
enum pcapng_open_status pcapng_open(struct pcapng *ng, int fd, size_t bufsize);

/* 1: *rec is the next packet; 0: clean end of file; -1: the file is
 * truncated or corrupt, or read() failed (ng->error, ng->error_offset). */
int pcapng_next(struct pcapng *ng, struct pcapng_record *rec);

void pcapng_close(struct pcapng *ng);

#endif

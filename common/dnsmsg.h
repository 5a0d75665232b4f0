/*
 * One reader for DNS-shaped messages (RFC 1035 §4): mDNS responses, NetBIOS
 * name service packets (arpd), reverse DNS answers (the reporter). Bytes are untrusted
 * and read only through common/cursor.h.
 *
 * Names are decompressed with a loop guard: every compression pointer must
 * point strictly before the start of the run of labels it ends (so each jump
 * goes lower than the one before and reading always ends), at most
 * DNS_MAX_JUMPS jumps, labels of at most 63 bytes, the whole name at most 255
 * bytes in wire form (RFC 1035 §2.3.4), and a pointer or label that leaves
 * the message refuses the name. A refused name stops the reader.
 */
#ifndef NETMON_DNSMSG_H
#define NETMON_DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

#define DNS_HDR_LEN 12
#define DNS_LABEL_MAX 63
#define DNS_NAME_WIRE_MAX 255       /* wire form: length bytes, labels, the root's 0 */
#define DNS_MAX_JUMPS 32            /* compression pointers followed per name */
#define DNS_LABELS_MAX 127          /* (255 - 1) / 2 */

enum dns_type {
	DNS_T_A = 1,
	DNS_T_PTR = 12,
	DNS_T_HINFO = 13,
	DNS_T_TXT = 16,
	DNS_T_AAAA = 28,
	DNS_T_NB = 32,              /* NetBIOS general name service (RFC 1002) */
	DNS_T_SRV = 33,
};

enum dns_err {
	DNS_OK = 0,
	DNS_END = 1,                /* no more entries (not an error) */
	DNS_ESHORT = -1,            /* message ends inside a header, name or RR */
	DNS_ELABEL = -2,            /* label longer than 63, or reserved label type (0x40/0x80) */
	DNS_ELONG = -3,             /* name longer than 255 bytes in wire form */
	DNS_EPOINTER = -4,          /* pointer not strictly backwards, out of the message, or too many */
	DNS_ECOMPRESS = -5,         /* pointer where compression is not allowed */
};

/* A decoded (uncompressed) name, in wire form: len, label, ..., 0. */
struct dns_name {
	uint8_t wire[DNS_NAME_WIRE_MAX];
	size_t len;                 /* bytes used in wire, the final 0 included */
	unsigned nlabels;
};

struct dns_header {
	uint16_t id, flags;
	uint16_t qdcount, ancount, nscount, arcount;
};

#define DNS_FLAG_QR 0x8000u
#define DNS_OPCODE(flags) (((flags) >> 11) & 0xfu)
#define DNS_RCODE(flags) ((flags) & 0xfu)

enum dns_section { DNS_SEC_QUESTION, DNS_SEC_ANSWER, DNS_SEC_AUTHORITY, DNS_SEC_ADDITIONAL };

struct dns_question {
	struct dns_name name;
	uint16_t type, qclass;
};

struct dns_rr {
	enum dns_section section;
	struct dns_name name;
	uint16_t type;
	uint16_t rclass;            /* as on the wire (mDNS puts cache-flush in bit 15) */
	uint32_t ttl;
	size_t rdata_off;           /* offset of rdata in the message (names in rdata) */
	uint16_t rdlen;
	struct cursor rdata;        /* exactly the rdata */
};

struct dns_reader {
	const uint8_t *msg;
	size_t len;
	struct cursor cur;          /* next entry */
	struct dns_header hdr;
	unsigned qleft;             /* questions not yet read */
	unsigned rrleft[3];         /* answer, authority, additional RRs not yet read */
	bool failed;                /* a malformed entry stopped the reader */
};

/* Read the header. DNS_OK, or DNS_ESHORT for fewer than 12 bytes. */
int dns_reader_init(struct dns_reader *r, const uint8_t *msg, size_t len);

/* The next question: DNS_OK, DNS_END when all were read, or an error (the
 * reader then stays failed). Questions must be read before RRs; dns_next_rr
 * skips those not read. */
int dns_next_question(struct dns_reader *r, struct dns_question *q);

/* The next resource record of the answer, authority and additional sections
 * in order: DNS_OK, DNS_END, or an error (the reader then stays failed). */
int dns_next_rr(struct dns_reader *r, struct dns_rr *rr);

/* Decode the name at byte `off` of msg[0..len). allow_pointers = false for
 * names that must not be compressed (DHCP option 81). On DNS_OK, *end is the
 * offset just past the name where it was read (after its first pointer, if
 * any). */
int dns_read_name(const uint8_t *msg, size_t len, size_t off, bool allow_pointers,
		  struct dns_name *out, size_t *end);

/* Label i (0 = leftmost) of a decoded name: pointer and length, false when
 * there is no such label. */
bool dns_name_label(const struct dns_name *n, unsigned i, const uint8_t **p, size_t *len);

/* The name as dotted text without the root's dot ("" for the root). Refused
 * (false, out = "") when a label holds a '.' (the text would lie about the
 * labels) or when out is too small; the text is not checked otherwise: pass it
 * through name_clean() before using it as a name. */
bool dns_name_text(const struct dns_name *n, char *out, size_t outsz);

/* Case-insensitive (ASCII) comparison of the last labels of n with the dotted
 * suffix, e.g. "_device-info._tcp.local". */
bool dns_name_ends_with(const struct dns_name *n, const char *suffix);

/* Read one <character-string> (a length byte, then that many bytes) from rdata. */
bool dns_read_charstr(struct cursor *c, const uint8_t **p, size_t *len);

const char *dns_err_str(int err);

#endif

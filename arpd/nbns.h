/*
 * NetBIOS name service (RFC 1001/1002), UDP port 137: the names Windows,
 * Samba and many printers and NAS boxes register and refresh by broadcast.
 * The message is DNS-shaped (common/dnsmsg.h reads it); each NetBIOS name is
 * the first label of a DNS name, 32 bytes 'A'..'P' carrying 16 bytes half a
 * byte at a time ("first-level encoding", RFC 1001 §14.1): 15 name bytes
 * padded with spaces, then a suffix byte telling the service (0x00
 * workstation, 0x20 file server, 0x1d/0x1e browser and group names...).
 *
 * Names come from the NB records of registrations (opcode 5) and refreshes
 * (8, 9) and of positive query responses (opcode 0, rcode 0), each with the
 * address its record carries. A name with a bad encoding is skipped and
 * counted; a name that fails name_clean() (e.g. OEM code page bytes that are
 * not UTF-8) likewise.
 */
#ifndef ARPD_NBNS_H
#define ARPD_NBNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsmsg.h"

#define NBNS_PORT 137
#define NBNS_NAMES_MAX 4            /* names kept per message */
#define NETBIOS_NAME_MAX 15         /* bytes before the suffix */

#define NBNS_OP_QUERY 0
#define NBNS_OP_REGISTRATION 5
#define NBNS_OP_REFRESH 8
#define NBNS_OP_REFRESH_ALT 9       /* what many implementations send for refresh */

#define NB_SUFFIX_WORKSTATION 0x00
#define NB_SUFFIX_SERVER 0x20

struct nbns_name {
	char name[NETBIOS_NAME_MAX + 1];    /* trailing spaces stripped */
	uint8_t suffix;
	bool group;                         /* NB_FLAGS G bit: a group, not a host */
	uint32_t addr;                      /* NB_ADDRESS, host order */
};

struct nbns_info {
	uint8_t opcode;
	bool response;
	size_t n;
	struct nbns_name names[NBNS_NAMES_MAX];
	unsigned bad_encoding;              /* NB records whose name is not 32 x 'A'..'P' */
	unsigned refused;                   /* decoded names refused by name_clean */
	unsigned dropped;                   /* names beyond NBNS_NAMES_MAX */
};

enum {
	NBNS_EKIND = -30,                   /* not a registration, refresh or positive answer */
};

/* Parse one NBNS message (the UDP payload). DNS_OK when the whole message was
 * read, NBNS_EKIND (out empty but opcode/response), or the dns_err that
 * stopped the reader (out keeps the names before it). */
int nbns_parse(const uint8_t *msg, size_t len, struct nbns_info *out);

/* First-level decoding of the first label of n into 16 raw bytes (name and
 * suffix). false when that label is not 32 bytes of 'A'..'P'. */
bool nbns_decode_name(const struct dns_name *n, uint8_t raw[16]);

/* A name that names one machine: unique (not a group), suffix 0x00 or 0x20. */
bool nbns_is_host_name(const struct nbns_name *n);

#endif

/*
 * One UDP datagram that arpd's filter let through -> the names it carries,
 * in one shape whatever the protocol, each tied to the MAC and/or address it
 * belongs to. The glue between the frame parser (which finds the UDP
 * payload) and the device table (which keys everything by MAC):
 *
 *   sport 68, dport 67   DHCP request    names the client's chaddr
 *   sport 5353           mDNS response   names the record's address; the
 *                                        sender's MAC when it is its own
 *   sport 137            NBNS            names the NB address; the sender's
 *                                        MAC when it is its own
 *
 * Pure: no I/O, no clock. Only names that passed name_clean() come out.
 */
#ifndef ARPD_PASSIVE_H
#define ARPD_PASSIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp.h"
#include "name.h"

/* What the frame parser knows about the datagram. */
struct passive_udp {
	uint8_t eth_src[6];
	uint8_t family;                 /* 4 or 6 */
	uint8_t src[16];                /* source address (IPv4 in src[0..3]) */
	uint16_t sport, dport;
	const uint8_t *payload;         /* the UDP payload as captured */
	size_t len;
};

enum passive_kind { PASSIVE_NONE = 0, PASSIVE_DHCP, PASSIVE_MDNS, PASSIVE_NBNS };

#define PASSIVE_NAMES_MAX 8

/* "this device is called name": by MAC (mac_known) and/or by address
 * (family != 0). A device table that knows the address's MAC can place a
 * name that came without one. */
struct passive_name {
	enum name_source source;        /* NAME_SRC_DHCP, _MDNS or _NETBIOS */
	bool mac_known;
	uint8_t mac[6];
	uint8_t family;                 /* 0 none, 4, 6 */
	uint8_t addr[16];
	char name[NAME_LABEL_MAX + 1];
};

struct passive_result {
	enum passive_kind kind;
	int err;                        /* the parser's result (DHCP_*, DNS_*, MDNS_*, NBNS_*) */
	size_t n;
	struct passive_name names[PASSIVE_NAMES_MAX];
	/* what the sender says about itself besides a name ("" if nothing):
	 * they belong to `about_mac` (DHCP: chaddr) or to the sender */
	uint8_t about_mac[6];
	struct device_about about;              /* DHCP options 60 and 55 as a
						 * fingerprint; mDNS model= and HINFO */
	char fqdn[NAME_TEXT_MAX + 1];           /* DHCP option 81 (not used yet) */
	unsigned refused;                       /* names refused by name_clean */
};

/* Which parser a datagram goes to, from its ports alone. */
enum passive_kind passive_kind_of(uint16_t sport, uint16_t dport);

/* Parse one datagram. Returns r->kind (PASSIVE_NONE for ports we do not
 * read); r->n names and the attributes are filled as far as the message
 * could be read (r->err tells how it ended). */
enum passive_kind passive_parse(const struct passive_udp *u, struct passive_result *r);

#endif

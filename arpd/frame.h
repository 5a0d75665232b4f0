/*
 * ARP, IPv6 neighbour-discovery frames and (for passive names) IPv4/IPv6 UDP
 * datagrams off the wire, parsed through the
 * cursor accessors only. One Ethernet frame in, at most one observation out:
 * "this MAC uses this address". Everything else is ignored and counted by
 * reason, so an operator can tell a quiet LAN from a hostile one.
 */
#ifndef ARPD_FRAME_H
#define ARPD_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARPD_VLAN_MAX 2            /* 802.1Q / 802.1ad tags looked through */
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

enum arpd_frame_kind {
	FRAME_IGNORED = 0,
	FRAME_ARP,
	FRAME_ND,
	FRAME_UDP,                  /* IPv4/IPv6 UDP datagram (passive names) */
};

/* Why a frame was ignored; one counter each. */
enum arpd_ignore {
	IGN_SHORT,          /* too short for its headers (also after a VLAN tag) */
	IGN_VLAN_DEPTH,     /* more VLAN tags than ARPD_VLAN_MAX */
	IGN_ETHERTYPE,      /* neither ARP nor ICMPv6 */
	IGN_ARP_FORMAT,     /* hardware/protocol type or length not Ethernet/IPv4 (6/4) */
	IGN_ARP_OP,         /* ARP operation other than request/reply */
	IGN_BAD_SENDER,     /* sender MAC broadcast, multicast or zero */
	IGN_ND_FORMAT,      /* IPv6/ICMPv6 header not an ND message we use */
	IGN_ND_OPTION,      /* ND option of length 0 or running past the packet */
	IGN_IP_FORMAT,      /* IPv4/IPv6/UDP header malformed or lengths inconsistent */
	IGN_IP_FRAGMENT,    /* IPv4 fragment (a later one has no UDP header) */
	IGN_COUNT
};

struct arpd_parse_stats {
	uint64_t frames;
	uint64_t arp;
	uint64_t nd;
	uint64_t udp;
	uint64_t ignored[IGN_COUNT];
};

struct arpd_frame {
	enum arpd_frame_kind kind;
	uint8_t eth_src[6];
	uint8_t eth_dst[6];
	unsigned vlan_tags;
	/* ARP (kind FRAME_ARP) */
	uint16_t op;
	uint8_t sha[6], tha[6];
	uint32_t spa, tpa;          /* host order */
	/* ND (kind FRAME_ND): the address the message shows `mac` using */
	uint8_t nd_type;            /* 133 RS, 134 RA, 135 NS, 136 NA */
	uint8_t mac[6];             /* link-layer option if present, else eth_src */
	uint8_t ip6[16];
	bool ip6_valid;             /* false for DAD probes (source ::) */
	/* UDP (kind FRAME_UDP): the payload points into the caller's buffer,
	 * cut to the UDP length (or to what was captured of it) */
	uint8_t ip_family;          /* 4 or 6 */
	uint8_t ip_src[16];         /* IPv4 in [0..3] */
	uint16_t sport, dport;
	const uint8_t *udp_payload;
	size_t udp_len;
};

const char *arpd_ignore_name(enum arpd_ignore why);

/* Parse one Ethernet frame. Returns f->kind; FRAME_IGNORED frames are
 * counted in st->ignored[] by reason. */
enum arpd_frame_kind arpd_parse_frame(const uint8_t *buf, size_t len, struct arpd_frame *f,
				      struct arpd_parse_stats *st);

/* A usable station address: not zero, not broadcast/multicast (I/G bit). */
bool arpd_mac_is_unicast(const uint8_t mac[6]);
/* The locally-administered (U/L) bit: randomized phone MACs, but also VMs
 * and containers whose software picked an address. */
bool arpd_mac_is_local(const uint8_t mac[6]);

/* An ARP request for `tpa` from (sha, spa), broadcast; 60 bytes (Ethernet
 * minimum, zero padded). Returns the length written. */
size_t arpd_build_request(uint8_t *buf, size_t cap, const uint8_t sha[6], uint32_t spa,
			  uint32_t tpa);

#endif

/*
 * Decoding one captured frame into the facts SPEC §4 accounts on: which MACs
 * and which IP addresses the frame is credited to. Pure function of its
 * input, no allocation, every read bounds-checked through common/cursor.h.
 * The exact reading of the rules is in docs/accounting.md.
 */
#ifndef NETMON_CAPD_DECODE_H
#define NETMON_CAPD_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/* Pcap files spell raw IP as LINKTYPE_RAW (101); libpcap usually maps it to
 * DLT_RAW, but a caller handing us the file's own value must work too. */
#define CAPD_LINKTYPE_RAW 101
/* OpenBSD's DLT_RAW, as files written there spell raw IP (libpcap on Linux
 * hands it out unchanged, as 14). */
#define CAPD_LINKTYPE_RAW_OPENBSD 14

enum capd_frame_flags {
	CAPD_FRAME_MAC_SRC = 1u << 0,  /* mac_src valid: credit tx */
	CAPD_FRAME_MAC_DST = 1u << 1,  /* mac_dst valid and unicast: credit rx */
	CAPD_FRAME_IP = 1u << 2,       /* ip_* valid: credit tx/rx (if local) */
};

struct capd_frame_info {
	unsigned flags;
	int ip_family;                 /* AF_INET or AF_INET6 when CAPD_FRAME_IP */
	/* The MACs: 6 bytes each inside the decoded frame's data (not copied),
	 * set with CAPD_FRAME_MAC_SRC (mac_dst also when it is not unicast),
	 * else NULL. */
	const uint8_t *mac_src;
	const uint8_t *mac_dst;
	uint8_t ip_src[16];            /* IPv4 in bytes 0..3, rest zero */
	uint8_t ip_dst[16];
};

/* Link types capd_decode_frame understands (DLT values, plus LINKTYPE_RAW
 * and OpenBSD's raw IP). */
bool capd_decode_supported(int dlt);

/* For an unsupported link type: why, in a few words for the error message
 * ("link type N (NAME) is not supported: WHY"). */
const char *capd_decode_unsupported_reason(int dlt);

/*
 * Decode a frame: `data` holds `caplen` captured bytes of a frame that was
 * `wirelen` bytes long on the wire. Fills *out (flags 0 when nothing can be
 * credited, e.g. an unsupported link type or a runt).
 */
void capd_decode_frame(int dlt, const uint8_t *data, uint32_t caplen,
		       uint32_t wirelen, struct capd_frame_info *out);

#endif

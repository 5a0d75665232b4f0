/*
 * What a DHCPv4 client says about itself (RFC 2131/2132), from the UDP
 * payload of a BOOTREQUEST (client port 68 -> server port 67): its MAC
 * (chaddr, Ethernet only), host name (option 12), vendor class (60), the
 * parameter request list (55) as a fingerprint string "1,3,6,15", and the
 * client FQDN (81, RFC 4702), plus the message type (53) and requested
 * address (50) so the caller can tie the name to an address.
 *
 * Every option length is checked against its area; an option that runs past
 * its area, a misplaced or bad option 52 (overload) refuses the whole message
 * (nothing in out is used). Overload is handled: options continue in the
 * `file` then the `sname` field, as RFC 2131 §4.1 orders it. Options split
 * into several instances are concatenated (RFC 3396). Names pass
 * name_clean() or stay "" (counted in `refused`); so does an empty parameter
 * list or one whose text would exceed DHCP_PARAMS_TEXT_MAX.
 */
#ifndef ARPD_DHCP_H
#define ARPD_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_FIXED_LEN 236          /* BOOTP header up to the options */
#define DHCP_MIN_LEN (DHCP_FIXED_LEN + 4)  /* with the magic cookie */
#define DHCP_PARAMS_TEXT_MAX NAME_FINGERPRINT_MAX  /* "1,3,6,...": 63 codes always fit */

enum dhcp_err {
	DHCP_OK = 0,
	DHCP_ESHORT = -1,           /* shorter than the BOOTP header and magic cookie */
	DHCP_ENOTREQUEST = -2,      /* op is not BOOTREQUEST (1) */
	DHCP_EHWTYPE = -3,          /* htype/hlen not Ethernet (1/6) */
	DHCP_ECOOKIE = -4,          /* no DHCP magic cookie (plain BOOTP) */
	DHCP_EOPTION = -5,          /* an option's length runs past its area */
	DHCP_EOVERLOAD = -6,        /* option 52 malformed, repeated, or outside the options field */
};

struct dhcp_info {
	uint8_t msg_type;                       /* option 53, 0 if absent */
	uint8_t chaddr[6];
	uint32_t xid;
	uint32_t ciaddr;                        /* host order, 0 if none */
	uint32_t requested_ip;                  /* option 50, host order, 0 if none */
	uint8_t overload;                       /* option 52: 0, 1 file, 2 sname, 3 both */
	char hostname[NAME_LABEL_MAX + 1];      /* option 12 */
	char vendor_class[NAME_TEXT_MAX + 1];   /* option 60 */
	char params[DHCP_PARAMS_TEXT_MAX + 1];  /* option 55: "1,3,6,15,..."; a list
						 * longer as text is refused, never cut */
	char fqdn[NAME_TEXT_MAX + 1];           /* option 81, without a trailing dot */
	unsigned refused;                       /* options present but not usable as text */
};

/* Parse a DHCP message from the UDP payload. DHCP_OK with out filled, or an
 * error with out zeroed. */
int dhcp_parse(const uint8_t *payload, size_t len, struct dhcp_info *out);

const char *dhcp_err_str(int err);

#endif

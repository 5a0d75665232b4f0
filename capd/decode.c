/*
 * Frame decoder for capd: the exported entry points. The decoder itself is
 * in decode_inline.h, so that the per-packet path can compile it in.
 */
#include "decode.h"

#include "decode_inline.h"

void capd_decode_frame(int dlt, const uint8_t *data, uint32_t caplen,
		       uint32_t wirelen, struct capd_frame_info *out)
{
	capd_decode_frame_inline(dlt, data, caplen, wirelen, out);
}

bool capd_decode_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case CAPD_LINKTYPE_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case CAPD_LINKTYPE_RAW_OPENBSD:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_PPP:
	case DLT_PPP_SERIAL:
		return true;
	default:
		return false;
	}
}

const char *capd_decode_unsupported_reason(int dlt)
{
	switch (dlt) {
	case DLT_IEEE802_11:
	case DLT_IEEE802_11_RADIO:
	case DLT_IEEE802_11_RADIO_AVS:
	case DLT_PRISM_HEADER:
	case DLT_PPI:
		/* An 802.11 frame has up to four addresses whose roles depend
		 * on its to/from-DS bits, and its payload may be encrypted:
		 * there is no source/destination MAC pair to credit as SPEC 4
		 * means it. */
		return "802.11 frames have no Ethernet source/destination pair (up to four "
		       "addresses, their roles set by the to/from-DS bits) and may be "
		       "encrypted; capture on the wired side of the access point or on "
		       "the station's own interface";
	default:
		return "capd decodes Ethernet, Linux cooked (SLL, SLL2), raw IP, BSD "
		       "loopback (NULL, LOOP) and PPP";
	}
}


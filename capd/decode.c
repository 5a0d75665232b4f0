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
		return true;
	default:
		return false;
	}
}


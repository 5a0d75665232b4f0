/*
 * libFuzzer target for capd's frame decoder and the accounting path.
 * Input: byte 0 picks the link type, bytes 1-2 give the wire length relative
 * to the captured length (so caplen < len, = len and > len all occur), the
 * rest is the captured frame. Every decoded frame is also accounted into a
 * small table so inserts and evictions are exercised.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/dlt.h>
#include <sys/socket.h>

#include "../../capd/account.h"
#include "../../capd/decode.h"
#include "../../capd/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
	CAPD_LINKTYPE_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL,
	DLT_LOOP, DLT_PPP, DLT_PPP_SERIAL, CAPD_LINKTYPE_RAW_OPENBSD,
	DLT_IEEE802_11_RADIO,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct capd_table table;
	static struct cidr_list nets;
	static int ready;
	if (!ready) {
		const uint64_t seed[2] = { 42, 43 };
		char err[64];
		if (capd_table_init(&table, 32, seed) != 0 ||
		    cidr_list_parse("192.0.2.0/24,2001:db8::/32,0.0.0.0/1", &nets, err, sizeof(err)))
			abort();
		ready = 1;
	}
	if (size < 3)
		return 0;
	int dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	int32_t delta = (int32_t)((uint32_t)data[1] << 8 | data[2]) - 256;
	const uint8_t *frame = data + 3;
	uint32_t caplen = (uint32_t)(size - 3);
	int64_t w = (int64_t)caplen + delta;
	uint32_t wirelen = w < 0 ? 0 : (uint32_t)w;

	struct capd_frame_info fi;
	capd_decode_frame(dlt, frame, caplen, wirelen, &fi);
	if (fi.flags & ~(unsigned)(CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST | CAPD_FRAME_IP))
		abort();
	if ((fi.flags & CAPD_FRAME_IP) && fi.ip_family != AF_INET && fi.ip_family != AF_INET6)
		abort();
	/* a unicast destination is credited only with a source, on Ethernet */
	if ((fi.flags & CAPD_FRAME_MAC_DST) && (!(fi.flags & CAPD_FRAME_MAC_SRC) || (fi.mac_dst[0] & 1)))
		abort();
	if ((fi.flags & (CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST)) && dlt != DLT_EN10MB)
		abort();
	/* nothing can be decoded without the bytes it came from */
	if (fi.flags && caplen < 12 && dlt == DLT_EN10MB)
		abort();

	struct capd_account acct;
	capd_account_init(&acct, &table, &nets, data[0] & 0x80);
	capd_account_frame(&acct, dlt, frame, caplen, wirelen);
	if (capd_table_count(&table) > table.capacity)
		abort();
	return 0;
}

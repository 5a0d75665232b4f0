/*
 * libFuzzer target for capd's pcapng reader (capd/pcapng.c), checked side
 * by side with libpcap's own pcapng reader on the same bytes.
 *
 * Input: byte 0 sets the reader's buffer size (13..2053 bytes, so blocks
 * straddle refills and long ones grow the buffer); the rest is the file.
 * - pcapng_open() must take every file libpcap opens as pcapng (and refuse,
 *   with an error, only files libpcap refuses too), with the same link type
 *   and snapshot length for the first interface;
 * - then both must hand out the same records (captured length, wire length,
 *   bytes) and end the same way: clean end of file, or an error at the same
 *   record. The one allowed difference is what this reader reads on purpose
 *   and libpcap 1.10 refuses: interfaces unlike the first (link type,
 *   snapshot length) and sections in the other byte order. When libpcap
 *   stops there, the comparison ends.
 * Any other difference aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "fuzz_savefile.h"
#include "../../capd/pcapng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A difference: say what it is (for the crash report), then abort. */
static void diverge(const char *what, pcap_t *p, const struct pcapng *ng, int theirs, int ours)
{
	fprintf(stderr, "fuzz_pcapng: %s: libpcap %d (%s), pcapng.c %d (%s, offset %llu, "
		"%llu records)\n", what, theirs, p ? pcap_geterr(p) : "-", ours, ng->error,
		(unsigned long long)ng->error_offset, (unsigned long long)ng->records);
	abort();
}

/* libpcap's messages for what pcapng.c reads on purpose. */
static int refused_on_purpose(pcap_t *p, const struct pcapng *ng)
{
	const char *e = pcap_geterr(p);
	return ng->mixed_byte_order || ng->mixed_ifaces ||
	       strstr(e, "different from the type of the first interface") ||
	       strstr(e, "different from the snapshot length of the first interface") ||
	       strstr(e, "different byte orders");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcapng ng;

	if (size < 2)
		return 0;
	size_t bufsize = 13 + (size_t)data[0] * 8;
	const uint8_t *file = data + 1;
	size_t file_len = size - 1;

	int file_fd = fuzz_memfile("fuzz_pcapng", file, file_len);
	enum pcapng_open_status st = pcapng_open(&ng, file_fd, bufsize);
	FILE *f = fmemopen((void *)file, file_len, "rb");
	if (!f)
		abort();
	pcap_t *p = pcap_fopen_offline(f, errbuf);
	if (!p)
		fclose(f);

	if (st != PCAPNG_OK) {
		/* not pcapng: libpcap may take it as a classic file, not as pcapng;
		 * refused as broken pcapng: libpcap must refuse it too */
		if (p && (st == PCAPNG_ERROR || pcap_major_version(p) == 1))
			diverge("open: libpcap takes what pcapng.c refuses", p, &ng, 1, st);
		goto out;
	}
	if (!p && ng.mixed_byte_order)
		goto out;  /* a second section before the first interface */
	if (!p) {
		fprintf(stderr, "libpcap: %s\n", errbuf);
		diverge("open: pcapng.c takes what libpcap refuses", NULL, &ng, 0, 1);
	}
	if (pcap_datalink(p) != ng.first_dlt || (uint32_t)pcap_snapshot(p) != ng.first_snapshot) {
		fprintf(stderr, "link type %d / %d, snapshot length %d / %u\n", pcap_datalink(p),
			ng.first_dlt, pcap_snapshot(p), ng.first_snapshot);
		diverge("open: link type or snapshot length", p, &ng, 1, 1);
	}

	for (;;) {
		struct pcapng_record rec;
		struct pcap_pkthdr *h;
		const u_char *bytes;
		int theirs = fuzz_pcap_status(pcap_next_ex(p, &h, &bytes));
		int ours = pcapng_next(&ng, &rec);
		if (theirs < 0 && ours >= 0 && refused_on_purpose(p, &ng))
			break;
		if (ours != theirs)
			diverge("next", p, &ng, theirs, ours);
		if (ours != 1)
			break;
		if (rec.caplen != h->caplen || rec.len != h->len ||
		    memcmp(rec.data, bytes, rec.caplen) != 0)
			diverge("record", p, &ng, theirs, ours);
	}
out:
	if (p)
		pcap_close(p);
	pcapng_close(&ng);
	return 0;
}

/*
 * libFuzzer target for capd's pcap file reader (capd/pcapfile.c), checked
 * side by side with libpcap's own savefile reader on the same bytes.
 *
 * Input: byte 0 sets the reader's buffer size (1..2041 bytes, so records
 * straddle refills and long ones grow the buffer); the rest is the file.
 * Whenever pcapfile takes a file, libpcap must open it too, with the same
 * link type and snapshot length, and both must then hand out the same
 * records (captured length, wire length, bytes) and end the same way: clean
 * end of file, or an error at the same record. Any difference aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "fuzz_savefile.h"
#include "../../capd/pcapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcapfile pf;

	if (size < 2)
		return 0;
	size_t bufsize = 1 + (size_t)data[0] * 8;
	const uint8_t *file = data + 1;
	size_t file_len = size - 1;

	int file_fd = fuzz_memfile("fuzz_pcapfile", file, file_len);
	enum pcapfile_open_status st = pcapfile_open(&pf, file_fd, bufsize);
	if (st != PCAPFILE_OK) {
		if (st == PCAPFILE_ERROR)  /* a memory file does not fail to read */
			abort();
		pcapfile_close(&pf);
		return 0;  /* not ours: --read hands such a file to libpcap */
	}

	FILE *f = fmemopen((void *)file, file_len, "rb");
	if (!f)
		abort();
	pcap_t *p = pcap_fopen_offline(f, errbuf);
	if (!p)
		abort();  /* pcapfile took a file libpcap refuses */
	if (pcap_datalink(p) != pf.dlt || (uint32_t)pcap_snapshot(p) != pf.snapshot)
		abort();

	for (;;) {
		struct pcapfile_record rec;
		struct pcap_pkthdr *h;
		const u_char *bytes;
		int ours = pcapfile_next(&pf, &rec);
		int theirs = fuzz_pcap_status(pcap_next_ex(p, &h, &bytes));
		if (ours != theirs)
			abort();
		if (ours != 1)
			break;
		if (rec.caplen != h->caplen || rec.len != h->len ||
		    memcmp(rec.data, bytes, rec.caplen) != 0)
			abort();
	}
	pcap_close(p);
	pcapfile_close(&pf);
	return 0;
}

/*
 * The floor for offline reading: libpcap's own read loop over a file with an
 * empty callback. Whatever capd --read costs beyond this is decoding and
 * accounting. Usage: pcap_floor FILE.pcap
 */
#include <pcap/pcap.h>
#include <stdio.h>

static void ignore_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)user;
	(void)h;
	(void)bytes;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_floor FILE.pcap\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "pcap_floor: %s\n", err);
		return 1;
	}
	if (pcap_loop(p, -1, ignore_packet, NULL) == PCAP_ERROR) {
		fprintf(stderr, "pcap_floor: %s: %s\n", argv[1], pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	return 0;
}

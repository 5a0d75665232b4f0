/* libFuzzer target: the DNS message reader and the mDNS name extractor on
 * arbitrary UDP payloads. Every record is walked, every name turned into
 * text; every string handed out must be a clean, bounded name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "dnsmsg.h"
#include "../../arpd/mdns.h"
#include "passive_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max || (n > 0 && !text_clean(s, n)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	through_passive(data, size, 5353, 5353);
	struct dns_reader r;
	struct dns_rr rr;
	char text[DNS_NAME_WIRE_MAX + 1];

	if (dns_reader_init(&r, data, size) == DNS_OK) {
		while (dns_next_rr(&r, &rr) == DNS_OK) {
			if (rr.name.len > DNS_NAME_WIRE_MAX || rr.rdata.left != rr.rdlen)
				abort();
			(void)dns_name_text(&rr.name, text, sizeof(text));
			if (rr.type == DNS_T_PTR || rr.type == DNS_T_SRV) {
				struct dns_name n;
				size_t end, off = rr.rdata_off + (rr.type == DNS_T_SRV ? 6 : 0);
				if (dns_read_name(data, size, off, true, &n, &end) == DNS_OK &&
				    (end > size || n.len > DNS_NAME_WIRE_MAX))
					abort();
			}
		}
	}

	struct mdns_addr src = { .family = 4, .a = { 198, 18, 0, 23 } };
	struct mdns_info m;
	(void)mdns_parse(data, size, &src, &m);
	if (m.nhosts > MDNS_HOSTS_MAX)
		abort();
	for (size_t i = 0; i < m.nhosts; i++) {
		if (m.hosts[i].name[0] == '\0')
			abort();
		check(m.hosts[i].name, NAME_LABEL_MAX);
	}
	check(m.model, NAME_LABEL_MAX);
	check(m.hinfo_cpu, NAME_LABEL_MAX);
	check(m.hinfo_os, NAME_LABEL_MAX);
	return 0;
}

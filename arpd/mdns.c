#include "mdns.h"

#include <stdio.h>
#include <string.h>

#include "dnsmsg.h"

/* "host" from "host.local" (every label but the last joined with dots). */
static bool host_of(const struct dns_name *n, char *out, size_t outsz, unsigned *refused)
{
	char text[DNS_NAME_WIRE_MAX + 1];
	const uint8_t *p;
	size_t l;

	if (n->nlabels < 2 || !dns_name_ends_with(n, "local"))
		return false;
	/* the last label is "local": cut it (and its dot) off the text */
	if (!dns_name_label(n, n->nlabels - 1, &p, &l) || !dns_name_text(n, text, sizeof(text))) {
		(*refused)++;
		return false;
	}
	size_t tl = strlen(text) - l - 1;
	if (!name_clean(out, outsz, text, tl, NAME_LABEL_MAX)) {
		(*refused)++;
		return false;
	}
	return true;
}

static void add_host(struct mdns_info *out, const char *name, const struct mdns_addr *a,
		     const struct mdns_addr *src)
{
	for (size_t i = 0; i < out->nhosts; i++)
		if (strcmp(out->hosts[i].name, name) == 0 && out->hosts[i].addr.family == a->family &&
		    memcmp(out->hosts[i].addr.a, a->a, sizeof(a->a)) == 0)
			return;
	if (out->nhosts == MDNS_HOSTS_MAX) {
		out->dropped++;
		return;
	}
	struct mdns_host *h = &out->hosts[out->nhosts++];
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->addr = *a;
	h->is_source = src && src->family == a->family && memcmp(src->a, a->a, sizeof(a->a)) == 0;
}

static void address_record(struct mdns_info *out, const struct dns_rr *rr,
			   const struct mdns_addr *src)
{
	struct mdns_addr a;
	char host[NAME_LABEL_MAX + 1];
	struct cursor c = rr->rdata;

	memset(&a, 0, sizeof(a));
	a.family = rr->type == DNS_T_A ? 4 : 6;
	size_t want = a.family == 4 ? 4 : 16;
	if (rr->rdlen != want || !cur_bytes(&c, a.a, want))
		return;
	if (host_of(&rr->name, host, sizeof(host), &out->refused))
		add_host(out, host, &a, src);
}

/* A TXT string that starts with `key` (ASCII, any case). */
static bool txt_key(const uint8_t *p, size_t l, const char *key)
{
	size_t kl = strlen(key);
	if (l < kl)
		return false;
	for (size_t i = 0; i < kl; i++) {
		uint8_t ch = p[i] >= 'A' && p[i] <= 'Z' ? (uint8_t)(p[i] - 'A' + 'a') : p[i];
		if (ch != (uint8_t)key[i])
			return false;
	}
	return true;
}

/* The first clean model= of a `_device-info` TXT record. A message may carry
 * several: the first clean one is kept, and a hostile later one (control
 * bytes, too long, broken UTF-8) is counted but never wipes it. */
static void device_info(struct mdns_info *out, const struct dns_rr *rr)
{
	struct cursor c = rr->rdata;
	const uint8_t *p;
	size_t l;
	char model[sizeof(out->model)];

	while (dns_read_charstr(&c, &p, &l)) {
		if (!txt_key(p, l, "model="))
			continue;
		if (!name_clean(model, sizeof(model), p + 6, l - 6, NAME_MODEL_MAX))
			out->refused++;
		else if (out->model[0] == '\0')
			memcpy(out->model, model, sizeof(model));
		return;
	}
}

/* HINFO: CPU and OS, each kept when clean and none was kept before. */
static void hinfo(struct mdns_info *out, const struct dns_rr *rr)
{
	struct cursor c = rr->rdata;
	const uint8_t *cpu, *os;
	size_t lc, lo;
	char text[NAME_MODEL_MAX + 1];

	if (!dns_read_charstr(&c, &cpu, &lc) || !dns_read_charstr(&c, &os, &lo))
		return;
	if (!name_clean(text, sizeof(text), cpu, lc, NAME_MODEL_MAX))
		out->refused++;
	else if (out->hinfo_cpu[0] == '\0')
		memcpy(out->hinfo_cpu, text, sizeof(text));
	if (!name_clean(text, sizeof(text), os, lo, NAME_MODEL_MAX))
		out->refused++;
	else if (out->hinfo_os[0] == '\0')
		memcpy(out->hinfo_os, text, sizeof(text));
}

int mdns_parse(const uint8_t *msg, size_t len, const struct mdns_addr *src,
	       struct mdns_info *out)
{
	struct dns_reader r;
	struct dns_rr rr;
	int e;

	memset(out, 0, sizeof(*out));
	if ((e = dns_reader_init(&r, msg, len)) != DNS_OK)
		return e;
	if (!(r.hdr.flags & DNS_FLAG_QR) || DNS_OPCODE(r.hdr.flags) != 0 ||
	    DNS_RCODE(r.hdr.flags) != 0)
		return MDNS_ENOTRESPONSE;
	while ((e = dns_next_rr(&r, &rr)) == DNS_OK) {
		if ((rr.rclass & 0x7fff) != 1)      /* IN; bit 15 is cache-flush */
			continue;
		if (rr.type == DNS_T_A || rr.type == DNS_T_AAAA)
			address_record(out, &rr, src);
		else if (rr.type == DNS_T_TXT && dns_name_ends_with(&rr.name, "_device-info._tcp.local"))
			device_info(out, &rr);
		else if (rr.type == DNS_T_HINFO)
			hinfo(out, &rr);
	}
	return e == DNS_END ? DNS_OK : e;
}

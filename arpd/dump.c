#include "dump.h"

#include <sys/socket.h>

#include "cidr.h"
#include "sched.h"

static char *ipv4_str(uint32_t ip, char *buf, size_t n)
{
	uint8_t b[4] = { (uint8_t)(ip >> 24), (uint8_t)(ip >> 16), (uint8_t)(ip >> 8), (uint8_t)ip };
	return addr_format(AF_INET, b, buf, n);
}

int arpd_dump_sweep(const struct sweep *s, FILE *out)
{
	char ip[ADDR_STRLEN], mac[MAC_STRLEN];
	for (uint32_t i = 0; i < s->n; i++)
		if (s->t[i].answered)
			fprintf(out, "{\"ip\":\"%s\",\"mac\":\"%s\"}\n",
				ipv4_str(s->t[i].ip, ip, sizeof(ip)),
				mac_format(s->t[i].mac, mac, sizeof(mac)));
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* JSON string of a vendor name: oui.c keeps only printable UTF-8, so only
 * the quote and backslash need escaping. */
static void put_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int arpd_dump_table(const struct arpd_engine *e, FILE *out)
{
	char a[ADDR_STRLEN], m[MAC_STRLEN], m2[MAC_STRLEN], t1[32], t2[32];
	const struct devtable *t = &e->table;
	for (uint32_t i = 0; i < devtable_count(t); i++) {
		const struct dev_entry *d = devtable_at(t, i);
		fprintf(out, "{\"mac\":\"%s\",\"status\":\"%s\",\"ipv4\":[",
			mac_format(d->mac, m, sizeof(m)),
			d->status == DEV_ACTIVE ? "active" : "inactive");
		for (unsigned k = 0; k < d->n4; k++)
			fprintf(out, "%s\"%s\"", k ? "," : "", ipv4_str(d->ipv4[k], a, sizeof(a)));
		fputs("],\"ipv6\":[", out);
		for (unsigned k = 0; k < d->n6; k++)
			fprintf(out, "%s\"%s\"", k ? "," : "", addr_format(AF_INET6, d->ipv6[k], a, sizeof(a)));
		fprintf(out, "],\"seenBy\":[%s%s%s%s%s],\"locallyAdministered\":%s,\"vendor\":",
			d->how & SEEN_SWEEP ? "\"sweep\"" : "",
			(d->how & SEEN_SWEEP) && (d->how & (SEEN_ARP | SEEN_ND)) ? "," : "",
			d->how & SEEN_ARP ? "\"arp\"" : "",
			(d->how & SEEN_ARP) && (d->how & SEEN_ND) ? "," : "",
			d->how & SEEN_ND ? "\"nd\"" : "",
			arpd_mac_is_local(d->mac) ? "true" : "false");
		const char *v = oui_lookup(&e->oui, d->mac);
		if (v)
			put_json_str(out, v);
		else
			fputs("null", out);
		fprintf(out, ",\"firstSeen\":\"%s\",\"lastSeen\":\"%s\"}\n",
			iso8601_ms(d->first_seen_rt, t1, sizeof(t1)),
			iso8601_ms(d->last_seen_rt, t2, sizeof(t2)));
	}
	for (uint32_t i = 0; i < t->n_ev; i++) {
		const struct dev_event *ev = &t->ev[i];
		fprintf(out, "{\"event\":\"%s\",\"ip\":\"%s\",\"oldMac\":\"%s\",\"newMac\":\"%s\","
			"\"count\":%u,\"time\":\"%s\"}\n",
			ev->kind == EV_FLIP_FLOP ? "flip_flop" : "ip_moved",
			ipv4_str(ev->ip, a, sizeof(a)), mac_format(ev->old_mac, m, sizeof(m)),
			mac_format(ev->new_mac, m2, sizeof(m2)), ev->count,
			iso8601_ms(ev->time_rt, t1, sizeof(t1)));
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

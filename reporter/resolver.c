#include "resolver.h"

#include <ares.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arpview.h"
#include "dnsmsg.h"
#include "log.h"
#include "names.h"
#include "sched.h"

#define RDNS_QNAME_MAX 80               /* 32 nibbles x 2 + "ip6.arpa" + NUL fits */
#define SYNC_INTERVAL_NS (1000ULL * NSEC_PER_MSEC)

/* ---- the cache ------------------------------------------------------------ */

int rdns_cache_init(struct rdns_cache *c, size_t cap)
{
	memset(c, 0, sizeof(*c));
	if (cap == 0)
		return -1;
	c->cap = cap;
	return 0;
}

void rdns_cache_free(struct rdns_cache *c)
{
	free(c->e);
	memset(c, 0, sizeof(*c));
}

static int key_cmp(const struct rdns_entry *e, int family, const uint8_t *addr)
{
	if (e->family != family)
		return e->family < family ? -1 : 1;
	return memcmp(e->addr, addr, family == 4 ? 4 : 16);
}

/* Index of the address when found (true), else where it would go. */
static bool cache_search(const struct rdns_cache *c, int family, const uint8_t *addr, size_t *pos)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = key_cmp(&c->e[mid], family, addr);
		if (r == 0) {
			*pos = mid;
			return true;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return false;
}

const struct rdns_entry *rdns_cache_find(const struct rdns_cache *c, int family,
					 const uint8_t *addr)
{
	size_t pos;
	return c->n && cache_search(c, family, addr, &pos) ? &c->e[pos] : NULL;
}

bool rdns_cache_due(const struct rdns_cache *c, int family, const uint8_t *addr, uint64_t now)
{
	const struct rdns_entry *e = rdns_cache_find(c, family, addr);
	return !e || (e->state != RDNS_PENDING && now >= e->expires_ns);
}

/* The entry that expires first leaves (pending ones never: their answer is
 * on its way); false when every entry is pending. */
static bool cache_evict(struct rdns_cache *c)
{
	size_t victim = c->n;
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].state != RDNS_PENDING &&
		    (victim == c->n || c->e[i].expires_ns < c->e[victim].expires_ns))
			victim = i;
	if (victim == c->n)
		return false;
	memmove(&c->e[victim], &c->e[victim + 1], (c->n - victim - 1) * sizeof(c->e[0]));
	c->n--;
	c->evictions++;
	return true;
}

bool rdns_cache_put(struct rdns_cache *c, int family, const uint8_t *addr, enum rdns_state st,
		    const char *name, uint32_t ttl_s, uint64_t now)
{
	size_t pos;
	if (family != 4 && family != 6)
		return false;
	if (!cache_search(c, family, addr, &pos)) {
		if (c->n == c->cap && !cache_evict(c))
			return false;
		if (c->n == c->cap)
			return false;
		if (!c->e) {
			c->e = calloc(c->cap, sizeof(*c->e));  /* once; the bound is c->cap */
			if (!c->e)
				return false;
		}
		(void)cache_search(c, family, addr, &pos);
		memmove(&c->e[pos + 1], &c->e[pos], (c->n - pos) * sizeof(c->e[0]));
		c->n++;
		memset(&c->e[pos], 0, sizeof(c->e[pos]));
		c->e[pos].family = (uint8_t)family;
		memcpy(c->e[pos].addr, addr, family == 4 ? 4 : 16);
	}
	struct rdns_entry *e = &c->e[pos];
	uint64_t life_s;
	e->state = (uint8_t)st;
	e->name[0] = '\0';
	switch (st) {
	case RDNS_PENDING:
		e->expires_ns = UINT64_MAX;
		return true;
	case RDNS_NAME:
		snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
		life_s = ttl_s < RDNS_TTL_MIN_S ? RDNS_TTL_MIN_S :
			 ttl_s > RDNS_TTL_MAX_S ? RDNS_TTL_MAX_S : ttl_s;
		break;
	case RDNS_NONE:
		life_s = RDNS_NEG_TTL_S;
		break;
	case RDNS_FAILED:
	default:
		e->state = RDNS_FAILED;
		life_s = RDNS_FAIL_TTL_S;
		break;
	}
	e->expires_ns = now + life_s * NSEC_PER_SEC;
	return true;
}

bool rdns_query_name(int family, const uint8_t *addr, char *out, size_t outsz)
{
	int w;
	if (family == 4) {
		w = snprintf(out, outsz, "%u.%u.%u.%u.in-addr.arpa", addr[3], addr[2], addr[1], addr[0]);
		return w > 0 && (size_t)w < outsz;
	}
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	if (outsz < 64 + sizeof("ip6.arpa"))
		return false;
	for (int i = 15; i >= 0; i--) {
		out[k++] = hex[addr[i] & 15];
		out[k++] = '.';
		out[k++] = hex[addr[i] >> 4];
		out[k++] = '.';
	}
	memcpy(out + k, "ip6.arpa", sizeof("ip6.arpa"));
	return true;
}

enum rdns_state rdns_parse_answer(const uint8_t *msg, size_t len, char *out, size_t outsz,
				  uint32_t *ttl_s)
{
	struct dns_reader r;
	struct dns_rr rr;
	out[0] = '\0';
	*ttl_s = 0;
	if (dns_reader_init(&r, msg, len) != DNS_OK || !(r.hdr.flags & DNS_FLAG_QR))
		return RDNS_FAILED;
	unsigned rcode = DNS_RCODE(r.hdr.flags);
	if (rcode == 3)
		return RDNS_NONE;                       /* NXDOMAIN */
	if (rcode != 0)
		return RDNS_FAILED;
	/* the owner may be the query name or, through a CNAME (RFC 2317
	 * classless delegation), another: the first PTR of the answer names it */
	int rc;
	while ((rc = dns_next_rr(&r, &rr)) == DNS_OK) {
		if (rr.section != DNS_SEC_ANSWER)
			break;
		if (rr.type != DNS_T_PTR || (rr.rclass & 0x7fff) != 1)
			continue;
		struct dns_name target;
		size_t end;
		char text[NAME_TEXT_MAX + 2];
		if (dns_read_name(msg, len, rr.rdata_off, true, &target, &end) != DNS_OK ||
		    end != rr.rdata_off + rr.rdlen || !dns_name_text(&target, text, sizeof(text)) ||
		    !name_clean(out, outsz, text, strlen(text), NAME_TEXT_MAX))
			return RDNS_NONE;               /* a PTR that is not a usable name */
		*ttl_s = rr.ttl;
		return RDNS_NAME;
	}
	return rc == DNS_END || rc == DNS_OK ? RDNS_NONE : RDNS_FAILED;
}

/* ---- the resolver ----------------------------------------------------------- */

struct lookup {
	struct resolver *r;
	bool used;
	uint8_t family;
	uint8_t addr[16];
	char qname[RDNS_QNAME_MAX];
};

struct resolver {
	ares_channel ch;
	struct arpview *view;
	struct rdns_cache cache;
	struct lookup slot[RESOLVER_INFLIGHT_MAX];
	unsigned inflight;
	bool completed;                 /* an answer came since the last sync */
	uint64_t last_gen, next_sync;
	uint64_t now;                   /* the loop's clock, for callbacks */
	struct resolver_stats st;
};

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct lookup *q = arg;
	struct resolver *r = q->r;
	(void)timeouts;
	q->used = false;
	r->inflight--;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED)
		return;
	char name[NAME_TEXT_MAX + 1] = "";
	uint32_t ttl = 0;
	enum rdns_state st;
	if (status == ARES_SUCCESS && abuf && alen > 0)
		st = rdns_parse_answer(abuf, (size_t)alen, name, sizeof(name), &ttl);
	else if (status == ARES_ENOTFOUND || status == ARES_ENODATA)
		st = RDNS_NONE;
	else
		st = RDNS_FAILED;
	if (st == RDNS_NAME)
		r->st.answers++;
	else if (st == RDNS_NONE)
		r->st.negative++;
	else
		r->st.failures++;
	(void)rdns_cache_put(&r->cache, q->family, q->addr, st, name, ttl, r->now);
	r->completed = true;
}

struct resolver *resolver_open(struct arpview *view, char *err, size_t errlen)
{
	int rc = ares_library_init(ARES_LIB_INIT_ALL);
	if (rc != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		return NULL;
	}
	struct resolver *r = calloc(1, sizeof(*r));
	if (!r || rdns_cache_init(&r->cache, RDNS_CACHE_MAX) != 0) {
		free(r);
		ares_library_cleanup();
		snprintf(err, errlen, "out of memory for the resolver");
		return NULL;
	}
	struct ares_options o;
	memset(&o, 0, sizeof(o));
	o.timeout = RESOLVER_TIMEOUT_MS;
	o.tries = RESOLVER_TRIES;
	o.flags = ARES_FLAG_NOSEARCH;   /* PTR names are absolute */
	rc = ares_init_options(&r->ch, &o, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
	if (rc != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: cannot read the resolver configuration: %s",
			 ares_strerror(rc));
		rdns_cache_free(&r->cache);
		free(r);
		ares_library_cleanup();
		return NULL;
	}
	r->view = view;
	for (int i = 0; i < RESOLVER_INFLIGHT_MAX; i++)
		r->slot[i].r = r;
	return r;
}

void resolver_close(struct resolver *r)
{
	if (!r)
		return;
	ares_destroy(r->ch);            /* pending callbacks see ARES_EDESTRUCTION */
	rdns_cache_free(&r->cache);
	free(r);
	ares_library_cleanup();
}

int resolver_pollfds(struct resolver *r, struct pollfd *pfd, int max)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	/* the bit mask as unsigned: ARES_GETSOCK_WRITABLE shifts an int by up
	 * to 31 places, which is undefined for the last socket */
	unsigned bits = (unsigned)ares_getsock(r->ch, socks, ARES_GETSOCK_MAXNUM);
	int n = 0;
	for (int i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
		short ev = (short)((bits & (1u << i) ? POLLIN : 0) |
				   (bits & (1u << (i + ARES_GETSOCK_MAXNUM)) ? POLLOUT : 0));
		if (!ev)
			continue;
		pfd[n++] = (struct pollfd){ .fd = socks[i], .events = ev };
	}
	return n;
}

int resolver_timeout_ms(struct resolver *r, uint64_t now)
{
	struct timeval tv, *t = ares_timeout(r->ch, NULL, &tv);
	long ms = t ? (long)t->tv_sec * 1000 + (t->tv_usec + 999) / 1000 : -1;
	long sync = r->next_sync > now ? (long)((r->next_sync - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC) : 0;
	if (r->completed)
		sync = 0;
	if (ms < 0 || sync < ms)
		ms = sync;
	return ms > 60000 ? 60000 : (int)ms;
}

/* The address a device is looked up by: its newest IPv4 address, else its
 * first IPv6 address outside fe80::/10 (link-local names are not in DNS). */
static bool lookup_addr(const struct arpview_device *d, int *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (d->n4) {
		*family = 4;
		memcpy(addr, d->ipv4[d->n4 - 1], 4);
		return true;
	}
	for (unsigned i = 0; i < d->n6; i++)
		if (!(d->ipv6[i][0] == 0xfe && (d->ipv6[i][1] & 0xc0) == 0x80)) {
			*family = 6;
			memcpy(addr, d->ipv6[i], 16);
			return true;
		}
	return false;
}

static void start_lookup(struct resolver *r, int family, const uint8_t addr[16])
{
	struct lookup *q = NULL;
	for (int i = 0; i < RESOLVER_INFLIGHT_MAX && !q; i++)
		if (!r->slot[i].used)
			q = &r->slot[i];
	if (!q || !rdns_query_name(family, addr, q->qname, sizeof(q->qname)))
		return;
	if (!rdns_cache_put(&r->cache, family, addr, RDNS_PENDING, NULL, 0, r->now))
		return;                 /* cache full of pending lookups: later */
	q->used = true;
	q->family = (uint8_t)family;
	memcpy(q->addr, addr, 16);
	r->inflight++;
	r->st.queries++;
	/* the callback may run before this returns (no server configured) */
	ares_query(r->ch, q->qname, 1 /* IN */, DNS_T_PTR, on_answer, q);
}

/* The book's dns names follow the cache: the answer for the device's
 * address replaces them, a negative answer forgets them, a failure keeps
 * what was known. Devices whose address is due get a lookup, as slots allow. */
static void sync_devices(struct resolver *r)
{
	struct arpview *v = r->view;
	for (size_t i = 0; i < v->cur.n; i++) {
		const struct arpview_device *d = &v->cur.dev[i];
		int family;
		uint8_t addr[16];
		if (!lookup_addr(d, &family, addr))
			continue;
		const struct rdns_entry *e = rdns_cache_find(&r->cache, family, addr);
		if (e && e->state == RDNS_NAME) {
			struct device_names *n = names_book_get(&v->names, d->mac, v->generations);
			const char *have[1];
			if (n && (names_list(n, NAME_SRC_DNS, have, 1) != 1 || strcmp(have[0], e->name) != 0)) {
				names_forget(n, NAME_SRC_DNS);
				(void)names_observe(n, NAME_SRC_DNS, e->name, r->now);
			}
		} else if (e && e->state == RDNS_NONE) {
			const struct device_names *known = names_book_find(&v->names, d->mac);
			if (known && known->count[NAME_SRC_DNS])
				names_forget(names_book_get(&v->names, d->mac, v->generations),
					     NAME_SRC_DNS);
		}
		if (r->inflight < RESOLVER_INFLIGHT_MAX && rdns_cache_due(&r->cache, family, addr, r->now))
			start_lookup(r, family, addr);
	}
}

void resolver_process(struct resolver *r, const struct pollfd *pfd, int n, uint64_t now)
{
	r->now = now;
	for (int i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		bool rd = pfd[i].revents & (POLLIN | POLLERR | POLLHUP);
		bool wr = pfd[i].revents & POLLOUT;
		ares_process_fd(r->ch, rd ? pfd[i].fd : ARES_SOCKET_BAD, wr ? pfd[i].fd : ARES_SOCKET_BAD);
	}
	ares_process_fd(r->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);   /* timeouts */
	if (r->completed || r->view->generations != r->last_gen || now >= r->next_sync) {
		r->completed = false;
		r->last_gen = r->view->generations;
		r->next_sync = now + SYNC_INTERVAL_NS;
		sync_devices(r);
	}
}

void resolver_get_stats(const struct resolver *r, struct resolver_stats *out)
{
	*out = r->st;
	out->inflight = r->inflight;
}

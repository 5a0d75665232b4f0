#include "sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static uint32_t ipv4_of(const struct netaddr *a)
{
	return (uint32_t)a->bytes[0] << 24 | (uint32_t)a->bytes[1] << 16 |
	       (uint32_t)a->bytes[2] << 8 | a->bytes[3];
}

int sweep_init(struct sweep *s, const struct cidr_list *range, unsigned rate, unsigned tries,
	       char *err, size_t errlen)
{
	char buf[CIDR_STRLEN];
	uint64_t total = 0;

	memset(s, 0, sizeof(*s));
	if (range->n == 0) {
		snprintf(err, errlen, "nothing to sweep: the scan range is empty");
		return -1;
	}
	for (size_t i = 0; i < range->n; i++) {
		const struct cidr *c = &range->v[i];
		if (c->net.family != AF_INET) {
			snprintf(err, errlen, "scan range %s is not IPv4 (ARP sweeps IPv4 only)",
				 cidr_format(c, buf, sizeof(buf)));
			return -1;
		}
		if (c->prefix < 16) {
			snprintf(err, errlen, "scan range %s is larger than a /16 (%llu addresses); "
				 "a sweep covers at most a /16 (65536 addresses): name the part in use",
				 cidr_format(c, buf, sizeof(buf)), 1ULL << (32 - c->prefix));
			return -1;
		}
		total += 1ULL << (32 - c->prefix);
	}
	if (total > SWEEP_MAX_ADDRESSES) {
		snprintf(err, errlen, "scan range holds %llu addresses, more than a /16 (65536)",
			 (unsigned long long)total);
		return -1;
	}
	if (rate == 0 || tries == 0 || tries > 10) {
		snprintf(err, errlen, "sweep rate and tries must be positive (tries at most 10)");
		return -1;
	}

	uint32_t *ips = malloc((size_t)total * sizeof(*ips));
	if (!ips) {
		snprintf(err, errlen, "out of memory for %llu addresses", (unsigned long long)total);
		return -1;
	}
	size_t n = 0;
	for (size_t i = 0; i < range->n; i++) {
		const struct cidr *c = &range->v[i];
		uint32_t base = ipv4_of(&c->net);
		uint64_t size = 1ULL << (32 - c->prefix);
		uint64_t lo = 0, hi = size;
		if (c->prefix <= 30) {       /* network and broadcast answer nothing useful */
			lo = 1;
			hi = size - 1;
		}
		for (uint64_t k = lo; k < hi; k++)
			ips[n++] = base + (uint32_t)k;
	}
	qsort(ips, n, sizeof(*ips), cmp_u32);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)         /* overlapping prefixes: each address once */
		if (m == 0 || ips[m - 1] != ips[i])
			ips[m++] = ips[i];

	s->t = calloc(m ? m : 1, sizeof(*s->t));
	s->retry_q = calloc(m ? m : 1, sizeof(*s->retry_q));
	if (!s->t || !s->retry_q) {
		free(ips);
		sweep_free(s);
		snprintf(err, errlen, "out of memory for %zu addresses", m);
		return -1;
	}
	for (size_t i = 0; i < m; i++)
		s->t[i].ip = ips[i];
	free(ips);
	s->n = (uint32_t)m;
	s->interval_ns = 1000000000ULL / rate;
	if (s->interval_ns == 0)
		s->interval_ns = 1;
	s->tries = tries;
	return 0;
}

void sweep_free(struct sweep *s)
{
	free(s->t);
	free(s->retry_q);
	s->t = NULL;
	s->retry_q = NULL;
	s->n = 0;
}

static uint64_t clamp_wait(uint64_t v, uint64_t min)
{
	if (v < min)
		return min;
	if (v > SWEEP_WAIT_MAX_NS)
		return SWEEP_WAIT_MAX_NS;
	return v;
}

/* Before any reply: a third of arp-scan's 500 ms per-host timeout (retries
 * for the first addresses then overlap the first pass over the rest). After
 * replies: four times the slowest answer to a first request, within
 * [10 ms, 1 s]. Answers that needed a retry (sleeping hosts) do not stretch
 * it: waiting longer before the retry would not wake them sooner. */
uint64_t sweep_retry_wait_ns(const struct sweep *s)
{
	if (s->st.rtt_first_max_ns == 0 && s->st.matched == 0)
		return 170ULL * 1000000ULL;
	return clamp_wait(4 * s->st.rtt_first_max_ns, SWEEP_RETRY_WAIT_MIN_NS);
}

/* After the last request: the slowest reply seen plus a quarter and 20 ms,
 * within [50 ms, 1 s]. */
uint64_t sweep_final_wait_ns(const struct sweep *s)
{
	return clamp_wait(s->st.rtt_max_ns + s->st.rtt_max_ns / 4 + 20ULL * 1000000ULL,
			  SWEEP_WAIT_MIN_NS);
}

static void retry_push(struct sweep *s, uint32_t idx)
{
	s->retry_q[(s->rq_head + s->rq_len) % s->n] = idx;
	s->rq_len++;
}

/* Drop answered addresses from the head of the retry line. */
static void retry_trim(struct sweep *s)
{
	while (s->rq_len > 0 && s->t[s->retry_q[s->rq_head]].answered) {
		s->rq_head = (s->rq_head + 1) % s->n;
		s->rq_len--;
	}
}

/* Which target goes next at `now`, or -1 (nothing due). */
static int64_t pick(struct sweep *s, uint64_t now_ns)
{
	retry_trim(s);
	if (s->rq_len > 0) {
		uint32_t idx = s->retry_q[s->rq_head];
		if (s->t[idx].last_sent_ns + sweep_retry_wait_ns(s) <= now_ns)
			return idx;
	}
	if (s->next_first < s->n)
		return s->next_first;
	return -1;
}

bool sweep_next(struct sweep *s, uint64_t now_ns, uint32_t *ip)
{
	if (!s->started) {
		s->started = true;
		s->start_ns = now_ns;
		s->next_send_ns = now_ns;
	}
	if (now_ns < s->next_send_ns)
		return false;
	int64_t k = pick(s, now_ns);
	if (k < 0)
		return false;
	uint32_t idx = (uint32_t)k;
	struct sweep_target *t = &s->t[idx];
	if (idx == s->next_first && t->tries == 0) {
		s->next_first++;
	} else {
		s->rq_head = (s->rq_head + 1) % s->n;
		s->rq_len--;
		s->st.retries++;
	}
	if (t->tries == 0)
		t->first_sent_ns = now_ns;
	t->tries++;
	t->last_sent_ns = now_ns;
	if (t->tries < s->tries)
		retry_push(s, idx);
	/* keep the schedule through late wake-ups (a busy CPU wakes poll a few
	 * ms late) by catching up, but never by more than SWEEP_BURST requests:
	 * like arp-scan, which shortens its next interval by the error */
	uint64_t floor_ns = now_ns - (SWEEP_BURST - 1) * s->interval_ns;
	if (now_ns > (SWEEP_BURST - 1) * s->interval_ns && s->next_send_ns < floor_ns)
		s->next_send_ns = floor_ns;
	s->next_send_ns += s->interval_ns;
	s->last_send_ns = now_ns;
	s->st.requests++;
	*ip = t->ip;
	return true;
}

static struct sweep_target *find(struct sweep *s, uint32_t ip);

void sweep_exclude(struct sweep *s, uint32_t ip)
{
	struct sweep_target *t = find(s, ip);
	if (!t || s->started)
		return;
	memmove(t, t + 1, (size_t)(s->t + s->n - t - 1) * sizeof(*t));
	s->n--;
}

static struct sweep_target *find(struct sweep *s, uint32_t ip)
{
	uint32_t lo = 0, hi = s->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->t[mid].ip == ip)
			return &s->t[mid];
		if (s->t[mid].ip < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum sweep_reply sweep_reply(struct sweep *s, uint32_t ip, const uint8_t mac[6], uint64_t now_ns)
{
	struct sweep_target *t = find(s, ip);
	if (!t || t->tries == 0) {
		s->st.unasked++;
		return SWEEP_UNASKED;
	}
	if (t->answered) {
		if (memcmp(t->mac, mac, 6) == 0) {
			s->st.duplicates++;
			return SWEEP_DUPLICATE;
		}
		s->st.conflicts++;
		return SWEEP_CONFLICT;
	}
	t->answered = true;
	memcpy(t->mac, mac, 6);
	/* which request a reply answers is unknown once there were two: for
	 * the final wait count from the first (an overestimate, on the safe
	 * side); the retry wait learns only from unambiguous answers */
	uint64_t rtt = now_ns > t->first_sent_ns ? now_ns - t->first_sent_ns : 0;
	if (rtt > s->st.rtt_max_ns)
		s->st.rtt_max_ns = rtt;
	if (t->tries == 1 && rtt > s->st.rtt_first_max_ns)
		s->st.rtt_first_max_ns = rtt;
	s->st.matched++;
	return SWEEP_MATCHED;
}

static bool all_sent(const struct sweep *s)
{
	if (s->next_first < s->n)
		return false;
	for (uint32_t i = 0, k = s->rq_head; i < s->rq_len; i++, k = (k + 1) % s->n)
		if (!s->t[s->retry_q[k]].answered)
			return false;
	return true;
}

bool sweep_done(const struct sweep *s, uint64_t now_ns)
{
	if (!s->started)
		return s->n == 0;
	if (!all_sent(s))
		return false;
	return s->st.matched == s->n || now_ns >= s->last_send_ns + sweep_final_wait_ns(s);
}

uint64_t sweep_wake_ns(const struct sweep *s, uint64_t now_ns)
{
	if (!s->started)
		return now_ns;
	if (all_sent(s))
		return s->last_send_ns + sweep_final_wait_ns(s);
	uint64_t at = s->next_send_ns;
	if (s->next_first >= s->n) {
		/* only retries left: the head's retry time */
		uint32_t k = s->rq_head;
		while (s->t[s->retry_q[k]].answered)
			k = (k + 1) % s->n;
		uint64_t due = s->t[s->retry_q[k]].last_sent_ns + sweep_retry_wait_ns(s);
		if (due > at)
			at = due;
	}
	return at;
}

uint32_t sweep_found(const struct sweep *s)
{
	return (uint32_t)s->st.matched;
}

#include "netif.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "scan.h"
#include "text.h"

/* ---- parsing (untrusted bytes, host byte order) ------------------------ */

static bool cur_ne16(struct cursor *c, uint16_t *v)
{
	return cur_bytes(c, v, sizeof(*v));
}

static bool cur_ne32(struct cursor *c, uint32_t *v)
{
	return cur_bytes(c, v, sizeof(*v));
}

static bool cur_ne64(struct cursor *c, uint64_t *v)
{
	return cur_bytes(c, v, sizeof(*v));
}

#define NL_HDR_LEN 16
#define IFINFO_LEN 16
#define RTA_HDR_LEN 4
#define ALIGN4(n) (((n) + 3u) & ~(size_t)3u)

static bool parse_attr(struct netif_link *l, uint16_t type, struct cursor *v)
{
	switch (type & NLA_TYPE_MASK) {
	case IFLA_IFNAME: {
		const uint8_t *nul = v->left ? memchr(v->p, '\0', v->left) : NULL;
		size_t n = nul ? (size_t)(nul - v->p) : v->left;
		if (n == 0 || n >= sizeof(l->name))
			return false;
		if (text_clean(v->p, n)) {
			memcpy(l->name, v->p, n);
			l->name[n] = '\0';
		}
		return true;
	}
	case IFLA_MTU:
		if (v->left < 4)
			return false;
		cur_ne32(v, &l->mtu);
		l->have_mtu = true;
		return true;
	case IFLA_ADDRESS:
		if (v->left > sizeof(l->mac))
			return false;
		l->mac_len = (uint8_t)v->left;
		cur_bytes(v, l->mac, v->left);
		return true;
	case IFLA_OPERSTATE:
		if (!cur_u8(v, &l->operstate))
			return false;
		l->have_oper = true;
		return true;
	case IFLA_STATS64: {
		/* rx_packets tx_packets rx_bytes tx_bytes rx_errors tx_errors rx_dropped tx_dropped */
		static const int order[8] = { NIC_RX_PACKETS, NIC_TX_PACKETS, NIC_RX_BYTES, NIC_TX_BYTES,
					      NIC_RX_ERRORS, NIC_TX_ERRORS, NIC_RX_DROPPED, NIC_TX_DROPPED };
		if (v->left < 8 * 8)
			return false;
		for (int i = 0; i < 8; i++)
			cur_ne64(v, &l->counter[order[i]]);
		l->have_stats = true;
		return true;
	}
	default:
		return true;
	}
}

static int parse_link(struct cursor *m, struct netif_link *l)
{
	uint8_t family, pad;
	uint16_t type;
	uint32_t index, flags, change;

	memset(l, 0, sizeof(*l));
	if (!cur_u8(m, &family) || !cur_u8(m, &pad) || !cur_ne16(m, &type) ||
	    !cur_ne32(m, &index) || !cur_ne32(m, &flags) || !cur_ne32(m, &change))
		return -1;
	l->ifindex = (int32_t)index;
	while (m->left > 0) {
		uint16_t alen, atype;
		struct cursor val;
		if (!cur_ne16(m, &alen) || !cur_ne16(m, &atype) || alen < RTA_HDR_LEN ||
		    !cur_sub(m, alen - RTA_HDR_LEN, &val))
			return -1;
		if (!parse_attr(l, atype, &val))
			return -1;
		/* the padding of the last attribute may be missing */
		if (!cur_skip(m, ALIGN4(alen) - alen))
			m->left = 0;
	}
	return 0;
}

int netif_parse_dump(const uint8_t *buf, size_t len,
		     void (*fn)(void *arg, const struct netif_link *l), void *arg)
{
	struct cursor c;
	cur_init(&c, buf, len);
	while (c.left > 0) {
		uint32_t mlen, seq, pid;
		uint16_t type, flags;
		struct cursor body;
		if (!cur_ne32(&c, &mlen) || !cur_ne16(&c, &type) || !cur_ne16(&c, &flags) ||
		    !cur_ne32(&c, &seq) || !cur_ne32(&c, &pid) || mlen < NL_HDR_LEN ||
		    !cur_sub(&c, mlen - NL_HDR_LEN, &body))
			return -1;
		if (!cur_skip(&c, ALIGN4(mlen) - mlen))
			c.left = 0;
		if (type == NLMSG_DONE)
			return 1;
		if (type == NLMSG_ERROR)
			return -1;
		if (type != RTM_NEWLINK)
			continue;
		struct netif_link l;
		if (parse_link(&body, &l) != 0)
			return -1;
		fn(arg, &l);
	}
	return 0;
}

uint64_t netif_parse_speed(const uint8_t *buf, size_t len)
{
	struct cursor c, line;
	uint64_t v;
	cur_init(&c, buf, len);
	/* "-1" (unknown) fails scan_u64 and so gives 0 */
	if (!scan_line(&c, &line) || !scan_u64(&line, &v) || line.left || v > 100000000)
		return 0;
	return v;
}

/* ---- include/exclude globs --------------------------------------------- */

static int split_globs(const char *s, char out[][64], size_t *n, const char *key,
		       char *err, size_t errlen)
{
	*n = 0;
	while (s && *s) {
		size_t len = strcspn(s, ",");
		const char *p = s;
		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= 64 || *n == NETIF_GLOBS_MAX) {
			snprintf(err, errlen, "%s: each pattern 1 to 63 bytes, at most %d patterns",
				 key, NETIF_GLOBS_MAX);
			return -1;
		}
		memcpy(out[*n], p, len);
		out[*n][len] = '\0';
		(*n)++;
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
	}
	return 0;
}

int netif_filter_parse(struct netif_filter *f, const char *include, const char *exclude,
		       char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	if (split_globs(include, f->include, &f->n_include, "interfaces_include", err, errlen) != 0 ||
	    split_globs(exclude, f->exclude, &f->n_exclude, "interfaces_exclude", err, errlen) != 0)
		return -1;
	return 0;
}

bool netif_filter_match(const struct netif_filter *f, const char *name)
{
	if (f == NULL)
		return true;
	for (size_t i = 0; i < f->n_exclude; i++)
		if (fnmatch(f->exclude[i], name, 0) == 0)
			return false;
	if (f->n_include == 0)
		return true;
	for (size_t i = 0; i < f->n_include; i++)
		if (fnmatch(f->include[i], name, 0) == 0)
			return true;
	return false;
}

/* ---- the table of interfaces ------------------------------------------- */

void netif_table_init(struct netif_table *t, const char *sys_root, const struct netif_filter *f)
{
	/* the slots are initialised as interfaces appear: not touched here */
	t->n = 0;
	t->now_mono_ns = 0;
	t->rxbuf = NULL;
	t->seq = 0;
	t->sys_root = sys_root;
	t->filter = f;
	t->read_speed = sys_root != NULL;
}

void netif_table_begin(struct netif_table *t, uint64_t now_mono_ns)
{
	t->now_mono_ns = now_mono_ns;
	for (size_t i = 0; i < t->n; i++)
		t->ifs[i].seen = false;
}

static struct netif_state *find(struct netif_table *t, int32_t ifindex)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->ifs[i].link.ifindex == ifindex)
			return &t->ifs[i];
	return NULL;
}

static void close_speed(struct netif_state *s)
{
	if (s->speed_fd >= 0)
		close(s->speed_fd);
	s->speed_fd = -1;
	s->speed_name[0] = '\0';
}

void netif_table_apply(void *table, const struct netif_link *l)
{
	struct netif_table *t = table;
	struct netif_state *s = find(t, l->ifindex);

	if (l->name[0] != '\0' && !netif_filter_match(t->filter, l->name))
		return;   /* not seen: forgotten at the end if it was tracked */
	if (s == NULL) {
		if (t->n == NETIF_MAX) {
			log_warnx("more than %d interfaces, index %d left out", NETIF_MAX, (int)l->ifindex);
			return;
		}
		s = &t->ifs[t->n++];
		memset(s, 0, sizeof(*s));
		s->speed_fd = -1;
		if (l->name[0] == '\0')
			log_warnx("interface index %d: name missing or not valid UTF-8, left out",
				  (int)l->ifindex);
	} else if (strcmp(s->link.name, l->name) != 0) {
		if (s->link.name[0] && l->name[0])
			log_info("interface %s renamed to %s", s->link.name, l->name);
		else if (l->name[0] == '\0')
			log_warnx("interface index %d: name no longer valid UTF-8, left out",
				  (int)l->ifindex);
	}
	s->seen = true;
	s->named = l->name[0] != '\0';
	s->rate_bps[0] = s->rate_bps[1] = 0;
	if (!l->have_stats) {
		s->link = *l;
		s->have_prev = false;
		return;
	}
	bool reset = false;
	if (s->have_prev)
		for (int i = 0; i < NIC_N; i++)
			if (l->counter[i] < s->prev[i])
				reset = true;
	if (reset) {
		s->resets++;
		log_info("interface %s: counters went down, new baseline (reset, not traffic)",
			 s->named ? l->name : "(unnamed)");
	} else if (s->have_prev && t->now_mono_ns > s->prev_mono_ns) {
		double secs = (double)(t->now_mono_ns - s->prev_mono_ns) / 1e9;
		s->rate_bps[0] = (double)(l->counter[NIC_RX_BYTES] - s->prev[NIC_RX_BYTES]) * 8.0 / secs;
		s->rate_bps[1] = (double)(l->counter[NIC_TX_BYTES] - s->prev[NIC_TX_BYTES]) * 8.0 / secs;
	}
	s->link = *l;
	memcpy(s->prev, l->counter, sizeof(s->prev));
	s->prev_mono_ns = t->now_mono_ns;
	s->have_prev = true;
}

static void read_speed(struct netif_table *t, struct netif_state *s)
{
	uint8_t buf[32];
	/* the name becomes a path component: the kernel never allows these,
	 * and sysd does not rely on that */
	if (!s->named || strchr(s->link.name, '/') || strcmp(s->link.name, ".") == 0 ||
	    strcmp(s->link.name, "..") == 0) {
		s->speed_mbps = 0;
		return;
	}
	if (strcmp(s->speed_name, s->link.name) != 0) {
		char path[512];
		close_speed(s);
		snprintf(path, sizeof(path), "%s/class/net/%s/speed", t->sys_root, s->link.name);
		s->speed_fd = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(s->speed_name, sizeof(s->speed_name), "%s", s->link.name);
	}
	s->speed_mbps = 0;
	if (s->speed_fd < 0)
		return;
	/* EINVAL while the link is down: speed unknown */
	ssize_t n = pread(s->speed_fd, buf, sizeof(buf), 0);
	if (n > 0 && (size_t)n < sizeof(buf))
		s->speed_mbps = netif_parse_speed(buf, (size_t)n);
}

void netif_table_end(struct netif_table *t)
{
	size_t w = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (!t->ifs[i].seen) {
			if (t->ifs[i].named)
				log_info("interface %s is gone", t->ifs[i].link.name);
			close_speed(&t->ifs[i]);
			continue;
		}
		if (w != i)
			t->ifs[w] = t->ifs[i];
		w++;
	}
	t->n = w;
	if (t->read_speed)
		for (size_t i = 0; i < t->n; i++)
			read_speed(t, &t->ifs[i]);
}

void netif_table_free(struct netif_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		close_speed(&t->ifs[i]);
	t->n = 0;
	free(t->rxbuf);
	t->rxbuf = NULL;
}

/* ---- rtnetlink --------------------------------------------------------- */

int netif_socket_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		log_warn("rtnetlink socket");
		return -1;
	}
	/* the sandbox lets sysd send only on fixed descriptor numbers */
	int placed = sandbox_place_fd(fd, SANDBOX_FD_NETLINK);
	if (placed < 0) {
		log_warn("rtnetlink socket: descriptor %d", SANDBOX_FD_NETLINK);
		close(fd);
	}
	return placed;
}

int netif_dump(int fd, struct netif_table *t, uint64_t now_mono_ns)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (fd < 0)
		return -1;
	if (t->rxbuf == NULL && (t->rxbuf = malloc(NETIF_RXBUF)) == NULL)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = ++t->seq;
	req.ifi.ifi_family = AF_UNSPEC;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		log_warn("rtnetlink: request");
		return -1;
	}
	netif_table_begin(t, now_mono_ns);
	for (;;) {
		struct sockaddr_nl from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, t->rxbuf, NETIF_RXBUF, 0, (struct sockaddr *)&from, &flen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_warn("rtnetlink: receive");
			return -1;
		}
		if (flen < sizeof(from) || from.nl_pid != 0)
			continue;   /* only the kernel answers dumps */
		int rc = netif_parse_dump(t->rxbuf, (size_t)n, netif_table_apply, t);
		if (rc < 0) {
			log_warnx("rtnetlink: malformed or failed link dump");
			return -1;
		}
		if (rc == 1)
			break;
	}
	netif_table_end(t);
	return 0;
}

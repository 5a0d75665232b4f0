#include "persist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"
#include "log.h"
#include "sched.h"

#define CAP_FIELDS 6        /* packets bytes ps_recv ps_drop ps_ifdrop evictions */
#define HEADER_LEN (8 + 8)  /* magic, entry count */
#define DEV_LEN (1 + 16 + 8 + 8 + 8 * DEV_NCOUNTERS * 2)
#define V1_FIXED_LEN (HEADER_LEN + 1 + 8 + 2 * (8 * CAP_FIELDS + 8) + 4 * 8)
#define CHANNEL_COUNTERS 5  /* dropped send_failures delivered dead_lettered rejected_points */
/* v2: totals_since, then the counters of http (in v1's place) and of otlp */
#define FIXED_LEN (V1_FIXED_LEN + 8 + CHANNEL_COUNTERS * 8 + 8)
#define CHECK_LEN 8

int persist_prepare_dir(const char *dir, uid_t owner, gid_t group, bool root,
			char *err, size_t errlen)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create state_dir %s: %s", dir, strerror(errno));
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "state_dir %s: %s", dir,
			 errno == ELOOP ? "is a symlink; refusing it" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	const char *why = NULL;
	if (st.st_uid != 0 && st.st_uid != owner)
		why = "owned by someone other than root or the reporter's user";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		why = "writable by group or others";
	else if (root && (fchown(fd, owner, group) != 0 || fchmod(fd, 0700) != 0))
		why = "cannot hand it to the reporter's user";
	close(fd);
	if (why) {
		snprintf(err, errlen, "state_dir %s: %s; refusing it", dir, why);
		return -1;
	}
	return 0;
}

void persist_open(struct persist *p, const char *state_dir)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s/reporter.state", state_dir);
	snprintf(p->tmp, sizeof(p->tmp), "%s/reporter.state.tmp", state_dir);
}

void persist_close(struct persist *p)
{
	free(p->buf);
	p->buf = NULL;
}

static uint64_t checksum(const uint8_t *b, size_t n)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a: catches damage, not malice */
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void put_cap(struct wcursor *w, const struct wire_cap_stats *c)
{
	wcur_be64(w, c->packets);
	wcur_be64(w, c->bytes);
	wcur_be64(w, c->ps_recv);
	wcur_be64(w, c->ps_drop);
	wcur_be64(w, c->ps_ifdrop);
	wcur_be64(w, c->evictions);
	wcur_be32(w, c->table_used);
	wcur_be32(w, c->table_capacity);
}

static bool get_cap(struct cursor *c, struct wire_cap_stats *s)
{
	return cur_be64(c, &s->packets) && cur_be64(c, &s->bytes) && cur_be64(c, &s->ps_recv) &&
	       cur_be64(c, &s->ps_drop) && cur_be64(c, &s->ps_ifdrop) &&
	       cur_be64(c, &s->evictions) && cur_be32(c, &s->table_used) &&
	       cur_be32(c, &s->table_capacity);
}

size_t persist_encoded_size(const struct reporter_state *st)
{
	return FIXED_LEN + devtab_count(&st->devices) * DEV_LEN + CHECK_LEN;
}

size_t persist_encode(const struct reporter_state *st, const struct delivery *dlv,
		      uint8_t *buf, size_t cap)
{
	size_t need = persist_encoded_size(st);
	if (cap < need)
		return 0;
	struct wcursor w;
	wcur_init(&w, buf, cap);
	wcur_bytes(&w, PERSIST_MAGIC, 8);
	wcur_be64(&w, devtab_count(&st->devices));
	wcur_u8(&w, st->capture.have_stats);
	wcur_be64(&w, st->capture.instance_id);
	put_cap(&w, &st->capture.cur);
	put_cap(&w, &st->capture.base);
	const struct delivery_channel *http = dlv ? delivery_channel_const(dlv, OUTPUT_HTTP) : NULL;
	const struct delivery_channel *otlp = dlv ? delivery_channel_const(dlv, OUTPUT_OTLP) : NULL;
	wcur_be64(&w, http ? http->spool.dropped : 0);
	wcur_be64(&w, http ? http->send_failures : 0);
	wcur_be64(&w, http ? http->delivered : 0);
	wcur_be64(&w, http ? http->spool.dead_lettered : 0);
	wcur_be64(&w, st->totals_since_real_ns);
	wcur_be64(&w, http ? http->rejected_points : 0);
	wcur_be64(&w, otlp ? otlp->spool.dropped : 0);
	wcur_be64(&w, otlp ? otlp->send_failures : 0);
	wcur_be64(&w, otlp ? otlp->delivered : 0);
	wcur_be64(&w, otlp ? otlp->spool.dead_lettered : 0);
	wcur_be64(&w, otlp ? otlp->rejected_points : 0);
	size_t it = 0, n = 0;
	struct devtab_saved s;
	while (n < devtab_count(&st->devices) && devtab_next(&st->devices, &it, &s)) {
		wcur_u8(&w, s.kind);
		wcur_bytes(&w, s.addr, 16);
		wcur_be64(&w, s.instance_id);
		wcur_be64(&w, s.created);
		for (int k = 0; k < DEV_NCOUNTERS; k++)
			wcur_be64(&w, s.base[k]);
		for (int k = 0; k < DEV_NCOUNTERS; k++)
			wcur_be64(&w, s.cur[k]);
		n++;
	}
	size_t len = need - CHECK_LEN;
	wcur_be64(&w, checksum(buf, len));
	return need;
}

int persist_decode(const uint8_t *buf, size_t len, struct reporter_state *st,
		   struct delivery *dlv)
{
	struct cursor c;
	uint8_t magic[8], have;
	uint64_t count, counters[2][CHANNEL_COUNTERS], sum, since = 0;
	struct capture_state cap;

	if (len < V1_FIXED_LEN + CHECK_LEN)
		return -1;
	cur_init(&c, buf + len - CHECK_LEN, CHECK_LEN);
	if (!cur_be64(&c, &sum) || sum != checksum(buf, len - CHECK_LEN))
		return -1;
	cur_init(&c, buf, len - CHECK_LEN);
	memset(&cap, 0, sizeof(cap));
	memset(counters, 0, sizeof(counters));
	if (!cur_bytes(&c, magic, 8))
		return -1;
	bool v2 = memcmp(magic, PERSIST_MAGIC, 8) == 0;
	if (!v2 && memcmp(magic, PERSIST_MAGIC_V1, 8) != 0)
		return -1;
	if (!cur_be64(&c, &count) || !cur_u8(&c, &have) || have > 1 ||
	    !cur_be64(&c, &cap.instance_id) || !get_cap(&c, &cap.cur) || !get_cap(&c, &cap.base))
		return -1;
	for (int i = 0; i < 4; i++)
		if (!cur_be64(&c, &counters[0][i]))
			return -1;
	if (v2) {
		if (!cur_be64(&c, &since) || !cur_be64(&c, &counters[0][4]))
			return -1;
		for (int i = 0; i < CHANNEL_COUNTERS; i++)
			if (!cur_be64(&c, &counters[1][i]))
				return -1;
	}
	if (count > (uint64_t)st->devices.mac.capacity + st->devices.ip.capacity ||
	    c.left != count * DEV_LEN)
		return -1;
	/* everything is read before anything is changed */
	for (uint64_t i = 0; i < count; i++) {
		struct devtab_saved s;
		cur_u8(&c, &s.kind);
		cur_bytes(&c, s.addr, 16);
		cur_be64(&c, &s.instance_id);
		cur_be64(&c, &s.created);
		for (int k = 0; k < DEV_NCOUNTERS; k++)
			cur_be64(&c, &s.base[k]);
		for (int k = 0; k < DEV_NCOUNTERS; k++)
			cur_be64(&c, &s.cur[k]);
		if (devtab_restore(&st->devices, &s) != 0)
			log_warnx("state file: device entry %llu refused", (unsigned long long)i);
	}
	cap.have_stats = have;
	st->capture = cap;
	/* a v1 file does not know when its totals started: from now on is honest
	 * enough (a start too late, never one before data that is not there) */
	st->totals_since_real_ns = since ? since : realtime_ns();
	for (int k = 0; k < 2 && dlv; k++) {
		struct delivery_channel *ch = delivery_channel(dlv, k ? OUTPUT_OTLP : OUTPUT_HTTP);
		if (!ch)
			continue;
		ch->spool.dropped += counters[k][0];
		ch->send_failures += counters[k][1];
		ch->delivered += counters[k][2];
		ch->spool.dead_lettered += counters[k][3];
		ch->rejected_points += counters[k][4];
	}
	return 0;
}

int persist_save(struct persist *p, const struct reporter_state *st, const struct delivery *dlv)
{
	size_t need = persist_encoded_size(st);
	if (need > p->cap) {
		uint8_t *b = realloc(p->buf, need);
		if (!b)
			return -1;
		p->buf = b;
		p->cap = need;
	}
	size_t len = persist_encode(st, dlv, p->buf, p->cap);
	int fd = open(p->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	size_t off = 0;
	if (fd >= 0) {
		while (off < len) {
			ssize_t n = write(fd, p->buf + off, len - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			off += (size_t)n;
		}
	}
	bool ok = fd >= 0 && off == len && fsync(fd) == 0;
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (ok && rename(p->tmp, p->path) != 0)
		ok = false;
	if (!ok) {
		int e = errno ? errno : EIO;
		p->failures++;
		if (p->last_errno != e)
			log_warnx("ERROR: cannot save %s: %s; totals may restart from the last "
				  "saved state after a crash", p->path, strerror(e));
		p->last_errno = e;
		unlink(p->tmp);
		return -1;
	}
	if (p->last_errno)
		log_info("saving %s again", p->path);
	p->last_errno = 0;
	p->saves++;
	return 0;
}

static int restore_file(struct persist *p, struct reporter_state *st, struct delivery *dlv);

int persist_restore(struct persist *p, struct reporter_state *st, struct delivery *dlv)
{
	int rc = restore_file(p, st, dlv);
	if (rc != 1 || !st->totals_since_real_ns)
		st->totals_since_real_ns = realtime_ns();   /* the totals start from zero now */
	return rc;
}

static int restore_file(struct persist *p, struct reporter_state *st, struct delivery *dlv)
{
	int fd = open(p->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno != ENOENT)
			log_warn("cannot read %s; starting from zero", p->path);
		return 0;
	}
	struct stat sb;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = -1;
	size_t max = FIXED_LEN + CHECK_LEN +
		     ((size_t)st->devices.mac.capacity + st->devices.ip.capacity) * DEV_LEN;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size <= max &&
	    (buf = malloc((size_t)sb.st_size + 1)) != NULL) {
		while (len < (size_t)sb.st_size) {
			ssize_t n = read(fd, buf + len, (size_t)sb.st_size - len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		if (len == (size_t)sb.st_size)
			rc = persist_decode(buf, len, st, dlv);
	}
	close(fd);
	free(buf);
	if (rc != 0) {
		char bad[PATH_MAX + 8];
		snprintf(bad, sizeof(bad), "%s.bad", p->path);
		rename(p->path, bad);
		log_warnx("%s is damaged or from another version; moved to %s, totals start "
			  "from zero", p->path, bad);
		return -1;
	}
	log_info("restored %zu device totals from %s", devtab_count(&st->devices), p->path);
	return 1;
}

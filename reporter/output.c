#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "prom.h"
#include "sched.h"
#include "snapshot.h"

static int open_file(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0640);
}

int outputs_open(struct output_set *o, const struct netmon_config *cfg, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->queue_max = OUTPUT_QUEUE_MAX;
	for (size_t i = 0; i < cfg->n_outputs; i++) {
		const struct output *out = &cfg->outputs[i];
		struct output_sink *s = &o->s[o->n];
		if (out->kind == OUTPUT_HTTP || out->kind == OUTPUT_OTLP)
			continue;   /* POSTed by delivery.c */
		memset(s, 0, sizeof(*s));
		s->kind = out->kind;
		if (out->kind == OUTPUT_PROMETHEUS) {
			s->fd = -1;
			s->name = out->path;
		} else if (out->kind == OUTPUT_STDOUT) {
			s->fd = STDOUT_FILENO;
			s->name = "stdout";
			int fl = fcntl(s->fd, F_GETFL);
			if (fl < 0 || fcntl(s->fd, F_SETFL, fl | O_NONBLOCK) != 0) {
				snprintf(err, errlen, "stdout: %s", strerror(errno));
				outputs_close(o);
				return -1;
			}
		} else {
			s->fd = open_file(out->path);
			s->name = out->path;
			if (s->fd < 0) {
				snprintf(err, errlen, "cannot open output file %s: %s", out->path,
					 strerror(errno));
				outputs_close(o);
				return -1;
			}
		}
		o->n++;
	}
	return 0;
}

static void drop_head(struct output_sink *s)
{
	struct output_line *l = s->head;
	s->head = l->next;
	if (!s->head)
		s->tail = NULL;
	s->queued_bytes -= l->len;
	s->queued_lines--;
	free(l);
}

/* Drop the oldest lines not yet started until the queue fits its bound; the
 * newest line always stays. */
static void enforce_bound(struct output_sink *s, size_t max)
{
	uint64_t before = s->dropped;
	while (s->queued_bytes > max && s->queued_lines > 1) {
		struct output_line *l = s->head;
		if (l->off > 0) {
			/* finish the started line first: drop the one after it */
			struct output_line *victim = l->next;
			if (!victim || victim == s->tail)
				break;
			l->next = victim->next;
			s->queued_bytes -= victim->len;
			s->queued_lines--;
			free(victim);
		} else {
			drop_head(s);
		}
		s->dropped++;
	}
	if (s->dropped != before)
		log_warnx("output %s: reader too slow, dropped %llu line(s) (%llu in all)", s->name,
			  (unsigned long long)(s->dropped - before), (unsigned long long)s->dropped);
}

static void reopen_now(struct output_sink *s)
{
	int fd = open_file(s->name);
	s->reopen_pending = false;
	if (fd < 0) {
		log_warn("output %s: cannot reopen, keeping the old file", s->name);
		return;
	}
	close(s->fd);
	s->fd = fd;
	log_info("output %s reopened", s->name);
}

/* Write queued lines until the descriptor would block. Returns false when
 * it would block with data left. */
static bool flush_sink(struct output_sink *s)
{
	while (s->head) {
		struct output_line *l = s->head;
		if (l->off == 0 && s->reopen_pending)
			reopen_now(s);
		ssize_t n = write(s->fd, l->data + l->off, l->len - l->off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return false;
			if (s->last_errno != errno)
				log_warn("output %s: write", s->name);
			s->last_errno = errno;
			if (errno == EPIPE || l->off == 0) {
				/* nobody reads, or the line cannot be written: count it lost */
				s->dropped++;
				drop_head(s);
				continue;
			}
			return false;
		}
		if (s->last_errno) {
			log_info("output %s: writing again", s->name);
			s->last_errno = 0;
		}
		l->off += (size_t)n;
		if (l->off == l->len) {
			s->written++;
			drop_head(s);
		}
	}
	if (s->reopen_pending)
		reopen_now(s);
	return true;
}

/* One textfile per cycle, rendered from the state (no payload parse) into the
 * sink's buffer, kept for the next cycle: written counts files replaced,
 * dropped the cycles whose file could not be (logged once per streak). */
static void write_prometheus(struct output_sink *s, const struct metric_source *src)
{
	tb_clear(&s->text);
	if (!src || !prom_render_buf(&s->text, src)) {
		log_warnx("output prometheus:%s: cannot render the snapshot", s->name);
		s->dropped++;
		return;
	}
	if (prom_write_file(s->name, s->text.p, s->text.len) != 0) {
		if (s->last_errno != errno)
			log_warn("output prometheus:%s", s->name);
		s->last_errno = errno ? errno : EIO;
		s->dropped++;
	} else {
		if (s->last_errno)
			log_info("output prometheus:%s: writing again", s->name);
		s->last_errno = 0;
		s->written++;
	}
}

void outputs_write(struct output_set *o, struct snapshot_line *sl)
{
	const char *line = sl->text;
	size_t len = sl->len;
	for (size_t i = 0; i < o->n; i++) {
		struct output_sink *s = &o->s[i];
		if (s->kind == OUTPUT_PROMETHEUS) {
			write_prometheus(s, snapshot_line_metrics(sl));
			continue;
		}
		struct output_line *l = malloc(sizeof(*l) + len + 1);
		if (!l) {
			s->dropped++;
			continue;
		}
		memcpy(l->data, line, len);
		l->data[len] = '\n';
		l->len = len + 1;
		l->off = 0;
		l->next = NULL;
		if (s->tail)
			s->tail->next = l;
		else
			s->head = l;
		s->tail = l;
		s->queued_bytes += l->len;
		s->queued_lines++;
		enforce_bound(s, o->queue_max);
		flush_sink(s);
	}
}

int outputs_pollfds(const struct output_set *o, struct pollfd *pfd, int max)
{
	int n = 0;
	for (size_t i = 0; i < o->n && n < max; i++)
		if (o->s[i].head)
			pfd[n++] = (struct pollfd){ .fd = o->s[i].fd, .events = POLLOUT };
	return n;
}

void outputs_flush(struct output_set *o)
{
	for (size_t i = 0; i < o->n; i++)
		flush_sink(&o->s[i]);
}

void outputs_reopen(struct output_set *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->s[i].kind == OUTPUT_FILE) {
			o->s[i].reopen_pending = true;
			if (!o->s[i].head)
				reopen_now(&o->s[i]);
		}
}

/* Finish the started head line of s, waiting for the reader until deadline. */
static bool finish_started(struct output_sink *s, uint64_t deadline)
{
	while (s->head && s->head->off > 0) {
		struct output_line *l = s->head;
		ssize_t n = write(s->fd, l->data + l->off, l->len - l->off);
		if (n > 0) {
			l->off += (size_t)n;
			if (l->off == l->len) {
				s->written++;
				drop_head(s);
			}
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return false;
		uint64_t now = mono_ns();
		if (now >= deadline)
			return false;
		struct pollfd p = { .fd = s->fd, .events = POLLOUT };
		poll(&p, 1, (int)((deadline - now) / NSEC_PER_MSEC) + 1);
	}
	return true;
}

void outputs_finish(struct output_set *o, int deadline_ms)
{
	uint64_t deadline = mono_ns() + (uint64_t)deadline_ms * NSEC_PER_MSEC;
	/* a new line is started only with this much time left to finish it */
	const uint64_t margin = (uint64_t)deadline_ms * NSEC_PER_MSEC / 4;
	for (size_t i = 0; i < o->n; i++) {
		struct output_sink *s = &o->s[i];
		if (s->kind == OUTPUT_PROMETHEUS)
			continue;
		if (s->kind == OUTPUT_FILE) {
			flush_sink(s);
			continue;
		}
		for (;;) {
			if (!finish_started(s, deadline)) {
				log_warnx("output %s: reader stalled, the last line stays unfinished",
					  s->name);
				break;
			}
			uint64_t now = mono_ns();
			if (!s->head || now + margin > deadline)
				break;
			struct output_line *l = s->head;
			ssize_t n = write(s->fd, l->data, l->len);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
				struct pollfd p = { .fd = s->fd, .events = POLLOUT };
				poll(&p, 1, (int)((deadline - margin - now) / NSEC_PER_MSEC) + 1);
				continue;
			}
			if (n <= 0)
				break;
			l->off = (size_t)n;
			if (l->off == l->len) {
				s->written++;
				drop_head(s);
			}
		}
	}
}

void outputs_close(struct output_set *o)
{
	for (size_t i = 0; i < o->n; i++) {
		struct output_sink *s = &o->s[i];
		while (s->head) {
			if (s->head->off == 0)
				s->dropped++;
			drop_head(s);
		}
		if (s->fd > STDERR_FILENO)
			close(s->fd);
		tb_free(&s->text);
	}
	o->n = 0;
}

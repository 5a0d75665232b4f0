/* Stream outputs: a pipe nobody reads never blocks, its queue is bounded,
 * and a started line is always finished whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <cmocka.h>

#include "reporter/output.h"
#include "reporter/snapshot.h"
#include "sched.h"

static void write_line(struct output_set *o, const char *text, size_t len)
{
	struct snapshot_line l = { .text = text, .len = len };
	outputs_write(o, &l);
	snapshot_line_release(&l);
}

/* An output set with one sink writing into a one-page pipe. */
static void pipe_set(struct output_set *o, int fds[2])
{
	assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
	assert_true(fcntl(fds[1], F_SETPIPE_SZ, 4096) >= 4096);
	memset(o, 0, sizeof(*o));
	o->queue_max = 64 * 1024;
	o->n = 1;
	o->s[0].kind = OUTPUT_STDOUT;
	o->s[0].fd = fds[1];
	o->s[0].name = "test-pipe";
}

static size_t drain(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;
	while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
		n += (size_t)r;
	return n;
}

static void test_stalled_reader_never_blocks(void **state)
{
	(void)state;
	struct output_set o;
	int fds[2];
	pipe_set(&o, fds);
	char line[3000];
	memset(line, 'a', sizeof(line));
	uint64_t t0 = mono_ns();
	for (int i = 0; i < 200; i++)       /* 600 kB into a 4 kB pipe nobody reads */
		write_line(&o, line, sizeof(line));
	assert_true(mono_ns() - t0 < 500 * NSEC_PER_MSEC);
	/* bounded: at most queue_max plus the line being written */
	assert_true(o.s[0].queued_bytes <= o.queue_max + sizeof(line) + 1);
	assert_true(o.s[0].dropped > 150);
	struct pollfd p[2];
	assert_int_equal(outputs_pollfds(&o, p, 2), 1);
	assert_int_equal(p[0].events, POLLOUT);

	/* the reader resumes: every line it gets is whole */
	static char buf[1 << 20];
	size_t got = 0;
	for (int round = 0; round < 100 && o.s[0].head; round++) {
		got += drain(fds[0], buf + got, sizeof(buf) - got);
		outputs_flush(&o);
	}
	got += drain(fds[0], buf + got, sizeof(buf) - got);
	assert_null(o.s[0].head);
	assert_int_equal(got % (sizeof(line) + 1), 0);
	for (size_t i = 0; i < got; i += sizeof(line) + 1)
		assert_int_equal(buf[i + sizeof(line)], '\n');
	assert_int_equal(o.s[0].written + o.s[0].dropped, 200);
	outputs_close(&o);
	close(fds[0]);
}

/* SIGTERM while a line is half written: outputs_finish completes it when
 * the reader comes back in time, and starts no line it cannot finish. */
static void test_finish_completes_started_line(void **state)
{
	(void)state;
	struct output_set o;
	int fds[2];
	pipe_set(&o, fds);
	char line[6000];
	memset(line, 'b', sizeof(line));
	write_line(&o, line, sizeof(line));   /* 4096 go out, the rest waits */
	assert_non_null(o.s[0].head);
	assert_true(o.s[0].head->off > 0);
	static char buf[65536];
	size_t got = drain(fds[0], buf, sizeof(buf));
	outputs_finish(&o, 1000);
	got += drain(fds[0], buf + got, sizeof(buf) - got);
	assert_int_equal(got, sizeof(line) + 1);
	assert_int_equal(buf[got - 1], '\n');
	outputs_close(&o);
	close(fds[0]);
}

static void test_broken_pipe_drops(void **state)
{
	(void)state;
	struct output_set o;
	int fds[2];
	pipe_set(&o, fds);
	close(fds[0]);
	write_line(&o, "{}", 2);   /* EPIPE (SIGPIPE ignored below) */
	assert_null(o.s[0].head);
	assert_int_equal(o.s[0].dropped, 1);
	outputs_close(&o);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stalled_reader_never_blocks),
		cmocka_unit_test(test_finish_completes_started_line),
		cmocka_unit_test(test_broken_pipe_drops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

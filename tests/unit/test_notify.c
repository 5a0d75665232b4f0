/* sd_notify without libsystemd: the datagrams a service manager receives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"
#include "sched.h"

#define SEC NSEC_PER_SEC

/* A receiving "service manager" socket bound to `name` (path or @abstract). */
static int manager(const char *name)
{
	struct sockaddr_un sun;
	size_t len = notify_address(name, &sun);
	assert_true(len > 0);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, (socklen_t)len), 0);
	return fd;
}

/* Next datagram as a string, "" when none is queued. */
static const char *received(int fd)
{
	static char buf[256];
	ssize_t r = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	buf[r > 0 ? r : 0] = '\0';
	return buf;
}

static void clear_env(void)
{
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

static void test_unset_does_nothing(void **state)
{
	(void)state;
	struct notify n;
	clear_env();
	notify_open(&n);
	assert_int_equal(n.fd, -1);
	notify_ready(&n, 0);
	notify_watchdog(&n, 100 * SEC);
	notify_stopping(&n);
	assert_int_equal(n.fd, -1);
}

static void lifecycle(const char *name)
{
	int m = manager(name);
	struct notify n;

	clear_env();
	setenv("NOTIFY_SOCKET", name, 1);
	setenv("WATCHDOG_USEC", "10000000", 1); /* 10 s: ping every 5 s */
	notify_open(&n);
	assert_true(n.fd >= 0);
	notify_watchdog(&n, 1 * SEC);            /* not ready yet: nothing */
	assert_string_equal(received(m), "");
	notify_ready(&n, 100 * SEC);
	assert_string_equal(received(m), "READY=1");
	notify_watchdog(&n, 104 * SEC);
	assert_string_equal(received(m), "");
	notify_watchdog(&n, 105 * SEC);
	assert_string_equal(received(m), "WATCHDOG=1");
	notify_watchdog(&n, 106 * SEC);
	assert_string_equal(received(m), "");
	notify_watchdog(&n, 110 * SEC);
	assert_string_equal(received(m), "WATCHDOG=1");
	notify_stopping(&n);
	assert_string_equal(received(m), "STOPPING=1");
	assert_int_equal(n.fd, -1);
	close(m);
}

static void test_path_socket(void **state)
{
	(void)state;
	char dir[] = "/tmp/netmon-notify-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/notify", dir);
	lifecycle(path);
	unlink(path);
	rmdir(dir);
}

static void test_abstract_socket(void **state)
{
	(void)state;
	char name[64];
	snprintf(name, sizeof(name), "@netmon-notify-test-%ld", (long)getpid());
	lifecycle(name);
}

static void test_watchdog_for_another_pid_is_ignored(void **state)
{
	(void)state;
	char name[64];
	snprintf(name, sizeof(name), "@netmon-notify-pid-%ld", (long)getpid());
	int m = manager(name);
	struct notify n;
	clear_env();
	setenv("NOTIFY_SOCKET", name, 1);
	setenv("WATCHDOG_USEC", "2000000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	notify_open(&n);
	assert_true(n.watchdog_ns == 0);
	notify_ready(&n, 0);
	assert_string_equal(received(m), "READY=1");
	notify_watchdog(&n, 100 * SEC);
	assert_string_equal(received(m), "");
	notify_stopping(&n);
	close(m);
}

static void test_bad_addresses(void **state)
{
	(void)state;
	struct sockaddr_un sun;
	char longname[200];
	assert_int_equal(notify_address("", &sun), 0);
	assert_int_equal(notify_address("@", &sun), 0);
	assert_int_equal(notify_address("relative/sock", &sun), 0);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(notify_address(longname, &sun), 0);
	/* a path needs room for its NUL; an abstract name uses all 108 bytes */
	longname[108] = '\0';
	assert_int_equal(notify_address(longname, &sun), 0);
	longname[107] = '\0';
	assert_true(notify_address(longname, &sun) > 0);
	longname[0] = '@';
	memset(longname, 'b', 108);
	longname[0] = '@';
	longname[108] = '\0';
	assert_int_equal(notify_address(longname, &sun), offsetof(struct sockaddr_un, sun_path) + 108);
	assert_int_equal(sun.sun_path[0], '\0');

	/* an unusable NOTIFY_SOCKET leaves notifications off, not the daemon down */
	struct notify n;
	clear_env();
	setenv("NOTIFY_SOCKET", "not-a-path", 1);
	notify_open(&n);
	assert_int_equal(n.fd, -1);
	setenv("NOTIFY_SOCKET", "/nonexistent/netmon/notify", 1);
	notify_open(&n);
	assert_int_equal(n.fd, -1);
	clear_env();
}

static void test_watchdog_usec(void **state)
{
	(void)state;
	assert_true(notify_watchdog_usec("30000000") == 30000000);
	assert_true(notify_watchdog_usec("1") == 1);
	assert_true(notify_watchdog_usec(NULL) == 0);
	assert_true(notify_watchdog_usec("") == 0);
	assert_true(notify_watchdog_usec("-5") == 0);
	assert_true(notify_watchdog_usec("+5") == 0);
	assert_true(notify_watchdog_usec("5s") == 0);
	assert_true(notify_watchdog_usec(" 5") == 0);
	assert_true(notify_watchdog_usec("99999999999999999999") == 0);
	assert_true(notify_watchdog_usec("18446744073709552") == 0); /* * 1000 overflows */
}

int main(void)
{
	/* notify_open puts its socket at a fixed number (SANDBOX_FD_NOTIFY), as
	 * a daemon does after closing what it inherited */
	closefrom(3);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unset_does_nothing),
		cmocka_unit_test(test_path_socket),
		cmocka_unit_test(test_abstract_socket),
		cmocka_unit_test(test_watchdog_for_another_pid_is_ignored),
		cmocka_unit_test(test_bad_addresses),
		cmocka_unit_test(test_watchdog_usec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* common/netinfo: the default route's interface and an interface's prefixes,
 * from fixture files and synthetic getifaddrs() lists. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cidr.h"
#include "netinfo.h"
#include "tmpdir.h"

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, text, strlen(text), 0644);
}

static const char route_hdr[] =
	"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
static const char v6_lo_reject[] =
	"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
	"00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

static void test_default_route_interface(void **state)
{
	struct tmpdir *t = *state;
	char net[128], ifname[IFNAMSIZ], err[512], text[2048];
	snprintf(net, sizeof(net), "%s/net", t->path);
	assert_int_equal(mkdir(net, 0755), 0);

	/* lowest metric wins; down (flags 0) and reject (0x200) defaults are ignored */
	snprintf(text, sizeof(text), "%s"
		 "wlan0\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
		 "br0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
		 "dead0\t00000000\t0102A8C0\t0000\t0\t0\t1\t00000000\t0\t0\t0\n"
		 "rej0\t00000000\t00000000\t0201\t0\t0\t2\t00000000\t0\t0\t0\n"
		 "eth1\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n", route_hdr);
	put(net, "route", text);
	put(net, "ipv6_route", v6_lo_reject);
	assert_int_equal(netinfo_default_route_interface(t->path, ifname, sizeof(ifname), err, sizeof(err)), 0);
	assert_string_equal(ifname, "eth1");

	/* no IPv4 default: the IPv6 one (not lo, not reject) */
	snprintf(text, sizeof(text), "%s"
		 "br0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n", route_hdr);
	put(net, "route", text);
	snprintf(text, sizeof(text), "%s"
		 "20010db8000000000000000000000000 20 00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth9\n"
		 "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		 "fe800000000000000000000000000001 00000400 00000001 00000000 00450003     v6up\n",
		 v6_lo_reject);
	put(net, "ipv6_route", text);
	assert_int_equal(netinfo_default_route_interface(t->path, ifname, sizeof(ifname), err, sizeof(err)), 0);
	assert_string_equal(ifname, "v6up");

	/* none at all: a clear message that says what to do */
	put(net, "ipv6_route", v6_lo_reject);
	assert_int_equal(netinfo_default_route_interface(t->path, ifname, sizeof(ifname), err, sizeof(err)), -1);
	char want[512];
	snprintf(want, sizeof(want), "[agent] interface: no default route in %s/net/route or "
		 "%s/net/ipv6_route; set interface", t->path, t->path);
	assert_string_equal(err, want);

	/* unreadable */
	assert_int_equal(netinfo_default_route_interface("/nonexistent", ifname, sizeof(ifname),
							 err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read /nonexistent/net/route"));

	/* garbage lines are skipped, not misread */
	snprintf(text, sizeof(text), "%sx\n\n\t\t\nlongername0123456789\t00000000\t0\t0003\t0\t0\t0\t00000000\n"
		 "ok0\t00000000\t0\t0003\t0\t0\t5\t00000000\t0\t0\t0\n", route_hdr);
	put(net, "route", text);
	assert_int_equal(netinfo_default_route_interface(t->path, ifname, sizeof(ifname), err, sizeof(err)), 0);
	assert_string_equal(ifname, "ok0");
}

/* Synthetic getifaddrs() list. */
struct fake_if {
	struct ifaddrs ifa;
	struct sockaddr_storage addr, mask;
};

static void fake_add(struct fake_if *f, struct fake_if *next, const char *name, const char *addr,
		     unsigned prefix)
{
	memset(f, 0, sizeof(*f));
	f->ifa.ifa_name = (char *)name;
	f->ifa.ifa_next = next ? &next->ifa : NULL;
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&f->addr, *m = (struct sockaddr_in6 *)&f->mask;
		a->sin6_family = m->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, addr, &a->sin6_addr), 1);
		for (unsigned b = 0; b < prefix; b++)
			m->sin6_addr.s6_addr[b / 8] |= (uint8_t)(0x80u >> (b % 8));
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&f->addr, *m = (struct sockaddr_in *)&f->mask;
		a->sin_family = m->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, addr, &a->sin_addr), 1);
		m->sin_addr.s_addr = htonl(prefix ? 0xffffffffu << (32 - prefix) : 0);
	}
	f->ifa.ifa_addr = (struct sockaddr *)&f->addr;
	f->ifa.ifa_netmask = (struct sockaddr *)&f->mask;
}

static void test_interface_prefixes(void **state)
{
	(void)state;
	struct fake_if f[8];
	fake_add(&f[0], &f[1], "eth0", "192.0.2.10", 24);
	fake_add(&f[1], &f[2], "eth0", "192.0.2.11", 24);            /* same prefix: once */
	fake_add(&f[2], &f[3], "eth0", "fe80::1", 64);               /* link-local: skipped */
	fake_add(&f[3], &f[4], "eth0", "2001:db8:5::77", 64);
	fake_add(&f[4], &f[5], "eth1", "198.51.100.1", 24);          /* other interface */
	fake_add(&f[5], &f[6], "eth0", "203.0.113.5", 32);
	fake_add(&f[6], &f[7], "eth0", "febf::1", 64);               /* still fe80::/10 */
	fake_add(&f[7], NULL, "eth0", "fec0::1", 10);                /* just outside it */

	struct cidr_list l;
	memset(&l, 0, sizeof(l));
	assert_int_equal(netinfo_interface_prefixes(&f[0].ifa, "eth0", &l), 4);
	char buf[256];
	assert_int_equal(cidr_list_format(&l, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "192.0.2.0/24, 2001:db8:5::/64, 203.0.113.5/32, fec0::/10");

	/* no address, a NULL ifa_addr, and an unknown family add nothing */
	struct ifaddrs none = { .ifa_name = (char *)"eth0" };
	memset(&l, 0, sizeof(l));
	assert_int_equal(netinfo_interface_prefixes(&none, "eth0", &l), 0);
	assert_int_equal(netinfo_interface_prefixes(&f[0].ifa, "nope0", &l), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_route_interface, setup_tmpdir, teardown_tmpdir),
		cmocka_unit_test(test_interface_prefixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * What the host says about its network: the interface of the default route
 * (from /proc/net/route and /proc/net/ipv6_route) and an interface's own
 * prefixes (from getifaddrs()). Used to resolve the config's defaults; arpd
 * and sysd need the same answers.
 */
#include "netinfo.h"

#include <errno.h>
#include <limits.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct route_pick {
	char ifname[IFNAMSIZ];
	unsigned metric;
	bool found;
};

static void route_consider(struct route_pick *best, const char *ifname, unsigned metric)
{
	if (strlen(ifname) >= sizeof(best->ifname))
		return;
	if (!best->found || metric < best->metric) {
		snprintf(best->ifname, sizeof(best->ifname), "%s", ifname);
		best->metric = metric;
		best->found = true;
	}
}

/* /proc/net/route: Iface Destination Gateway Flags RefCnt Use Metric Mask ... (hex) */
static int route4_default(const char *file, struct route_pick *best)
{
	FILE *f = fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;
	bool header = true;

	if (f == NULL)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char ifname[64];   /* wider than IFNAMSIZ: a long name is seen and skipped */
		unsigned dest, flags, metric, mask;
		if (header) {
			header = false;
			continue;
		}
		if (sscanf(line, "%63s %x %*x %x %*d %*u %u %x", ifname, &dest, &flags, &metric, &mask) != 5)
			continue;
		if (dest == 0 && mask == 0 && (flags & RTF_UP) && !(flags & RTF_REJECT))
			route_consider(best, ifname, metric);
	}
	free(line);
	fclose(f);
	return 0;
}

/* /proc/net/ipv6_route: dest plen src splen nexthop metric refcnt use flags iface */
static int route6_default(const char *file, struct route_pick *best)
{
	FILE *f = fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;

	if (f == NULL)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char dest[33], ifname[64];
		unsigned plen, metric, flags;
		if (sscanf(line, "%32s %x %*s %*x %*s %x %*x %*x %x %63s",
			   dest, &plen, &metric, &flags, ifname) != 5)
			continue;
		if (strspn(dest, "0") == 32 && plen == 0 && (flags & RTF_UP) &&
		    !(flags & RTF_REJECT) && strcmp(ifname, "lo") != 0)
			route_consider(best, ifname, metric);
	}
	free(line);
	fclose(f);
	return 0;
}

int netinfo_default_route_interface(const char *proc_root, char *ifname, size_t n,
				   char *err, size_t errlen)
{
	char f4[PATH_MAX], f6[PATH_MAX];
	struct route_pick best;
	int e4 = 0, e6 = 0;

	memset(&best, 0, sizeof(best));
	snprintf(f4, sizeof(f4), "%s/net/route", proc_root);
	snprintf(f6, sizeof(f6), "%s/net/ipv6_route", proc_root);
	if (route4_default(f4, &best) != 0)
		e4 = errno;
	/* IPv6 only as a fallback: an IPv4 default wins whatever its metric */
	if (!best.found && route6_default(f6, &best) != 0)
		e6 = errno;
	if (!best.found) {
		if (e4 != 0 && e6 != 0)
			snprintf(err, errlen, "[agent] interface: cannot read %s (%s) or %s (%s); set interface",
				 f4, strerror(e4), f6, strerror(e6));
		else
			snprintf(err, errlen, "[agent] interface: no default route in %s or %s; "
				 "set interface", f4, f6);
		return -1;
	}
	if (strlen(best.ifname) >= n) {
		snprintf(err, errlen, "[agent] interface: name '%s' too long", best.ifname);
		return -1;
	}
	snprintf(ifname, n, "%s", best.ifname);
	return 0;
}

/* Leading one bits of a netmask (a non-contiguous mask stops at its first 0). */
static unsigned mask_prefix(const uint8_t *mask, size_t len)
{
	unsigned bits = 0;
	for (size_t i = 0; i < len; i++) {
		for (int b = 7; b >= 0; b--) {
			if (!(mask[i] >> b & 1))
				return bits;
			bits++;
		}
	}
	return bits;
}

static void make_prefix(struct cidr *out, int family, const uint8_t *addr, const uint8_t *mask)
{
	size_t len = family == AF_INET ? 4 : 16;
	memset(out, 0, sizeof(*out));
	out->net.family = family;
	memcpy(out->net.bytes, addr, len);
	out->prefix = mask ? mask_prefix(mask, len) : (unsigned)len * 8;
	for (unsigned bit = out->prefix; bit < len * 8; bit++)
		out->net.bytes[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
}

size_t netinfo_interface_prefixes(const struct ifaddrs *list, const char *ifname,
				 struct cidr_list *out)
{
	for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
		struct cidr c;
		if (ifa->ifa_name == NULL || strcmp(ifa->ifa_name, ifname) != 0 || ifa->ifa_addr == NULL)
			continue;
		if (ifa->ifa_addr->sa_family == AF_INET) {
			const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)ifa->ifa_addr;
			const struct sockaddr_in *m = (const struct sockaddr_in *)(const void *)ifa->ifa_netmask;
			make_prefix(&c, AF_INET, (const uint8_t *)&a->sin_addr,
				    m ? (const uint8_t *)&m->sin_addr : NULL);
		} else if (ifa->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)(const void *)ifa->ifa_addr;
			const struct sockaddr_in6 *m = (const struct sockaddr_in6 *)(const void *)ifa->ifa_netmask;
			make_prefix(&c, AF_INET6, a->sin6_addr.s6_addr, m ? m->sin6_addr.s6_addr : NULL);
			/* link-local fe80::/10 is not "the local network" of anyone else */
			if (c.net.bytes[0] == 0xfe && (c.net.bytes[1] & 0xc0) == 0x80)
				continue;
		} else {
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < out->n; i++)
			if (memcmp(&out->v[i], &c, sizeof(c)) == 0)
				dup = true;
		if (!dup && cidr_list_add(out, &c) != 0)
			break;
	}
	return out->n;
}


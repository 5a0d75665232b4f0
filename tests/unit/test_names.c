/*
 * common/name.c (the one gate for untrusted names) and reporter/names.c (one
 * name per device with its source, the configurable order).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "name.h"
#include "reporter/names.h"

static void test_name_clean(void **state)
{
	(void)state;
	char out[NAME_TEXT_MAX + 1];
	char big[300];

	assert_true(name_clean(out, sizeof(out), "laptop", 6, NAME_LABEL_MAX));
	assert_string_equal(out, "laptop");
	assert_true(name_clean(out, sizeof(out), "NAS1           ", 15, 15));  /* NetBIOS padding */
	assert_string_equal(out, "NAS1");
	assert_true(name_clean(out, sizeof(out), "cam\0\0", 5, NAME_LABEL_MAX)); /* C string */
	assert_string_equal(out, "cam");
	assert_true(name_clean(out, sizeof(out), "K\xc3\xbc" "che", 6, NAME_LABEL_MAX));
	assert_true(name_clean(out, sizeof(out), "a \"b\" \\c", 8, NAME_LABEL_MAX));

	static const struct { const char *s; size_t n; } bad[] = {
		{ "", 0 }, { "   ", 3 }, { "\0\0", 2 },
		{ "a\0b", 3 },                  /* NUL inside */
		{ "a\nb", 3 }, { "a\x1b[31m", 6 }, { "a\x7f", 2 },
		{ "\xc0\xaf", 2 },              /* overlong */
		{ "\xed\xa0\x80", 3 },          /* surrogate */
		{ "\xe2\x82", 2 },              /* cut sequence */
		{ "\xff", 1 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(out, "stale");
		assert_false(name_clean(out, sizeof(out), bad[i].s, bad[i].n, NAME_LABEL_MAX));
		assert_string_equal(out, "");
	}
	memset(big, 'a', sizeof(big));
	assert_true(name_clean(out, sizeof(out), big, 63, NAME_LABEL_MAX));
	assert_false(name_clean(out, sizeof(out), big, 64, NAME_LABEL_MAX));  /* refused, not cut */
	assert_true(name_clean(out, sizeof(out), big, 255, NAME_TEXT_MAX));
	assert_false(name_clean(out, sizeof(out), big, 256, NAME_TEXT_MAX));
	/* an output buffer that cannot hold max bytes is a caller bug: refused */
	assert_false(name_clean(out, 10, "short", 5, NAME_LABEL_MAX));
}

static void test_order_parse(void **state)
{
	(void)state;
	struct names_order o, def;
	char err[128], text[NAMES_ORDER_TEXT_MAX];

	names_order_default(&def);
	names_order_format(&def, text, sizeof(text));
	assert_string_equal(text, NAMES_ORDER_DEFAULT);
	assert_int_equal(names_order_parse(NAMES_ORDER_DEFAULT, &o, err, sizeof(err)), 0);
	assert_memory_equal(&o, &def, sizeof(o));
	assert_int_equal(names_order_parse("mdns,dhcp", &o, err, sizeof(err)), 0);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.src[0], NAME_SRC_MDNS);
	assert_int_equal(o.src[1], NAME_SRC_DHCP);
	assert_int_equal(names_order_parse("  netbios  ,\tdns ", &o, err, sizeof(err)), 0);
	names_order_format(&o, text, sizeof(text));
	assert_string_equal(text, "netbios, dns");

	static const struct { const char *in, *why; } bad[] = {
		{ "", "empty list" }, { "  ", "empty list" },
		{ "dns,", "empty item" }, { ",dns", "empty item" }, { "dns,,dhcp", "empty item" },
		{ "dns, wins", "unknown name source 'wins'" }, { "DNS", "unknown name source 'DNS'" },
		{ "dhcp, mdns, dhcp", "'dhcp' listed twice" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct names_order keep = def;
		err[0] = '\0';
		assert_int_equal(names_order_parse(bad[i].in, &keep, err, sizeof(err)), -1);
		if (!strstr(err, bad[i].why))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i].in, err, bad[i].why);
		assert_memory_equal(&keep, &def, sizeof(keep));  /* unchanged on error */
	}
}

static void test_pick_by_order(void **state)
{
	(void)state;
	struct device_names d;
	struct names_order o;
	enum name_source src;
	char err[64];

	memset(&d, 0, sizeof(d));
	names_order_default(&o);
	assert_string_equal(names_pick(&d, &o, &src), "");
	assert_int_equal(src, NAME_SRC_NONE);
	assert_string_equal(names_source_name(src), "");

	assert_int_equal(names_observe(&d, NAME_SRC_NETBIOS, "DESKTOP-4F2K9QX", 10), 1);
	assert_string_equal(names_pick(&d, &o, &src), "DESKTOP-4F2K9QX");
	assert_string_equal(names_source_name(src), "netbios");
	assert_int_equal(names_observe(&d, NAME_SRC_MDNS, "desktop", 11), 1);
	assert_string_equal(names_pick(&d, &o, &src), "desktop");
	assert_int_equal(names_observe(&d, NAME_SRC_DHCP, "DESKTOP-4F2K9QX", 12), 1);
	assert_string_equal(names_pick(&d, &o, &src), "DESKTOP-4F2K9QX");
	assert_int_equal(src, NAME_SRC_DHCP);
	/* reverse DNS, when it answers, is deviceName's original meaning */
	assert_int_equal(names_observe(&d, NAME_SRC_DNS, "desktop.corp.example.com", 13), 1);
	assert_string_equal(names_pick(&d, &o, &src), "desktop.corp.example.com");
	assert_string_equal(names_source_name(src), "dns");
	/* the PTR goes away (NXDOMAIN, or the address changed): next source */
	names_forget(&d, NAME_SRC_DNS);
	assert_string_equal(names_pick(&d, &o, &src), "DESKTOP-4F2K9QX");
	assert_int_equal(src, NAME_SRC_DHCP);
	/* a configured order that prefers mDNS and ignores the rest */
	assert_int_equal(names_order_parse("mdns", &o, err, sizeof(err)), 0);
	assert_string_equal(names_pick(&d, &o, &src), "desktop");
	names_forget(&d, NAME_SRC_MDNS);
	assert_string_equal(names_pick(&d, &o, &src), "");
	assert_int_equal(src, NAME_SRC_NONE);
	/* NULL src is allowed */
	names_order_default(&o);
	assert_string_equal(names_pick(&d, &o, NULL), "DESKTOP-4F2K9QX");
}

static void test_every_name_kept_newest_wins(void **state)
{
	(void)state;
	struct device_names d;
	struct names_order o;
	enum name_source src;
	const char *list[NAMES_KEEP + 2];

	memset(&d, 0, sizeof(d));
	names_order_default(&o);
	assert_int_equal(names_observe(&d, NAME_SRC_DHCP, "old-name", 1), 1);
	assert_int_equal(names_observe(&d, NAME_SRC_DHCP, "new-name", 5), 1);
	assert_string_equal(names_pick(&d, &o, &src), "new-name");
	/* seeing the old one again makes it the newest, without a second copy */
	assert_int_equal(names_observe(&d, NAME_SRC_DHCP, "old-name", 9), 0);
	assert_string_equal(names_pick(&d, &o, &src), "old-name");
	assert_int_equal(names_list(&d, NAME_SRC_DHCP, list, NAMES_KEEP + 2), 2);
	assert_string_equal(list[0], "old-name");
	assert_string_equal(list[1], "new-name");
	/* a late, out-of-order report does not move time backwards */
	assert_int_equal(names_observe(&d, NAME_SRC_DHCP, "old-name", 2), 0);
	assert_string_equal(names_pick(&d, &o, &src), "old-name");

	/* beyond NAMES_KEEP the least recently seen goes */
	char name[16];
	for (int i = 0; i < NAMES_KEEP; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		assert_int_equal(names_observe(&d, NAME_SRC_MDNS, name, (uint64_t)(100 + i)), 1);
	}
	assert_int_equal(names_observe(&d, NAME_SRC_MDNS, "n0", 200), 0);  /* n1 is now oldest */
	assert_int_equal(names_observe(&d, NAME_SRC_MDNS, "fresh", 201), 1);
	assert_int_equal(names_list(&d, NAME_SRC_MDNS, list, NAMES_KEEP + 2), NAMES_KEEP);
	assert_string_equal(list[0], "fresh");
	assert_string_equal(list[1], "n0");
	for (int i = 0; i < NAMES_KEEP; i++)
		assert_string_not_equal(list[i], "n1");
	/* max bounds the list */
	assert_int_equal(names_list(&d, NAME_SRC_MDNS, list, 1), 1);
	assert_int_equal(names_list(&d, NAME_SRC_COUNT, list, 4), 0);
}

static void test_observe_refuses(void **state)
{
	(void)state;
	struct device_names d;
	char big[NAME_TEXT_MAX + 2];

	memset(&d, 0, sizeof(d));
	memset(big, 'a', sizeof(big));
	big[NAME_LABEL_MAX + 1] = '\0';                     /* 64 bytes */
	assert_int_equal(names_observe(&d, NAME_SRC_DHCP, big, 1), -1);
	assert_int_equal(names_observe(&d, NAME_SRC_DNS, big, 1), 1);  /* DNS names may be longer */
	big[NAME_LABEL_MAX + 1] = 'a';
	big[NAME_TEXT_MAX] = '\0';                          /* 255 bytes */
	assert_int_equal(names_observe(&d, NAME_SRC_DNS, big, 1), 1);
	big[NAME_TEXT_MAX] = 'a';
	big[NAME_TEXT_MAX + 1] = '\0';                      /* 256 bytes */
	assert_int_equal(names_observe(&d, NAME_SRC_DNS, big, 1), -1);
	assert_int_equal(names_observe(&d, NAME_SRC_MDNS, "", 1), -1);
	assert_int_equal(names_observe(&d, NAME_SRC_MDNS, "tab\there", 1), -1);
	assert_int_equal(names_observe(&d, NAME_SRC_MDNS, "\xc3(", 1), -1);
	assert_int_equal(names_observe(&d, NAME_SRC_MDNS, NULL, 1), -1);
	assert_int_equal(names_observe(&d, NAME_SRC_COUNT, "x", 1), -1);
	assert_int_equal(d.count[NAME_SRC_MDNS], 0);
	assert_int_equal(names_source_max(NAME_SRC_NETBIOS), NAME_LABEL_MAX);
}

/* The book: lookups by MAC among many, bounded, least recently touched
 * leaves when full. */
static void test_book(void **state)
{
	(void)state;
	struct names_book b;
	assert_int_equal(names_book_init(&b, 0), -1);
	assert_int_equal(names_book_init(&b, 100), 0);
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0 };
	/* inserted in a scrambled order: every one is found again */
	for (unsigned i = 0; i < 100; i++) {
		mac[4] = (uint8_t)((i * 37) % 100);
		struct device_names *n = names_book_get(&b, mac, i);
		assert_non_null(n);
		char nm[16];
		snprintf(nm, sizeof(nm), "h%u", (i * 37) % 100);
		assert_int_equal(names_observe(n, NAME_SRC_DHCP, nm, 1), 1);
	}
	assert_int_equal(b.n, 100);
	for (unsigned i = 0; i < 100; i++) {
		mac[4] = (uint8_t)i;
		const struct device_names *n = names_book_find(&b, mac);
		assert_non_null(n);
		char nm[16];
		snprintf(nm, sizeof(nm), "h%u", i);
		assert_string_equal(n->passive[NAME_SRC_DHCP - 1][0].name, nm);
	}
	/* touch all but the one inserted first (mac[4] 0 at time 0), then add a
	 * new MAC: that one leaves */
	for (unsigned i = 1; i < 100; i++) {
		mac[4] = (uint8_t)i;
		assert_non_null(names_book_get(&b, mac, 1000 + i));
	}
	mac[4] = 200;
	struct device_names *fresh = names_book_get(&b, mac, 2000);
	assert_non_null(fresh);
	assert_int_equal(fresh->count[NAME_SRC_DHCP], 0);       /* a new entry is empty */
	assert_int_equal(b.n, 100);
	assert_int_equal(b.evictions, 1);
	mac[4] = 0;
	assert_null(names_book_find(&b, mac));
	mac[4] = 1;
	assert_non_null(names_book_find(&b, mac));
	mac[4] = 200;
	assert_ptr_equal(names_book_find(&b, mac), fresh);
	names_book_free(&b);
}

static void test_fingerprint_format(void **state)
{
	(void)state;
	static const char *const good[] = { "1", "0", "255", "1,3,6,15,119,252", "0,255,1",
					    "1,28,2,3,15,6,119,12,44,47,26,121,42" };
	static const char *const bad[] = { "", ",", "1,", ",1", "1,,3", "01", "00", "256",
					   "1000", "1, 3", " 1", "1;3", "a", "1,3\n", "-1", "+1" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(name_fingerprint_ok(good[i], strlen(good[i])));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(name_fingerprint_ok(bad[i], strlen(bad[i])));
	/* n counts, not the NUL; NULL and too long refused */
	assert_true(name_fingerprint_ok("1,3,6x", 5));
	assert_false(name_fingerprint_ok(NULL, 1));
	char big[NAME_FINGERPRINT_MAX + 8];
	size_t o = 0;
	for (unsigned c = 100; o + 4 <= NAME_FINGERPRINT_MAX + 1; c++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, o ? ",%u" : "%u", c);
	assert_int_equal(o, NAME_FINGERPRINT_MAX);
	assert_true(name_fingerprint_ok(big, o));
	snprintf(big + o, sizeof(big) - o, ",1");
	assert_false(name_fingerprint_ok(big, o + 2));
}

/* What a device says about itself: per field, the newest non-empty value
 * wins; a hostile set is refused whole. */
static void test_about(void **state)
{
	(void)state;
	struct device_names d;
	struct device_about a;
	memset(&d, 0, sizeof(d));
	memset(&a, 0, sizeof(a));
	assert_true(about_empty(&a));
	assert_true(about_ok(&a));
	snprintf(a.vendor_class, sizeof(a.vendor_class), "android-dhcp-14");
	snprintf(a.fingerprint, sizeof(a.fingerprint), "1,3,6,15,26,28,51,58,59,43,114");
	assert_int_equal(names_about(&d, &a), 2);
	assert_int_equal(names_about(&d, &a), 0);           /* the same again */
	memset(&a, 0, sizeof(a));
	snprintf(a.model, sizeof(a.model), "Pixel 8");
	assert_int_equal(names_about(&d, &a), 1);
	assert_string_equal(d.about.vendor_class, "android-dhcp-14");   /* kept */
	assert_string_equal(d.about.model, "Pixel 8");
	/* hostile: a control byte, broken UTF-8, a bad fingerprint, no NUL */
	struct device_about h = a;
	snprintf(h.vendor_class, sizeof(h.vendor_class), "evil\x1b[2J");
	assert_int_equal(names_about(&d, &h), -1);
	h = a;
	snprintf(h.hinfo_os, sizeof(h.hinfo_os), "LIN\xc3");
	assert_int_equal(names_about(&d, &h), -1);
	h = a;
	snprintf(h.fingerprint, sizeof(h.fingerprint), "1,3,,6");
	assert_int_equal(names_about(&d, &h), -1);
	h = a;
	memset(h.hinfo_cpu, 'c', sizeof(h.hinfo_cpu));
	assert_int_equal(names_about(&d, &h), -1);
	assert_string_equal(d.about.fingerprint, "1,3,6,15,26,28,51,58,59,43,114");
	assert_string_equal(d.about.hinfo_cpu, "");
	/* a new value replaces the old */
	memset(&a, 0, sizeof(a));
	snprintf(a.vendor_class, sizeof(a.vendor_class), "MSFT 5.0");
	assert_int_equal(names_about(&d, &a), 1);
	assert_string_equal(d.about.vendor_class, "MSFT 5.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_book),
		cmocka_unit_test(test_name_clean),
		cmocka_unit_test(test_order_parse),
		cmocka_unit_test(test_pick_by_order),
		cmocka_unit_test(test_every_name_kept_newest_wins),
		cmocka_unit_test(test_observe_refuses),
		cmocka_unit_test(test_fingerprint_format),
		cmocka_unit_test(test_about),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* prometheus: and otlp: render from the reporter's state (snapshot_devices()
 * and snapshot_build()'s object), not from the payload line. The payload of
 * the same cycle is the reference: rendered from it (parsed back, the path
 * the tools use), both outputs must come out byte for byte the same, and
 * their values must be the payload's. Hostile strings stay escaped and valid
 * on the direct path too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arpfeed.h"
#include "reporter/names.h"
#include "reporter/otlp.h"
#include "reporter/prom.h"
#include "reporter/snapshot.h"
#include "sched.h"
#include "text.h"
#include "wire.h"

struct cycle {
	struct netmon_config cfg;
	struct reporter_state st;
	struct snapshot_clock clk;
	json_t *snap;
	char *text;
	size_t len;
};

/* capd devices (IPv4, IPv6, a counter above 2^53), arpd devices joined with
 * some of them, one only arpd knows, names with quotes, backslashes and
 * UTF-8, a vendor with a quote, one device without vendor or name. */
static void cycle_make(struct cycle *c)
{
	memset(c, 0, sizeof(*c));
	config_defaults(&c->cfg);
	snprintf(c->cfg.server_id, sizeof(c->cfg.server_id), "srv \"1\"\\");
	assert_int_equal(state_init(&c->st, 64), 0);
	c->st.totals_since_real_ns = 1796000000ULL * NSEC_PER_SEC;
	for (unsigned i = 0; i < 6; i++) {
		struct wire_device d = { .created = 1, .rx_bytes = 1000 + i, .tx_bytes = 2000 + i,
					 .rx_packets = 10 + i, .tx_packets = 20 + i };
		if (i % 2 == 0) {
			d.kind = WIRE_KEY_IPV4;
			memcpy(d.addr, (uint8_t[]){ 198, 18, 0, (uint8_t)(10 + i) }, 4);
		} else {
			d.kind = WIRE_KEY_IPV6;
			memcpy(d.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0", 15);
			d.addr[15] = (uint8_t)i;
		}
		if (i == 4)
			d.rx_bytes = 9007199254740993ULL;     /* 2^53 + 1: exact or wrong */
		devtab_update(&c->st.devices, 1, &d, 1);
	}
	devtab_mark_window(&c->st.devices);

	struct wire_arp_device a[3];
	arpfeed_device(&a[0], (uint8_t[]){ 198, 18, 0, 10 }, 10, "ACME \"Labs\"");
	snprintf(a[0].names[1].name, sizeof(a[0].names[1].name), "k\xc3\xbc" "che \"pi\"\\");
	arpfeed_device(&a[1], (uint8_t[]){ 198, 18, 0, 12 }, 12, "");
	a[1].nnames = 0;
	a[1].flags = WIRE_ARP_SEEN_SWEEP;                  /* inactive */
	arpfeed_device(&a[2], (uint8_t[]){ 198, 18, 0, 99 }, 99, "Only Arpd");
	assert_int_equal(arpfeed(&c->st.arp, a, 3, 1), 0);
	/* reverse DNS answers for one: it wins by default */
	struct device_names *n = names_book_get(&c->st.arp.names, a[2].mac, 5);
	assert_non_null(n);
	assert_int_equal(names_observe(n, NAME_SRC_DNS, "printer.lan.example", 1), 1);

	c->clk = (struct snapshot_clock){ .window_start_mono_ns = 10 * NSEC_PER_SEC,
					  .window_end_mono_ns = 12 * NSEC_PER_SEC,
					  .reporter_start_mono_ns = 1 * NSEC_PER_SEC,
					  .window_start_real_ns = 1796054400ULL * NSEC_PER_SEC,
					  .window_end_real_ns = 1796054402ULL * NSEC_PER_SEC };
	c->snap = snapshot_build(&c->cfg, &c->st, &c->clk, "00000000-0000-4000-8000-000000000000");
	assert_non_null(c->snap);
	c->text = snapshot_text(&c->cfg, c->snap, &c->st, &c->clk, &c->len);
	assert_non_null(c->text);
}

static void cycle_free(struct cycle *c)
{
	free(c->text);
	json_decref(c->snap);
	state_free(&c->st);
}

/* Both outputs of one line, as the reporter renders them. */
static void render_line(struct snapshot_line *l, char **prom, char **otlp)
{
	const struct metric_source *src = snapshot_line_metrics(l);
	assert_non_null(src);
	struct textbuf p = { 0 }, o = { 0 };
	assert_true(prom_render_buf(&p, src));
	assert_true(otlp_serialize_buf(&o, src));
	tb_put(&p, "", 1);
	tb_put(&o, "", 1);
	assert_false(p.failed || o.failed);
	*prom = p.p;
	*otlp = o.p;
}

static void test_same_as_from_payload(void **state)
{
	(void)state;
	struct cycle c;
	cycle_make(&c);
	struct snapshot_line direct = { .text = c.text, .len = c.len, .snap = c.snap, .cfg = &c.cfg,
					.st = &c.st, .clk = &c.clk };
	struct snapshot_line parsed = { .text = c.text, .len = c.len };   /* no state: parsed */
	/* as the reporter makes it: with a metric output, the view comes with the text */
	struct netmon_config with_prom = c.cfg;
	with_prom.n_outputs = 1;
	with_prom.outputs[0].kind = OUTPUT_PROMETHEUS;
	struct snapshot_line made;
	assert_int_equal(snapshot_line_make(&made, &with_prom, c.snap, &c.st, &c.clk), 0);
	assert_true(made.devices_ready);
	assert_int_equal(made.len, c.len);
	assert_memory_equal(made.text, c.text, c.len);
	struct snapshot_line no_metrics;
	assert_int_equal(snapshot_line_make(&no_metrics, &c.cfg, c.snap, &c.st, &c.clk), 0);
	assert_false(no_metrics.devices_ready);      /* stdout only: no view made */
	snapshot_line_release(&no_metrics);

	char *dp, *dotlp, *pp, *potlp, *mp, *motlp;
	render_line(&direct, &dp, &dotlp);
	render_line(&parsed, &pp, &potlp);
	render_line(&made, &mp, &motlp);
	/* the direct paths really did not parse the line */
	assert_null(direct.parsed);
	assert_null(made.parsed);
	assert_non_null(parsed.parsed);
	assert_int_equal(direct.devices.n, 7);
	assert_int_equal(made.devices.n, 7);
	assert_string_equal(dp, pp);
	assert_string_equal(dotlp, potlp);
	assert_string_equal(mp, pp);
	assert_string_equal(motlp, potlp);
	free(mp);
	free(motlp);
	snapshot_line_release(&direct);
	snapshot_line_release(&parsed);
	snapshot_line_release(&made);

	/* and the values are the payload's: every device's counters and status */
	json_t *payload = json_loads(c.text, 0, NULL);
	assert_non_null(payload);
	json_t *devs = json_object_get(json_object_get(payload, "network"), "connectedDevices");
	assert_int_equal(json_array_size(devs), 7);
	size_t i;
	json_t *d;
	json_array_foreach(devs, i, d) {
		const char *ip = json_string_value(json_object_get(d, "ip"));
		const char *mac = json_string_value(json_object_get(d, "mac"));
		json_t *bw = json_object_get(d, "bandwidth");
		char want[512];
		/* the labels as prometheus escapes them: only these fixtures' quotes and backslashes */
		char name[128] = "", vendor[128] = "";
		const char *src[2] = { json_string_value(json_object_get(d, "deviceName")),
				       json_string_value(json_object_get(d, "vendor")) };
		char *dst[2] = { name, vendor };
		for (int k = 0; k < 2; k++)
			for (size_t j = 0, o = 0; src[k] && src[k][j] && o + 2 < 128; j++) {
				if (src[k][j] == '"' || src[k][j] == '\\')
					dst[k][o++] = '\\';
				dst[k][o++] = src[k][j];
			}
		snprintf(want, sizeof(want),
			 "\nnetmon_device_bytes_total{ip=\"%s\",mac=\"%s\",name=\"%s\",vendor=\"%s\","
			 "direction=\"rx\"} %lld\n", ip, mac, name, vendor,
			 (long long)json_integer_value(json_object_get(bw, "rxBytesTotal")));
		if (!strstr(dp, want))
			fail_msg("missing %s in:\n%s", want, dp);
		snprintf(want, sizeof(want),
			 "\nnetmon_device_packets_total{ip=\"%s\",mac=\"%s\",name=\"%s\",vendor=\"%s\","
			 "direction=\"tx\"} %lld\n", ip, mac, name, vendor,
			 (long long)json_integer_value(json_object_get(bw, "txPacketsTotal")));
		if (!strstr(dp, want))
			fail_msg("missing %s", want);
		snprintf(want, sizeof(want),
			 "\nnetmon_device_active{ip=\"%s\",mac=\"%s\",name=\"%s\",vendor=\"%s\"} %d\n", ip,
			 mac, name, vendor,
			 strcmp(json_string_value(json_object_get(d, "status")), "active") == 0);
		if (!strstr(dp, want))
			fail_msg("missing %s", want);
	}
	assert_non_null(strstr(dp, "} 9007199254740993\n"));
	assert_non_null(strstr(dp, "name=\"printer.lan.example\""));
	assert_non_null(strstr(dp, "name=\"k\xc3\xbc" "che \\\"pi\\\"\\\\\""));
	assert_non_null(strstr(dotlp, "\"asInt\":\"9007199254740993\""));
	json_t *req = json_loads(dotlp, 0, NULL);
	assert_non_null(req);
	json_decref(req);
	json_decref(payload);
	free(dp);
	free(dotlp);
	free(pp);
	free(potlp);
	cycle_free(&c);
}

/* The view carries every field the device rows read: a row whose value or
 * label the view does not know would silently lose its samples. */
static void test_view_has_every_device_field(void **state)
{
	(void)state;
	int rows = 0;
	for (size_t i = 0; i < metric_rows_n; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (!r->each || strcmp(r->each, METRIC_DEVICES) != 0)
			continue;
		rows++;
		const char *const *fields = r->equals ? metric_dev_str_fields : metric_dev_num_fields;
		int n = r->equals ? MDEV_NSTR : MDEV_NNUM, found = 0;
		for (int k = 0; k < n; k++)
			found += r->value && strcmp(fields[k], r->value) == 0;
		if (r->value && found != 1)
			fail_msg("%s: the device view has no field %s", r->prom, r->value);
		for (int l = 0; l < METRIC_MAX_LABELS; l++) {
			const struct metric_label *lab = &r->labels[l];
			if ((!lab->prom && !lab->otel) || lab->prom_value || lab->otel_value)
				continue;
			found = 0;
			for (int k = 0; k < MDEV_NSTR; k++)
				found += lab->path && strcmp(metric_dev_str_fields[k], lab->path) == 0;
			if (found != 1)
				fail_msg("%s: the device view has no label field %s", r->prom,
					 lab->path ? lab->path : "(key)");
		}
	}
	assert_true(rows >= 5);
}

/* Strings the view holds are not trusted either: a byte that is not UTF-8
 * becomes U+FFFD in prometheus (its format is UTF-8), control bytes and
 * quotes are escaped in both, and both stay parseable. */
static void test_hostile_strings_direct(void **state)
{
	(void)state;
	json_t *snap = json_loads("{\"snapshotTime\":\"2026-11-30T12:00:05.000Z\",\"serverId\":\"s\"}",
				  0, NULL);
	assert_non_null(snap);
	struct metric_devices devs = { 0 };
	assert_int_equal(metric_devices_reset(&devs, 1), 0);
	struct metric_device *m = metric_devices_add(&devs);
	assert_non_null(m);
	assert_null(metric_devices_add(&devs));            /* no room beyond the reserved */
	metric_str_set(&m->str[MDEV_IP], "198.18.0.1");
	metric_str_set(&m->str[MDEV_MAC], "02:00:00:00:00:01");
	metric_str_set(&m->str[MDEV_NAME], "a\"b\\c\nd\x01\xff\xc3(");
	metric_str_set(&m->str[MDEV_VENDOR], "\xe2\x82\xac uro");
	metric_str_set(&m->str[MDEV_STATUS], "active");
	assert_false(m->str[MDEV_NAME].plain);
	assert_true(m->str[MDEV_IP].plain);
	m->num[MDEV_RX_BYTES] = (struct metric_num){ MNUM_INT, { .i = 5 } };
	const struct metric_source src = { snap, &devs };
	struct textbuf p = { 0 }, o = { 0 };
	assert_true(prom_render_buf(&p, &src));
	assert_true(otlp_serialize_buf(&o, &src));
	tb_put(&p, "", 1);
	tb_put(&o, "", 1);
	if (!strstr(p.p, "name=\"a\\\"b\\\\c\\nd\x01\xef\xbf\xbd\xef\xbf\xbd(\",vendor=\"\xe2\x82\xac uro\","
		    "direction=\"rx\"} 5\n"))
		fail_msg("not escaped:\n%s", p.p);
	assert_true(text_utf8_valid(p.p));
	/* no raw newline inside a sample line */
	for (char *line = p.p; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(line[0] == '#' || (line[0] >= 'a' && line[0] <= 'z'));
		line = nl + 1;
	}
	assert_non_null(strstr(o.p, "a\\\"b\\\\c\\u000ad\\u0001\xef\xbf\xbd\xef\xbf\xbd(\""));
	json_t *req = json_loads(o.p, 0, NULL);         /* jansson refuses invalid UTF-8 */
	assert_non_null(req);
	json_decref(req);
	assert_null(strchr(o.p, '\n'));
	tb_free(&p);
	tb_free(&o);
	metric_devices_free(&devs);
	json_decref(snap);
}

/* A line that does not parse, without state: no metrics, no crash. */
static void test_unparsable_line(void **state)
{
	(void)state;
	struct snapshot_line l = { .text = "{\"net", .len = 5 };
	assert_null(snapshot_line_metrics(&l));
	assert_null(snapshot_line_metrics(&l));
	snapshot_line_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_from_payload),
		cmocka_unit_test(test_view_has_every_device_field),
		cmocka_unit_test(test_hostile_strings_direct),
		cmocka_unit_test(test_unparsable_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

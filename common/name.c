#include "name.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

bool name_clean(char *out, size_t outsz, const void *in, size_t n, size_t max)
{
	const unsigned char *p = in;

	if (outsz == 0)
		return false;
	out[0] = '\0';
	if (outsz <= max || (p == NULL && n > 0))
		return false;
	while (n > 0 && p[n - 1] == '\0')
		n--;
	while (n > 0 && p[n - 1] == ' ')
		n--;
	while (n > 0 && p[0] == ' ') {
		p++;
		n--;
	}
	if (n == 0 || n > max || !text_clean(p, n))
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

bool name_fingerprint_ok(const char *s, size_t n)
{
	size_t digits = 0;
	unsigned code = 0;

	if (s == NULL || n == 0 || n > NAME_FINGERPRINT_MAX)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == ',') {
			if (digits == 0 || code > 255)
				return false;       /* empty item, or not an option code */
			digits = 0;
			code = 0;
		} else if (s[i] >= '0' && s[i] <= '9') {
			if (digits == 1 && code == 0)
				return false;       /* a leading zero: one spelling per list */
			code = code * 10 + (unsigned)(s[i] - '0');
			if (++digits > 3)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

bool about_empty(const struct device_about *a)
{
	return !a->vendor_class[0] && !a->fingerprint[0] && !a->model[0] && !a->hinfo_cpu[0] &&
	       !a->hinfo_os[0];
}

/* A field: NUL within its buffer, clean text when not empty. */
static bool field_ok(const char *f, size_t size)
{
	size_t n = strnlen(f, size);
	return n < size && (n == 0 || text_clean(f, n));
}

bool about_ok(const struct device_about *a)
{
#define FIELD_OK(f) field_ok((f), sizeof(f))
	return FIELD_OK(a->vendor_class) && FIELD_OK(a->fingerprint) && FIELD_OK(a->model) &&
	       FIELD_OK(a->hinfo_cpu) && FIELD_OK(a->hinfo_os) &&
	       (!a->fingerprint[0] || name_fingerprint_ok(a->fingerprint, strlen(a->fingerprint)));
#undef FIELD_OK
}

static int take(char *have, const char *in)
{
	if (in[0] == '\0' || strcmp(have, in) == 0)
		return 0;
	memcpy(have, in, strlen(in) + 1);
	return 1;
}

int about_merge(struct device_about *have, const struct device_about *in)
{
	return take(have->vendor_class, in->vendor_class) +
	       take(have->fingerprint, in->fingerprint) + take(have->model, in->model) +
	       take(have->hinfo_cpu, in->hinfo_cpu) + take(have->hinfo_os, in->hinfo_os);
}

static const char *const source_names[NAME_SRC_COUNT] = { "dns", "dhcp", "mdns", "netbios" };

const char *names_source_name(enum name_source s)
{
	return (unsigned)s < NAME_SRC_COUNT ? source_names[s] : "";
}

size_t names_source_max(enum name_source s)
{
	return s == NAME_SRC_DNS ? NAME_TEXT_MAX : NAME_LABEL_MAX;
}

void names_order_default(struct names_order *o)
{
	o->n = NAME_SRC_COUNT;
	for (unsigned i = 0; i < NAME_SRC_COUNT; i++)
		o->src[i] = (enum name_source)i;
}

int names_order_parse(const char *text, struct names_order *o, char *err, size_t errlen)
{
	struct names_order r = { 0 };
	const char *p = text;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *start = p;
		while (*p && *p != ',')
			p++;
		const char *end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		size_t len = (size_t)(end - start);
		if (len == 0) {
			snprintf(err, errlen, r.n == 0 && *p == '\0' ?
				 "empty list (resolve_names = no turns names off)" :
				 "empty item in the list");
			return -1;
		}
		unsigned s;
		for (s = 0; s < NAME_SRC_COUNT; s++)
			if (strlen(source_names[s]) == len && memcmp(source_names[s], start, len) == 0)
				break;
		if (s == NAME_SRC_COUNT) {
			snprintf(err, errlen, "unknown name source '%.*s' (sources: dns, dhcp, mdns, netbios)",
				 (int)(len > 32 ? 32 : len), start);
			return -1;
		}
		for (unsigned i = 0; i < r.n; i++)
			if (r.src[i] == (enum name_source)s) {
				snprintf(err, errlen, "name source '%s' listed twice", source_names[s]);
				return -1;
			}
		r.src[r.n++] = (enum name_source)s;
		if (*p == '\0')
			break;
		p++;                        /* the comma */
	}
	*o = r;
	return 0;
}

void names_order_format(const struct names_order *o, char *out, size_t outsz)
{
	size_t used = 0;
	if (outsz == 0)
		return;
	out[0] = '\0';
	for (unsigned i = 0; i < o->n && i < NAME_SRC_COUNT; i++) {
		int w = snprintf(out + used, outsz - used, "%s%s", i ? ", " : "",
				 names_source_name(o->src[i]));
		if (w < 0 || (size_t)w >= outsz - used)
			return;
		used += (size_t)w;
	}
}

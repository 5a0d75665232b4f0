#include "names.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

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

/* Slot i of source s: its name buffer (size *cap) and its time. */
static char *slot(struct device_names *d, enum name_source s, unsigned i, size_t *cap,
		  uint64_t **seen)
{
	if (s == NAME_SRC_DNS) {
		*cap = sizeof(d->dns[i].name);
		*seen = &d->dns[i].seen;
		return d->dns[i].name;
	}
	*cap = sizeof(d->passive[s - 1][i].name);
	*seen = &d->passive[s - 1][i].seen;
	return d->passive[s - 1][i].name;
}

static const char *slot_c(const struct device_names *d, enum name_source s, unsigned i,
			  uint64_t *seen)
{
	if (s == NAME_SRC_DNS) {
		*seen = d->dns[i].seen;
		return d->dns[i].name;
	}
	*seen = d->passive[s - 1][i].seen;
	return d->passive[s - 1][i].name;
}

int names_observe(struct device_names *d, enum name_source s, const char *name, uint64_t now)
{
	if ((unsigned)s >= NAME_SRC_COUNT || name == NULL)
		return -1;
	size_t len = strnlen(name, NAME_TEXT_MAX + 1);
	if (len == 0 || len > names_source_max(s) || !text_clean(name, len))
		return -1;

	unsigned n = d->count[s] <= NAMES_KEEP ? d->count[s] : NAMES_KEEP, victim = 0;
	uint64_t oldest = UINT64_MAX, *seen;
	size_t cap;
	for (unsigned i = 0; i < n; i++) {
		char *have = slot(d, s, i, &cap, &seen);
		if (strcmp(have, name) == 0) {
			if (now > *seen)
				*seen = now;
			return 0;
		}
		if (*seen < oldest) {
			oldest = *seen;
			victim = i;
		}
	}
	if (n < NAMES_KEEP) {
		victim = n;
		d->count[s] = (uint8_t)(n + 1);
	}
	char *dst = slot(d, s, victim, &cap, &seen);
	memcpy(dst, name, len);
	dst[len] = '\0';
	*seen = now;
	return 1;
}

void names_forget(struct device_names *d, enum name_source s)
{
	if ((unsigned)s >= NAME_SRC_COUNT)
		return;
	for (unsigned i = 0; i < NAMES_KEEP; i++) {
		size_t cap;
		uint64_t *seen;
		char *p = slot(d, s, i, &cap, &seen);
		memset(p, 0, cap);
		*seen = 0;
	}
	d->count[s] = 0;
}

/* Index of source s's most recently seen name (first kept wins a tie), or -1. */
static int newest(const struct device_names *d, enum name_source s)
{
	int best = -1;
	uint64_t best_seen = 0, seen;
	unsigned n = d->count[s] <= NAMES_KEEP ? d->count[s] : NAMES_KEEP;
	for (unsigned i = 0; i < n; i++) {
		(void)slot_c(d, s, i, &seen);
		if (best < 0 || seen > best_seen) {
			best = (int)i;
			best_seen = seen;
		}
	}
	return best;
}

const char *names_pick(const struct device_names *d, const struct names_order *o,
		       enum name_source *src)
{
	uint64_t seen;
	for (unsigned k = 0; k < o->n && k < NAME_SRC_COUNT; k++) {
		enum name_source s = o->src[k];
		if ((unsigned)s >= NAME_SRC_COUNT)
			continue;
		int i = newest(d, s);
		if (i >= 0) {
			if (src)
				*src = s;
			return slot_c(d, s, (unsigned)i, &seen);
		}
	}
	if (src)
		*src = NAME_SRC_NONE;
	return "";
}

size_t names_list(const struct device_names *d, enum name_source s, const char **out,
		  size_t max)
{
	if ((unsigned)s >= NAME_SRC_COUNT)
		return 0;
	unsigned n = d->count[s] <= NAMES_KEEP ? d->count[s] : NAMES_KEEP;
	unsigned idx[NAMES_KEEP];
	uint64_t when[NAMES_KEEP];
	for (unsigned i = 0; i < n; i++) {
		(void)slot_c(d, s, i, &when[i]);
		idx[i] = i;
	}
	/* insertion sort, newest first, stable (earlier slot first on ties) */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && when[idx[j]] > when[idx[j - 1]]; j--) {
			unsigned t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	size_t k = 0;
	uint64_t seen;
	for (; k < n && k < max; k++)
		out[k] = slot_c(d, s, idx[k], &seen);
	return k;
}

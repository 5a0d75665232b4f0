/*
 * Vendor names from the IEEE MA-L registry (Debian's ieee-data:
 * /usr/share/ieee-data/oui.csv), read once before the privilege drop into
 * one sorted array of 24-bit prefixes and one string pool; looked up by
 * binary search. Names are cut to OUI_NAME_MAX bytes on a UTF-8 boundary and
 * control characters dropped, since they end up in JSON.
 */
#ifndef ARPD_OUI_H
#define ARPD_OUI_H

#include <stddef.h>
#include <stdint.h>

#define OUI_DEFAULT_PATH "/usr/share/ieee-data/oui.csv"
#define OUI_NAME_MAX 63
#define OUI_FILE_MAX (16u * 1024 * 1024)

struct oui_entry {
	uint32_t prefix;            /* first three MAC bytes */
	uint32_t name_off;          /* into pool */
};

struct oui_table {
	struct oui_entry *v;
	size_t n;
	char *pool;
	size_t pool_len;
	size_t skipped;             /* lines that were not MA-L rows */
};

/* Parse CSV text (header line optional). 0, or -1 on allocation failure. */
int oui_parse(struct oui_table *t, const char *buf, size_t len);
/* Read and parse a file; -1 with a reason in err (the table is then empty). */
int oui_load(struct oui_table *t, const char *path, char *err, size_t errlen);
/* Vendor of a MAC, or NULL. */
const char *oui_lookup(const struct oui_table *t, const uint8_t mac[6]);
void oui_free(struct oui_table *t);

#endif

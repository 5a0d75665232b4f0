/*
 * config_parse_buffer() on arbitrary bytes. Beyond "no crash" it checks the
 * parser's promises: an error is one line naming the file, a failed parse
 * leaves the config untouched, and an accepted config prints as a config
 * that parses back to the same printed text (the --check-config round trip).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *print_config(const struct netmon_config *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		abort();
	config_print(c, f);
	if (fclose(f) != 0)
		abort();
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netmon_config *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	char err[512];
	size_t len1, len2;

	if (a == NULL || b == NULL)
		abort();
	config_defaults(a);
	char *before = print_config(a, &len1);
	if (config_parse_buffer(a, "fuzz.conf", (const char *)data, size, err, sizeof(err)) != 0) {
		if (strncmp(err, "fuzz.conf:", 10) != 0 || strchr(err, '\n') != NULL)
			abort();
		char *after = print_config(a, &len2);
		if (strcmp(before, after) != 0)
			abort();   /* a failed parse changed the config */
		free(after);
		goto out;
	}

	char *text = print_config(a, &len1);
	config_defaults(b);
	if (config_parse_buffer(b, "printed", text, len1, err, sizeof(err)) != 0) {
		fprintf(stderr, "printed config does not parse: %s\n%s", err, text);
		abort();
	}
	char *again = print_config(b, &len2);
	if (len1 != len2 || memcmp(text, again, len1) != 0) {
		fprintf(stderr, "round trip differs:\n%s---\n%s", text, again);
		abort();
	}
	free(text);
	free(again);
out:
	free(before);
	free(a);
	free(b);
	return 0;
}

/* Retry-After values straight from an untrusted API response. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../reporter/retry_after.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so reading past `size` is caught by ASan */
	char *v = malloc(size ? size : 1);
	if (!v)
		return 0;
	for (size_t i = 0; i < size; i++)
		v[i] = (char)data[i];
	uint32_t d = 0;
	if (retry_after_parse(v, size, 1796054400, &d) == 0 && d > RETRY_AFTER_MAX_S)
		abort();
	free(v);
	return 0;
}

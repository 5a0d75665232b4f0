/* An OTLP endpoint's answer to a POST (ExportMetricsServiceResponse): any
 * bytes, read only for partialSuccess. Never crashes, never reads past len,
 * and the message it hands to the log is printable ASCII within its bound. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../reporter/otlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so ASan sees a read past len */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	uint64_t rejected = 1;
	char msg[64];
	memset(msg, 'x', sizeof(msg));
	int rc = otlp_partial_success(copy, size, &rejected, msg, sizeof(msg));
	size_t n = strnlen(msg, sizeof(msg));
	if (n == sizeof(msg) || (rc != 0 && rc != 1) || (rc == 0 && rejected != 0))
		abort();
	for (size_t i = 0; i < n; i++)
		if (msg[i] < 0x20 || msg[i] > 0x7e)
			abort();
	free(copy);
	return 0;
}

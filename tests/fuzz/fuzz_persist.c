/* The reporter's state file (state_dir/reporter.state): written by the
 * reporter itself, but read back after crashes, disk errors and upgrades, so
 * it is parsed like untrusted input: whole or not at all. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../reporter/persist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	struct delivery d;
	memset(&d, 0, sizeof(d));
	d.n = 2;
	d.ch[0].kind = OUTPUT_HTTP;
	d.ch[1].kind = OUTPUT_OTLP;
	struct reporter_state fresh;
	if (state_init(&fresh, 64) != 0)
		abort();
	if (persist_decode(copy, size, &fresh, &d) == 0) {
		/* what was restored encodes again */
		size_t n = persist_encoded_size(&fresh);
		uint8_t *out = malloc(n);
		if (!out || persist_encode(&fresh, &d, out, n) != n)
			abort();
		free(out);
	}
	state_free(&fresh);
	free(copy);
	return 0;
}

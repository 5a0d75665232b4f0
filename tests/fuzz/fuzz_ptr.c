/* libFuzzer target: the reporter's reading of reverse DNS answers (untrusted:
 * whoever answers on the resolver's path). A name handed out is non-empty,
 * bounded and clean; a negative or failed answer hands out nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../reporter/resolver.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[NAME_TEXT_MAX + 1];
	uint32_t ttl;
	enum rdns_state st = rdns_parse_answer(data, size, name, sizeof(name), &ttl);
	size_t n = strnlen(name, sizeof(name));
	if (n == sizeof(name))
		abort();
	if (st == RDNS_NAME && (n == 0 || n > NAME_TEXT_MAX || !text_clean(name, n)))
		abort();
	if (st != RDNS_NAME && n != 0)
		abort();
	return 0;
}

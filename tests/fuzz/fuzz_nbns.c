/* libFuzzer target: arpd's NetBIOS name service parser on arbitrary UDP
 * payloads; every name handed out must be a clean NetBIOS name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "../../arpd/nbns.h"
#include "passive_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	through_passive(data, size, 137, 137);
	struct nbns_info nb;
	(void)nbns_parse(data, size, &nb);
	if (nb.n > NBNS_NAMES_MAX)
		abort();
	for (size_t i = 0; i < nb.n; i++) {
		size_t n = strlen(nb.names[i].name);
		if (n == 0 || n > NETBIOS_NAME_MAX || !text_clean(nb.names[i].name, n))
			abort();
	}
	return 0;
}

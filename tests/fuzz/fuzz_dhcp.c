/* libFuzzer target: arpd's DHCP request parser on arbitrary UDP payloads.
 * Beyond not crashing, every string it hands out must be a clean name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "../../arpd/dhcp.h"
#include "passive_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max || (n > 0 && !text_clean(s, n)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	through_passive(data, size, 68, 67);
	struct dhcp_info d;
	if (dhcp_parse(data, size, &d) != DHCP_OK)
		return 0;
	check(d.hostname, NAME_LABEL_MAX);
	check(d.vendor_class, NAME_TEXT_MAX);
	check(d.params, DHCP_PARAMS_TEXT_MAX);
	if (d.params[0] && !name_fingerprint_ok(d.params, strlen(d.params)))
		abort();
	check(d.fqdn, NAME_TEXT_MAX);
	return 0;
}

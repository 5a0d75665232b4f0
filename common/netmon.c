#include "netmon.h"

#include <stddef.h>

const char *role_name(int role)
{
	static const char *const names[ROLE_COUNT] = { "capd", "arpd", "sysd", "reporter" };
	if (role < 0 || role >= ROLE_COUNT)
		return NULL;
	return names[role];
}

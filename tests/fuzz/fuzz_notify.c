/*
 * The two values netmon takes from the service manager's environment:
 * $NOTIFY_SOCKET (notify_address) and $WATCHDOG_USEC (notify_watchdog_usec).
 * Beyond "no crash": an accepted address has the length rules of
 * sockaddr_un (a path keeps its NUL, an abstract name starts with NUL and has
 * none added), and an accepted period is exactly the decimal digits given and
 * still fits in nanoseconds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "notify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';          /* an environment value is a C string */
	size_t n = strlen(s);

	struct sockaddr_un sun;
	size_t len = notify_address(s, &sun);
	if (len != 0) {
		size_t path = len - offsetof(struct sockaddr_un, sun_path);
		if (len > sizeof(sun) || sun.sun_family != AF_UNIX)
			abort();
		if (s[0] == '@') {
			if (path != n || sun.sun_path[0] != '\0' || memcmp(sun.sun_path + 1, s + 1, n - 1) != 0)
				abort();
		} else if (s[0] != '/' || path != n + 1 || memcmp(sun.sun_path, s, n + 1) != 0) {
			abort();
		}
	}

	uint64_t usec = notify_watchdog_usec(s);
	if (usec != 0) {
		if (usec > UINT64_MAX / 1000 || n == 0 || n > 19 || strspn(s, "0123456789") != n ||
		    strtoull(s, NULL, 10) != usec)
			abort();
	}
	free(s);
	return 0;
}

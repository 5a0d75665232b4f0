#include "name.h"

#include <string.h>

#include "text.h"

bool name_clean(char *out, size_t outsz, const void *in, size_t n, size_t max)
{
	const unsigned char *p = in;

	if (outsz == 0)
		return false;
	out[0] = '\0';
	if (outsz <= max || (p == NULL && n > 0))
		return false;
	while (n > 0 && p[n - 1] == '\0')
		n--;
	while (n > 0 && p[n - 1] == ' ')
		n--;
	while (n > 0 && p[0] == ' ') {
		p++;
		n--;
	}
	if (n == 0 || n > max || !text_clean(p, n))
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

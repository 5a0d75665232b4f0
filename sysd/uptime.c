#include "uptime.h"

#include "log.h"
#include "scan.h"

int uptime_parse(const uint8_t *buf, size_t len, uint64_t *seconds)
{
	struct cursor c, line;
	double up, idle;
	cur_init(&c, buf, len);
	if (!scan_line(&c, &line) || !scan_decimal(&line, &up) || !scan_decimal(&line, &idle) ||
	    scan_blank(&line) || up > 1e15) {
		log_warnx("uptime: malformed, left out");
		return -1;
	}
	*seconds = (uint64_t)up;
	return 0;
}

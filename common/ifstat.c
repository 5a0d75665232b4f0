#include "ifstat.h"

#include <stdio.h>

double ifstat_utilization(double rx_bps, double tx_bps, uint64_t speed_mbps)
{
	if (speed_mbps == 0)
		return 0.0;
	double u = (rx_bps > tx_bps ? rx_bps : tx_bps) * 100.0 / ((double)speed_mbps * 1e6);
	return ifstat_round2(u);
}

double ifstat_round2(double v)
{
	if (!(v >= 0))
		return 0.0;
	if (v >= 1e15)
		return v;
	return (double)(uint64_t)(v * 100.0 + 0.5) / 100.0;
}

uint64_t ifstat_round_u64(double v)
{
	if (!(v >= 0))
		return 0;
	if (v >= 18446744073709549568.0)   /* the largest double below 2^64 */
		return UINT64_MAX;
	return (uint64_t)(v + 0.5);
}

const char *ifstat_operstate_name(uint8_t state)
{
	static const char *const names[] = { "unknown", "notpresent", "down", "lowerlayerdown",
					     "testing", "dormant", "up" };
	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

void ifstat_format_mac(const uint8_t *mac, size_t len, char *buf, size_t n)
{
	size_t o = 0;
	if (n == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < len && o + (i ? 4 : 3) <= n; i++)
		o += (size_t)snprintf(buf + o, n - o, i ? ":%02x" : "%02x", mac[i]);
}

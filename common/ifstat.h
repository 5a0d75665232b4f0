/*
 * Interface figures shown the same way by netmon-sysd --dump and by the
 * reporter's snapshot (SPEC §7): utilization, operstate names, MAC text.
 */
#ifndef NETMON_IFSTAT_H
#define NETMON_IFSTAT_H

#include <stddef.h>
#include <stdint.h>

/* max(rx, tx) bits/s over the link speed x 100, two decimals; 0 when the
 * speed is unknown (0). */
double ifstat_utilization(double rx_bps, double tx_bps, uint64_t speed_mbps);
/* v rounded to two decimals, half up; for 0 <= v < 1e15 (percentages,
 * rates), without libm. Negative or huge input gives 0 / v unchanged. */
double ifstat_round2(double v);
/* A non-negative rate or count rounded to the nearest integer, saturating
 * at UINT64_MAX; 0 for negative input. */
uint64_t ifstat_round_u64(double v);
/* RFC 2863 operstate (IF_OPER_*) as the kernel names it; "unknown" above 6. */
const char *ifstat_operstate_name(uint8_t state);
/* "aa:bb:cc:dd:ee:ff" for any address length; "" for none. buf needs
 * 3 * len bytes (a shorter buffer gets as many whole bytes as fit). */
void ifstat_format_mac(const uint8_t *mac, size_t len, char *buf, size_t n);

#endif

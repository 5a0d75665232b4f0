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
/* RFC 2863 operstate (IF_OPER_*) as the kernel names it; "unknown" above 6. */
const char *ifstat_operstate_name(uint8_t state);
/* "aa:bb:cc:dd:ee:ff" for any address length; "" for none. buf needs
 * 3 * len bytes (a shorter buffer gets as many whole bytes as fit). */
void ifstat_format_mac(const uint8_t *mac, size_t len, char *buf, size_t n);

#endif

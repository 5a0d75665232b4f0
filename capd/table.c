/* capd's accounting table over common/keytab (see table.h). */
#include "table.h"

int capd_table_init(struct capd_table *t, uint32_t capacity, const uint64_t seed[2])
{
	return keytab_init(&t->kt, capacity, sizeof(struct capd_table_entry), seed);
}

int capd_table_init_random(struct capd_table *t, uint32_t capacity)
{
	return keytab_init_random(&t->kt, capacity, sizeof(struct capd_table_entry));
}

void capd_table_free(struct capd_table *t)
{
	keytab_free(&t->kt);
}

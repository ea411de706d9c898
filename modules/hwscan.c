/* sysfs walk for hwscan.h: /sys/bus/<bus>/devices/<dev>/modalias. */
#include "hwscan.h"

#include "../common/sysfs.h"

int mod_scan_modaliases(const char *root, void (*fn)(const char *modalias, void *ctx), void *ctx)
{
	return sysfs_modaliases(root, fn, ctx);
}

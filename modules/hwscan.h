/* The devices present: every modalias the kernel publishes in sysfs. Kept
 * apart from the matching (mod_index_match, pure) so tests can feed lists. */
#ifndef NFSINIT_HWSCAN_H
#define NFSINIT_HWSCAN_H

/* Where buses publish their devices; a test may point it elsewhere. */
#define MOD_SCAN_SYSFS_BUS   "/sys/bus"

/* sysfs_modaliases() (common/sysfs.h) over root, normally MOD_SCAN_SYSFS_BUS. */
int mod_scan_modaliases(const char *root, void (*fn)(const char *modalias, void *ctx), void *ctx);

#endif

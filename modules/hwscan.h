/* The devices present: every modalias the kernel publishes in sysfs. Kept
 * apart from the matching (mod_index_match, pure) so tests can feed lists. */
#ifndef NFSINIT_HWSCAN_H
#define NFSINIT_HWSCAN_H

/* Where buses publish their devices; a test may point it elsewhere. */
#define MOD_SCAN_SYSFS_BUS   "/sys/bus"
#define MOD_SCAN_ALIAS_MAX   512   /* one modalias line; the kernel's are under 256 */

/* Calls fn for each <root>/<bus>/devices/<dev>/modalias that reads as a
 * non-empty line. Returns the number of devices seen, or -errno when root
 * cannot be read. A device whose modalias cannot be read is passed over:
 * it may have gone away between readdir and open. */
int mod_scan_modaliases(const char *root, void (*fn)(const char *modalias, void *ctx), void *ctx);

#endif

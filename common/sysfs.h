/* The devices present: every modalias the kernel publishes in sysfs, for
 * /init's hardware scan and for the image builder's view of the host. */
#ifndef NFSINIT_SYSFS_H
#define NFSINIT_SYSFS_H

#define SYSFS_ALIAS_MAX 512   /* one modalias line; the kernel's are under 256 */

/* Calls fn for each <bus_root>/<bus>/devices/<dev>/modalias that reads as a
 * non-empty line. Returns the number of devices seen, or -errno when
 * bus_root cannot be read. A device whose modalias cannot be read is passed
 * over: it may have gone away between readdir and open. */
int sysfs_modaliases(const char *bus_root, void (*fn)(const char *modalias, void *ctx), void *ctx);

#endif

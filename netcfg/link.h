/* Network interfaces as /sys/class/net shows them: which exist, which one is
 * the root NIC, and whether it has carrier. */
#ifndef NFSINIT_LINK_H
#define NFSINIT_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/limits.h"


struct link_info {
	char name[NI_IFNAME_MAX];
	int ifindex;
	uint8_t mac[6];
	unsigned mtu;
};

/* Ethernet interfaces present now, lo excluded: up to max in out, and in
 * *more how many others did not fit. Returns the count in out or -errno. */
int link_list(struct link_info *out, int max, int *more);

/* Waits up to timeout_ms for the interfaces to choose from: the one named
 * device (when non-empty), else the one with MAC bootif (when non-NULL),
 * else every Ethernet interface present once the first appears. All of
 * them, up to NI_LINKS_MAX, are read before matching; more is said on the
 * console. Returns the count (>0) or -ENODEV after the timeout. */
int link_wait(const char *device, const uint8_t *bootif, unsigned timeout_ms,
	      struct link_info *out, int max);

/* 1 with carrier, 0 without (or while the link is down), -errno if gone. */
int link_carrier(const char *name);

/* Tests point the reader at a fake /sys/class/net; NULL = the real one. */
void link_sysfs_root(const char *dir);

/* "eth0, eth1" for messages. */
void link_names(const struct link_info *l, int n, char *out, size_t cap);

#endif

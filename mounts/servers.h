/* More than one NFS server for the root: a comma-separated list of IPv4
 * addresses ("10.0.0.1,10.0.0.2"). Each node starts at a server chosen by a
 * stable hash of its MAC, so a rack of nodes spreads over the servers, and
 * fails over to the next in the list when one does not answer. Pure: no I/O. */
#ifndef NFSINIT_SERVERS_H
#define NFSINIT_SERVERS_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/err.h"

#define NFS_SERVERS_MAX 8

struct nfs_servers {
	int n;
	char addr[NFS_SERVERS_MAX][INET_ADDRSTRLEN];
};

/* Splits list into s; every element must be a dotted IPv4 address. Returns 0,
 * or -EINVAL (empty, malformed element) / -E2BIG (more than NFS_SERVERS_MAX)
 * with the offending element in err. */
int nfs_servers_parse(const char *list, struct nfs_servers *s, struct err_reason *err);

/* FNV-1a (32 bit) over the 6 MAC bytes: stable across boots and builds,
 * documented so an administrator (and the boot test) can predict it. */
uint32_t nfs_servers_hash(const uint8_t mac[6]);

/* The order in which to try n servers: starting at hash % n, then onwards
 * with wrap-around. mac NULL (no lease) starts at the first. */
void nfs_servers_order(int n, const uint8_t *mac, int order[]);

#endif

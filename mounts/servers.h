/* The NFS server of the root, or several: a comma-separated list whose
 * elements are IPv4 addresses, IPv6 addresses in brackets ("[fd00::1]", as
 * in root=nfs:[fd00::1]:/srv/root) or host names ("nfs1.cluster.lan",
 * resolved when the mount is tried). Each node starts at a server chosen by
 * a stable hash of its MAC, so a rack of nodes spreads over the servers, and
 * fails over to the next in the list when one does not answer. Pure: no I/O. */
#ifndef NFSINIT_SERVERS_H
#define NFSINIT_SERVERS_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/err.h"
#include "../common/limits.h"

#define NFS_SERVERS_MAX 8

enum nfs_server_kind {
	NFS_SERVER_IPV4,
	NFS_SERVER_IPV6,
	NFS_SERVER_NAME,
};

struct nfs_servers {
	int n;
	enum nfs_server_kind kind[NFS_SERVERS_MAX];
	char addr[NFS_SERVERS_MAX][NI_HOST_MAX];  /* as written: IPv6 with its brackets */
};

/* Splits list into s. Returns 0, or -EINVAL (empty or malformed element: an
 * IPv6 address without brackets, a name that is not a host name, a dotted
 * number that is no IPv4 address) / -E2BIG (more than NFS_SERVERS_MAX) with
 * the offending element in err. */
int nfs_servers_parse(const char *list, struct nfs_servers *s, struct err_reason *err);

/* The address for mount(2)'s addr= option: server (an IPv4 address or a
 * bracketed IPv6 address) without its brackets. -EINVAL for anything else. */
int nfs_server_addr(const char *server, char *out, size_t cap);

/* FNV-1a (32 bit) over the 6 MAC bytes: stable across boots and builds,
 * documented so an administrator (and the boot test) can predict it. */
uint32_t nfs_servers_hash(const uint8_t mac[6]);

/* The order in which to try n servers: starting at hash % n, then onwards
 * with wrap-around. mac NULL (no lease) starts at the first. */
void nfs_servers_order(int n, const uint8_t *mac, int order[]);

#endif

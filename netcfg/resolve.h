/* A stub resolver for NFS server names: A and AAAA queries over UDP to the
 * DNS servers of the lease (or ip=), under a time bound. All its socket
 * calls are in resolve.c; the messages are common/dns_msg.c's. */
#ifndef NFSINIT_RESOLVE_H
#define NFSINIT_RESOLVE_H

#include <netinet/in.h>
#include <stdbool.h>
#include "../common/err.h"
#include "../common/limits.h"

#define RESOLVE_SERVERS_MAX (2 * NI_MAX_DNS)   /* IPv4 and IPv6 servers */
#define RESOLVE_RETRY_MS    1000               /* RFC 1123 6.1.3.3: retransmit after about a second */
#define RESOLVE_TEXT_MAX    (RESOLVE_SERVERS_MAX * (INET6_ADDRSTRLEN + 2))

struct resolve_conf {
	int n;
	struct sockaddr_in6 server[RESOLVE_SERVERS_MAX];  /* IPv4 ones as v4-mapped */
	bool want4, want6;     /* ask for A (the node has IPv4) / AAAA (it has IPv6) */
};

/* Adds an IPv4 or IPv6 server (family AF_INET: 4 bytes, AF_INET6: 16);
 * -E2BIG when full, and the same server twice is kept once. */
int resolve_add_server(struct resolve_conf *c, int family, const void *addr);

/* "10.0.0.1, fd00::53" into out (at least RESOLVE_TEXT_MAX), "none" when empty. */
void resolve_servers_text(const struct resolve_conf *c, char *out, size_t cap);

/* The address of name, A first when the node has IPv4 (then AAAA), as an
 * NFS server list element: "10.0.0.5" or "[fd00::5]". Asks every server at
 * once, again each RESOLVE_RETRY_MS, until timeout_ms. Returns 0, or with
 * the reason in err (naming the name and the servers asked): -ENOENT (no
 * such name, no address), -ETIMEDOUT (no answer), -ENONET (no DNS server),
 * -EIO (server failure or refusal), another -errno from a socket. */
int resolve_host(const struct resolve_conf *c, const char *name, unsigned timeout_ms, char *addr,
		 size_t cap, struct err_reason *err);

#endif

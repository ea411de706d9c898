/* The lease keeper: after the switch nobody else renews the root NIC's
 * lease (klibc never does), so a small process forked from /init does it at
 * T1 (unicast to the server) and T2 (broadcast), RFC 2131 4.4.5, and logs to
 * the kernel log. It steps aside when systemd-networkd takes the lease over,
 * and never removes the address: the root filesystem is mounted over it. */
#ifndef NFSINIT_LEASE_KEEPER_H
#define NFSINIT_LEASE_KEEPER_H

#include <stdint.h>
#include "netcfg.h"

#define KEEPER_ARGV0 "@nfsinit-lease"   /* '@': systemd's shutdown spares it */

struct keeper_opts {
	int max_renewals;     /* return 0 after this many ACKs; 0 = run forever */
	int proc_fd;          /* an open /proc, to see PID 1's root; -1 = no step-aside check */
};

/* Times of the next step, in ms after the lease was obtained (pure). */
struct keeper_times {
	long long t1, t2, end;
};
/* RFC 2131 4.4.5 defaults: T1 = 0.5 lease, T2 = 0.875 lease; a server's
 * T1/T2 are used when consistent (T1 < T2 < lease). Returns -ERANGE for an
 * infinite or zero lease (nothing to renew). */
int keeper_times(uint32_t lease_s, uint32_t t1_s, uint32_t t2_s, struct keeper_times *t);
/* The times after a renewal ACK carrying lease_s, t1_s, t2_s (options 51,
 * 58, 59, 0 = absent) for a lease that was prev_s long; *new_s gets the new
 * lease length. Returns 0, or -ERANGE when the lease is now infinite. */
int keeper_renewed_times(uint32_t lease_s, uint32_t t1_s, uint32_t t2_s, uint32_t prev_s,
			 uint32_t *new_s, struct keeper_times *t);
/* When to try again after a request at now (ms) that got no answer: half
 * the time left until limit, at least 60 s (RFC 2131 4.4.5), never past limit
 * unless limit has passed (then 60 s). */
long long keeper_retry_at(long long now, long long limit);

/* Renews l until opts->max_renewals ACKs, forever otherwise. Returns 0,
 * -ECANCELED when systemd-networkd holds the lease, or a socket error. */
int lease_keep(const struct net_lease *l, const struct keeper_opts *opts);

/* Forks the keeper (argv0 rewritten to start with '@', comm "nfsinit-lease").
 * The parent gets 0 or -errno; the child never returns. */
int lease_keeper_start(const struct net_lease *l, char *argv0);

#endif

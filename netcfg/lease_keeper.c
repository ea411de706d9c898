/* Lease renewal after the switch (see lease_keeper.h). The socket calls and
 * the process set-up are here; the timing rules are keeper_times() and
 * keeper_retry_at(), which are pure. */
#include "lease_keeper.h"
#include "dhcp6.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/log.h"
#include "dhcp_client.h"
#include "../common/remotelog.h"
#include "dhcp_msg.h"

#define RETRY_MIN_MS  60000LL   /* RFC 2131 4.4.5: never retransmit sooner than 60 s */
#define KEEPER_DEFAULT_LEASE_S 3600  /* a first ACK without option 51 (busybox udhcpc's choice) */
#define WAIT_REPLY_MS 4000      /* how long one request waits before the next step */

int keeper_times(uint32_t lease_s, uint32_t t1_s, uint32_t t2_s, struct keeper_times *t)
{
	long long lease = lease_s;
	if (lease_s == 0 || lease_s == 0xffffffffu)
		return -ERANGE;
	t->end = lease * 1000;
	t->t1 = t1_s && t1_s < lease_s ? t1_s * 1000LL : t->end / 2;
	t->t2 = t2_s && t2_s < lease_s ? t2_s * 1000LL : t->end * 7 / 8;
	if (t->t1 > t->t2)
		t->t1 = t->t2;
	return 0;
}

int keeper_renewed_times(uint32_t lease_s, uint32_t t1_s, uint32_t t2_s, uint32_t prev_s,
			 uint32_t *new_s, struct keeper_times *t)
{
	/* RFC 2131 table 3 makes option 51 a MUST in an ACK; one without it
	 * (or with 0) still confirms the address, so the lease goes on as long
	 * as it was. Only 0xffffffff means infinite (RFC 2132 9.2). */
	*new_s = lease_s ? lease_s : prev_s;
	return keeper_times(*new_s, t1_s, t2_s, t);
}

long long keeper_retry_at(long long now, long long limit)
{
	long long half = (limit - now) / 2;
	if (limit <= now)
		return now + RETRY_MIN_MS;
	if (half < RETRY_MIN_MS)
		half = RETRY_MIN_MS;
	return now + half < limit ? now + half : limit;
}

struct keeper {
	const struct net_lease *l;
	struct in_addr server;
	struct keeper_times t;
	uint32_t lease_s;      /* length of the current lease */
	long long since;       /* when the current lease began (ms since boot) */
	uint32_t xid;
	int fd;
};

static int open_socket(const char *ifname)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(DHCP_CLIENT_PORT) };
	int one = 1, fd, err;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* Bound to the interface: a rebinding broadcast must leave by the root
	 * NIC, and replies to port 68 on other NICs are not ours. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int send_request(struct keeper *k, bool broadcast, long long now)
{
	uint8_t buf[DHCP_MSG_MAX];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(DHCP_SERVER_PORT) };
	/* RFC 2131 4.3.2 RENEWING/REBINDING: ciaddr filled, no options 50/54. */
	struct dhcp_out o = { .type = DHCP_REQUEST, .ciaddr = k->l->addr, .vendor_class = "nfsinit",
			      .hostname = k->l->hostname };
	int len;

	if (getrandom(&k->xid, sizeof(k->xid), GRND_NONBLOCK) != (ssize_t)sizeof(k->xid))
		k->xid = (uint32_t)now * 2654435761u;
	o.xid = k->xid;
	memcpy(o.mac, k->l->mac, 6);
	len = dhcp_msg_build(&o, buf, sizeof(buf));
	if (len < 0)
		return len;
	to.sin_addr.s_addr = broadcast ? htonl(INADDR_BROADCAST) : k->server.s_addr;
	if (sendto(k->fd, buf, (size_t)len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

/* Waits up to ms for the answer to k->xid: 1 ACK (k updated), 0 nothing or
 * NAK, -errno. */
static int await_reply(struct keeper *k, int ms, long long sent_at)
{
	long long deadline = uptime_ms() + ms;
	uint8_t buf[DHCP_MSG_MAX];
	struct dhcp_reply r;
	char a[INET_ADDRSTRLEN];

	for (long long now = uptime_ms(); now < deadline; now = uptime_ms()) {
		struct pollfd p = { k->fd, POLLIN, 0 };
		ssize_t n;
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		n = recv(k->fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;
		if (dhcp_msg_parse(buf, (size_t)n, &r)) {
			logdbg("lease: %s: malformed DHCP reply dropped (option %u)", k->l->ifname,
			       r.bad_option);
			continue;
		}
		if (dhcp_reply_match(&r, k->xid, k->l->mac))
			continue;
		if (r.nskipped) {
			char who[NI_IFNAME_MAX + 8];
			snprintf(who, sizeof(who), "lease: %s", k->l->ifname);
			dhcp_log_skipped(who, &r);
		}
		if (r.type == DHCP_NAK) {
			logx("lease: %s: DHCPNAK for %s: keeping the address, the root is mounted over it",
			     k->l->ifname, inet_ntop(AF_INET, &k->l->addr, a, sizeof(a)));
			return 0;
		}
		if (r.type != DHCP_ACK)
			continue;
		if (r.yiaddr.s_addr != k->l->addr.s_addr) {
			logx("lease: %s: server offers %s instead of our address: ignored",
			     k->l->ifname, inet_ntop(AF_INET, &r.yiaddr, a, sizeof(a)));
			continue;
		}
		if (keeper_renewed_times(r.lease_secs, r.t1, r.t2, k->lease_s, &k->lease_s, &k->t)) {
			logx("lease: %s: lease is now infinite, nothing left to renew", k->l->ifname);
			k->t.t1 = k->t.t2 = k->t.end = -1;
		}
		/* RFC 2131 4.4.1: the lease runs from when the request was sent. */
		k->since = sent_at;
		if (r.server_id.s_addr)
			k->server = r.server_id;
		logx("lease: %s %s renewed for %u s (server %s)", k->l->ifname,
		     inet_ntop(AF_INET, &k->l->addr, a, sizeof(a)), k->lease_s,
		     inet_ntoa(k->server));
		return 1;
	}
	return 0;
}

/* systemd-networkd writes its lease for the interface under PID 1's /run. */
static bool networkd_holds(const struct keeper *k, int proc_fd)
{
	char path[64];
	struct stat st;
	if (proc_fd < 0)
		return false;
	snprintf(path, sizeof(path), "1/root/run/systemd/netif/leases/%d", k->l->ifindex);
	return fstatat(proc_fd, path, &st, 0) == 0;
}

static int keep_loop(struct keeper *k, const struct keeper_opts *o)
{
	int renewals = 0;
	long long next = k->since + k->t.t1;
	bool warned_expired = false;

	for (;;) {
		long long now = uptime_ms(), sent;
		int rc;
		if (k->t.end < 0)
			return 0;
		if (now < next) {
			(void)poll(NULL, 0, (int)(next - now > 3600000 ? 3600000 : next - now)); /* a sleep */
			continue;
		}
		if (networkd_holds(k, o->proc_fd)) {
			logx("lease: %s: systemd-networkd holds the lease now, stepping aside", k->l->ifname);
			return -ECANCELED;
		}
		bool rebinding = now >= k->since + k->t.t2;
		if (now >= k->since + k->t.end && !warned_expired) {
			logx("lease: %s: lease EXPIRED without renewal; keeping the address because the "
			     "root filesystem is mounted over it", k->l->ifname);
			warned_expired = true;
		}
		sent = now;
		rc = send_request(k, rebinding, now);
		if (rc)
			logerr(rc, "lease: %s: sending DHCPREQUEST (%s)", k->l->ifname,
			       rebinding ? "rebinding" : "renewing");
		else
			logdbg("lease: %s: DHCPREQUEST (%s) xid 0x%08x", k->l->ifname,
			       rebinding ? "broadcast" : "unicast", k->xid);
		rc = rc ? 0 : await_reply(k, WAIT_REPLY_MS, sent);
		if (rc == 1) {
			warned_expired = false;
			if (o->max_renewals && ++renewals >= o->max_renewals)
				return 0;
			next = k->since + k->t.t1;
			continue;
		}
		next = keeper_retry_at(sent, k->since + (rebinding ? k->t.end : k->t.t2));
	}
}

/* ip=dhcp6 (RFC 8415 18.2.4/18.2.5): RENEW to the server at T1, REBIND to
 * any at T2, the same address asked for; the address stays after expiry. */
static int keep6_loop(const struct net_lease *l, int fd, const struct keeper_opts *o)
{
	struct keeper k = { .l = l, .since = l->obtained_ms, .lease_s = l->lease_secs };
	char a[INET6_ADDRSTRLEN];
	int renewals = 0;

	if (keeper_times(k.lease_s, l->t1, l->t2, &k.t))
		return 0;
	logx("lease: keeping %s on %s (DHCPv6): %u s, renewing at %lld s, rebinding at %lld s",
	     inet_ntop(AF_INET6, &l->addr6, a, sizeof(a)), l->ifname, k.lease_s, k.t.t1 / 1000, k.t.t2 / 1000);
	for (long long next = k.since + k.t.t1;;) {
		long long now = uptime_ms();
		struct dhcp6_reply r;
		struct dhcp6_out out = { .server_id = l->duid6, .server_id_len = l->duid6_len, .have_addr = true,
					 .addr = l->addr6 };
		if (now < next) {
			(void)poll(NULL, 0, (int)(next - now > 3600000 ? 3600000 : next - now)); /* a sleep */
			continue;
		}
		if (networkd_holds(&k, o->proc_fd)) {
			logx("lease: %s: systemd-networkd holds the lease now, stepping aside", l->ifname);
			return -ECANCELED;
		}
		bool rebinding = now >= k.since + k.t.t2;
		out.type = rebinding ? DHCP6_REBIND : DHCP6_RENEW;
		memcpy(out.mac, l->mac, 6);
		if (dhcp6_transact(fd, l->ifindex, &out, now + WAIT_REPLY_MS, &r)) {
			next = keeper_retry_at(now, k.since + (rebinding ? k.t.end : k.t.t2));
			continue;
		}
		if (keeper_renewed_times(r.valid, r.t1, r.t2, k.lease_s, &k.lease_s, &k.t))
			return 0;   /* infinite now */
		k.since = now;
		logx("lease: %s %s renewed for %u s (DHCPv6)", l->ifname, a, k.lease_s);
		if (o->max_renewals && ++renewals >= o->max_renewals)
			return 0;
		next = k.since + k.t.t1;
	}
}

static int lease6_keep(const struct net_lease *l, const struct keeper_opts *o)
{
	int fd = dhcp6_open(l->ifname), rc;

	if (fd < 0) {
		logerr(fd, "lease: %s: UDP socket on port %d", l->ifname, DHCP6_CLIENT_PORT);
		return fd;
	}
	rc = keep6_loop(l, fd, o);
	close(fd);
	return rc;
}

int lease_keep(const struct net_lease *l, const struct keeper_opts *o)
{
	struct keeper k = { .l = l, .server = l->server_id, .since = l->obtained_ms,
			    .lease_s = l->lease_secs };
	char a[INET_ADDRSTRLEN];
	int rc;

	if (!l->via_dhcp)
		return l->have6 && l->method6 == IP_METHOD_DHCP6 ? lease6_keep(l, o) : 0;
	if (!k.lease_s) {
		/* The first ACK had no option 51: not an infinite lease either. */
		k.lease_s = KEEPER_DEFAULT_LEASE_S;
		logx("lease: %s: the server gave no lease time (option 51), renewing as for %u s",
		     l->ifname, k.lease_s);
	}
	if (keeper_times(k.lease_s, l->t1, l->t2, &k.t))
		return 0;   /* 0xffffffff: infinite, nothing to renew */
	k.fd = open_socket(l->ifname);
	if (k.fd < 0) {
		logerr(k.fd, "lease: %s: UDP socket on port %d", l->ifname, DHCP_CLIENT_PORT);
		return k.fd;
	}
	logx("lease: keeping %s on %s: %u s, renewing at %lld s, rebinding at %lld s",
	     inet_ntop(AF_INET, &l->addr, a, sizeof(a)), l->ifname, k.lease_s, k.t.t1 / 1000,
	     k.t.t2 / 1000);
	rc = keep_loop(&k, o);
	close(k.fd);
	return rc;
}

int lease_keeper_start(const struct net_lease *l, char *argv0)
{
	struct keeper_opts o = { 0, -1 };
	pid_t pid;

	o.proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		int err = -errno;
		if (o.proc_fd >= 0)
			close(o.proc_fd);
		return err;
	}
	if (pid > 0) {
		if (o.proc_fd >= 0)
			close(o.proc_fd);
		return 0;
	}
	/* Cosmetic for ps and for systemd's shutdown; the keeper works without. */
	(void)setsid();
	(void)prctl(PR_SET_NAME, "nfsinit-lease");
	/* /proc/<pid>/cmdline starts with '@': systemd leaves such processes
	 * alive at shutdown, until the root is unmounted. */
	if (argv0 && argv0[0])
		argv0[0] = '@';
	rlog_set_stage("lease"); /* the remote log goes on through /init's socket */
	(void)lease_keep(l, &o); /* logs why it stopped */
	/* Stepped aside or failed: nothing left to do, and we are not PID 1. */
	_exit(0);
}

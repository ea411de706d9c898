#include "dhcp6.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include "slaac.h"
#include "../common/log.h"

#define DHCP6_RT_FIRST_MS 1000   /* RFC 8415 7.6: SOL_TIMEOUT, REQ_TIMEOUT */
#define DHCP6_RT_MAX_MS   4000   /* ours: a node waits for its root, not for SOL_MAX_RT */

struct exchange {
	int fd;
	int ifindex;
	long long start, deadline;
	struct dhcp6_out out;
};

int dhcp6_open(const char *ifname)
{
	struct sockaddr_in6 me = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_CLIENT_PORT) };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

/* ff02::1:2, All_DHCP_Relay_Agents_and_Servers, on our link. */
static int send_out(struct exchange *x)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_SERVER_PORT),
				   .sin6_scope_id = (uint32_t)x->ifindex };
	uint8_t buf[DHCP6_MSG_MAX];
	long long cs = (uptime_ms() - x->start) / 10;
	int n;

	inet_pton(AF_INET6, "ff02::1:2", &to.sin6_addr);
	x->out.elapsed_cs = cs > 0xffff ? 0xffff : (uint16_t)cs;
	n = dhcp6_msg_build(&x->out, buf, sizeof(buf));
	if (n < 0)
		return n;
	return sendto(x->fd, buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -errno : 0;
}

/* A usable answer of type want to our transaction: 1, else 0. */
static int take(struct exchange *x, uint8_t want, struct dhcp6_reply *r)
{
	uint8_t buf[DHCP6_MSG_MAX];
	ssize_t n = recv(x->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 || dhcp6_msg_parse(buf, (size_t)n, x->out.mac, r))
		return 0;
	if (r->type != want || r->xid != (x->out.xid & 0xffffff))
		return 0;
	if (x->out.type != DHCP6_SOLICIT && memcmp(&r->addr, &x->out.addr, 16) && r->have_addr) {
		char a[INET6_ADDRSTRLEN];
		logx("dhcp6: the server gives %s instead of the address asked for: ignored",
		     inet_ntop(AF_INET6, &r->addr, a, sizeof(a)));
		return 0;
	}
	if (r->status || r->ia_status || !r->have_addr) {   /* RFC 8415 18.2.9: NoAddrsAvail and the like */
		logdbg("dhcp6: %s without an address (status %u/%u)", want == DHCP6_ADVERTISE ? "ADVERTISE" : "REPLY",
		       r->status, r->ia_status);
		return 0;
	}
	return 1;
}

/* Sends x->out and its retransmissions until an answer of type want. */
static int transact(struct exchange *x, uint8_t want, struct dhcp6_reply *r)
{
	unsigned rt = DHCP6_RT_FIRST_MS;
	int rc;

	(void)getrandom(&x->out.xid, sizeof(x->out.xid), GRND_NONBLOCK);   /* any value will do */
	x->out.xid &= 0xffffff;
	for (;;) {
		long long now = uptime_ms(), round = now + rt;
		if (now >= x->deadline)
			return -ETIMEDOUT;
		if ((rc = send_out(x)))
			logerr(rc, "dhcp6: sending to ff02::1:2");   /* and wait: the link may come */
		while ((now = uptime_ms()) < round && now < x->deadline) {
			struct pollfd p = { x->fd, POLLIN, 0 };
			long long wait = (round < x->deadline ? round : x->deadline) - now;
			if (poll(&p, 1, (int)wait) > 0 && take(x, want, r))
				return 0;
		}
		rt = rt * 2 > DHCP6_RT_MAX_MS ? DHCP6_RT_MAX_MS : rt * 2;
	}
}

int dhcp6_transact(int fd, int ifindex, struct dhcp6_out *out, long long deadline, struct dhcp6_reply *r)
{
	struct exchange x = { .fd = fd, .ifindex = ifindex, .start = uptime_ms(), .deadline = deadline,
			      .out = *out };
	int rc = transact(&x, DHCP6_REPLY, r);

	out->xid = x.out.xid;
	return rc;
}

int dhcp6_run(const char *ifname, int ifindex, const uint8_t mac[6], unsigned timeout_ms, struct dhcp6_reply *r)
{
	struct exchange x = { .ifindex = ifindex, .start = uptime_ms() };
	struct dhcp6_reply adv;
	struct in6_addr ll;
	int plen, rc;

	x.deadline = x.start + timeout_ms;
	rc = slaac_wait_addr(ifindex, SLAAC_SCOPE_LINK, timeout_ms < DHCP6_LINKLOCAL_MS ? timeout_ms :
			     DHCP6_LINKLOCAL_MS, &ll, &plen);
	if (rc)
		return rc == -ETIMEDOUT ? -EADDRNOTAVAIL : rc;
	if ((x.fd = dhcp6_open(ifname)) < 0)
		return x.fd;
	memcpy(x.out.mac, mac, 6);
	x.out.type = DHCP6_SOLICIT;
	rc = transact(&x, DHCP6_ADVERTISE, &adv);
	if (!rc) {
		x.out.type = DHCP6_REQUEST;
		x.out.server_id = adv.server_id;
		x.out.server_id_len = adv.server_id_len;
		x.out.have_addr = true;
		x.out.addr = adv.addr;
		rc = transact(&x, DHCP6_REPLY, r);
	}
	close(x.fd);
	return rc;
}

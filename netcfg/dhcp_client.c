/* DHCP state machine (RFC 2131 section 4.4) over one packet socket per
 * interface and one poll loop. The socket calls are at the top of the file,
 * behind struct dhcp_io; everything below them only sees file descriptors. */
#include "dhcp_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../common/log.h"

#define BACKOFF_FIRST_MS   4000  /* RFC 2131 4.1: 4, 8, 16, 32, 64 s, +-1 s */
#define BACKOFF_MAX_MS     64000
#define JITTER_MS          1000
#define REQUEST_TRIES      2     /* unanswered REQUESTs before the next offer / DISCOVER */
#define SPARE_OFFERS       4     /* other servers' offers kept while REQUESTING */
#define CARRIER_POLL_MS    20
#define SOCKET_ERRORS_MAX  2     /* POLLERR in a row (within 1 s) before the socket is replaced */
#define SOCKET_REOPENS_MAX 3     /* replacements before the link is given up */

/* ---- packet socket: all of DHCP's syscalls ---- */

static int pkt_open(int ifindex)
{
	/* Accept IPv4, UDP, not a fragment, to port 68; the parser checks again. */
	static const struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 5),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 3, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), (struct sock_filter *)code };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = ifindex };
	int one = 1, fd, err;

	/* Protocol 0 until bind: a socket opened for ETH_P_IP is hooked on every
	 * interface at once, and bind() must unhook it again, which waits for an
	 * RCU grace period (about 10 ms per NIC here). */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int pkt_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = ifindex, .sll_halen = ETH_ALEN };
	memset(to.sll_addr, 0xff, ETH_ALEN);
	if (sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

static ssize_t pkt_recv(int fd, uint8_t *buf, size_t cap, bool *check_sum)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct sockaddr_ll from;
	struct iovec iov = { buf, cap };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			      .msg_iovlen = 1, .msg_control = &ctl, .msg_controllen = sizeof(ctl) };
	ssize_t n;

	n = recvmsg(fd, &msg, 0);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC || from.sll_pkttype == PACKET_OUTGOING)
		return -EMSGSIZE;      /* skipped by the caller */
	*check_sum = true;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		struct tpacket_auxdata aux;
		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		/* Sent from this host (veth, bridge): the checksum is still partial. */
		if (aux.tp_status & TP_STATUS_CSUMNOTREADY)
			*check_sum = false;
	}
	return n;
}

static void pkt_close(int fd)
{
	close(fd);
}

static int pkt_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -errno;
	return -err;
}

const struct dhcp_io dhcp_packet_io = { pkt_open, pkt_send, pkt_recv, pkt_close, pkt_error };

/* ---- state machine ---- */

enum cstate { ST_NO_CARRIER, ST_SELECTING, ST_REQUESTING, ST_BROKEN };

struct offer {
	struct in_addr addr, server;
};

struct client {
	const struct link_info *link;
	enum cstate st;
	int fd;
	uint32_t xid;
	long long begin_ms;           /* for the secs field */
	long long next_tx_ms;
	unsigned sent;                /* transmissions in this state */
	int requests;
	int naks;                     /* since dhcp_run began */
	int sock_errors, reopens;     /* POLLERR without POLLIN: in a row, and replacements */
	long long sock_error_ms;
	uint16_t ip_id;
	struct in_addr offered, server;
	struct in_addr nak_server;    /* the last server that NAKed us */
	struct offer spare[SPARE_OFFERS];   /* later offers for this xid, oldest first */
	int nspare;
};

struct run {
	const struct dhcp_params *p;
	const struct dhcp_io *io;
	struct client c[NI_LINKS_MAX];
	int n;
	uint32_t rng;
};

static uint32_t rnd(struct run *r)
{
	/* xorshift32: jitter and xids need to differ between nodes, not be secret. */
	uint32_t x = r->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return r->rng = x;
}

static void seed(struct run *r, const struct link_info *l)
{
	uint32_t s = 0;
	/* Early in boot the pool may not be ready: never block for it. */
	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
		s = (uint32_t)uptime_ms();
	for (int i = 0; i < 6; i++)
		s = s * 31 + l->mac[i];
	r->rng = s ? s : 0x2545f491u;
}

long long dhcp_backoff_ms(unsigned n, uint32_t r)
{
	long long base = BACKOFF_MAX_MS;
	if (n < 5)
		base = (long long)BACKOFF_FIRST_MS << n;
	return base + (long long)(r % (2 * JITTER_MS + 1)) - JITTER_MS;
}

static void schedule_next(struct run *r, struct client *c, long long now)
{
	c->next_tx_ms = now + dhcp_backoff_ms(c->sent++, rnd(r));
}

static void start_discovery(struct run *r, struct client *c, long long now)
{
	c->st = ST_SELECTING;
	c->xid = rnd(r);
	c->begin_ms = now;
	c->next_tx_ms = now;
	c->sent = 0;
	c->offered.s_addr = c->server.s_addr = INADDR_ANY;
	c->nspare = 0;
}

static void transmit(struct run *r, struct client *c, long long now)
{
	uint8_t frame[DHCP_FRAME_MAX];
	struct dhcp_out o = {
		.type = c->st == ST_REQUESTING ? DHCP_REQUEST : DHCP_DISCOVER,
		.xid = c->xid,
		.vendor_class = r->p->vendor_class,
		.hostname = r->p->hostname,
	};
	long long secs = (now - c->begin_ms) / 1000;
	int len, rc;

	o.secs = secs > 0xffff ? 0xffff : (uint16_t)secs;
	memcpy(o.mac, c->link->mac, 6);
	o.max_size = c->link->mtu >= 576 && c->link->mtu < DHCP_MSG_MAX ? (uint16_t)c->link->mtu : DHCP_MSG_MAX;
	if (o.type == DHCP_REQUEST) {
		o.requested_ip = c->offered;
		o.server_id = c->server;
		c->requests++;
	}
	len = dhcp_msg_build(&o, frame + DHCP_FRAME_HDR, sizeof(frame) - DHCP_FRAME_HDR);
	if (len > 0)
		len = dhcp_frame_wrap(frame, sizeof(frame), (size_t)len, c->ip_id++);
	rc = len < 0 ? len : r->io->send(c->fd, c->link->ifindex, frame, (size_t)len);
	if (rc)
		logdbg("net: %s: sending DHCP%s failed: %s", c->link->name,
		       o.type == DHCP_REQUEST ? "REQUEST" : "DISCOVER", strerror(-rc));
	else
		logdbg("net: %s: DHCP%s xid 0x%08x", c->link->name,
		       o.type == DHCP_REQUEST ? "REQUEST" : "DISCOVER", c->xid);
	schedule_next(r, c, now);
}

static void request_offer(struct run *r, struct client *c, struct offer o, long long now)
{
	c->offered = o.addr;
	c->server = o.server;
	c->st = ST_REQUESTING;
	c->requests = 0;
	c->sent = 0;
	transmit(r, c, now);
}

/* An offer that comes while we request another is kept: if our server
 * never ACKs, the next one is requested (same xid, RFC 2131 4.4.1 lets the
 * client choose any offer it collected). */
static void keep_spare(struct client *c, struct offer o)
{
	if (o.server.s_addr == c->server.s_addr || c->nspare == SPARE_OFFERS)
		return;
	for (int i = 0; i < c->nspare; i++)
		if (c->spare[i].server.s_addr == o.server.s_addr)
			return;
	c->spare[c->nspare++] = o;
}

static void on_offer(struct run *r, struct client *c, const struct dhcp_reply *m, long long now)
{
	struct offer o = { m->yiaddr, m->server_id };

	/* RFC 2132 9.7: the server identifier is mandatory in an OFFER. */
	if (o.addr.s_addr == INADDR_ANY || o.server.s_addr == INADDR_ANY) {
		logdbg("net: %s: OFFER without address or server identifier dropped", c->link->name);
		return;
	}
	/* A server that just NAKed us offers again first, typically: its offer
	 * waits one backoff step, so that another server's offer can win. */
	if (c->st == ST_REQUESTING || o.server.s_addr == c->nak_server.s_addr)
		keep_spare(c, o);
	else
		request_offer(r, c, o, now);
}

/* Time to send again with offers set aside: REQUESTING after
 * REQUEST_TRIES unanswered REQUESTs, or SELECTING with only the offer of a
 * server that NAKed us. The next kept offer is requested; without one,
 * REQUESTING starts a new DISCOVER (which collects new offers). */
static void next_offer(struct run *r, struct client *c, long long now)
{
	char was[INET_ADDRSTRLEN], addr[INET_ADDRSTRLEN], srv[INET_ADDRSTRLEN];
	struct offer o;

	inet_ntop(AF_INET, &c->server, was, sizeof(was));
	if (c->nspare == 0) {
		logx("net: %s: no DHCPACK from %s after %d REQUESTs, discovering again",
		     c->link->name, was, c->requests);
		start_discovery(r, c, now);
		return;
	}
	o = c->spare[0];
	memmove(c->spare, c->spare + 1, (size_t)--c->nspare * sizeof(c->spare[0]));
	inet_ntop(AF_INET, &o.addr, addr, sizeof(addr));
	inet_ntop(AF_INET, &o.server, srv, sizeof(srv));
	if (c->st == ST_REQUESTING)
		logx("net: %s: no DHCPACK from %s after %d REQUESTs, requesting %s from %s",
		     c->link->name, was, c->requests, addr, srv);
	else
		logdbg("net: %s: no other offer, requesting %s from %s", c->link->name, addr, srv);
	request_offer(r, c, o, now);
}

/* An ACK must be for the address we requested (RFC 2131 4.3.2: option 50
 * named the offer's yiaddr); anything else is ignored. Option 54 is a MUST
 * in an ACK (RFC 2131 table 3), but one without it still answers our xid
 * and the REQUEST that named our server: it is taken, with the server of
 * the offer as its identifier, so that renewals (RFC 2131 4.4.5: unicast
 * to the server that gave the lease) never go to 0.0.0.0. */
static bool ack_usable(const struct client *c, struct dhcp_reply *m)
{
	char a[INET_ADDRSTRLEN];

	if (m->yiaddr.s_addr != c->offered.s_addr) {
		logdbg("net: %s: ACK for %s, not the requested address: ignored", c->link->name,
		       inet_ntop(AF_INET, &m->yiaddr, a, sizeof(a)));
		return false;
	}
	if (m->server_id.s_addr == INADDR_ANY) {
		logdbg("net: %s: ACK without server identifier: taking %s from the offer",
		       c->link->name, inet_ntop(AF_INET, &c->server, a, sizeof(a)));
		m->server_id = c->server;
	}
	return true;
}

/* Returns true when the lease is ours. */
static bool on_reply(struct run *r, struct client *c, struct dhcp_reply *m, long long now)
{
	char who[INET_ADDRSTRLEN];

	if ((c->st == ST_SELECTING || c->st == ST_REQUESTING) && m->type == DHCP_OFFER) {
		on_offer(r, c, m, now);
		return false;
	}
	if (c->st != ST_REQUESTING || (m->type != DHCP_ACK && m->type != DHCP_NAK))
		return false;
	/* RFC 2131 4.3.2: only the server we chose may answer our REQUEST. */
	if (m->server_id.s_addr != INADDR_ANY && m->server_id.s_addr != c->server.s_addr) {
		inet_ntop(AF_INET, &m->server_id, who, sizeof(who));
		logdbg("net: %s: %s from other server %s ignored", c->link->name,
		       m->type == DHCP_ACK ? "ACK" : "NAK", who);
		return false;
	}
	if (m->type == DHCP_NAK) {
		inet_ntop(AF_INET, &c->server, who, sizeof(who));
		c->nak_server = c->server;
		start_discovery(r, c, now);
		/* A server that offers and then always NAKs must not turn every
		 * node into a broadcast storm: only the first NAK restarts at once. */
		if (++c->naks > 1)
			c->next_tx_ms = now + dhcp_backoff_ms(0, rnd(r));
		logx("net: %s: DHCPNAK from %s, discovering again%s", c->link->name, who,
		     c->naks > 1 ? " in about 4 s" : "");
		return false;
	}
	return ack_usable(c, m);
}

void dhcp_log_skipped(const char *who, const struct dhcp_reply *r)
{
	for (int i = 0; i < r->nskipped && i < DHCP_SKIPPED_MAX; i++)
		logdbg("%s: malformed option %u in a DHCP reply skipped", who, r->skipped[i]);
	if (r->nskipped > DHCP_SKIPPED_MAX)
		logdbg("%s: and %d more malformed options skipped", who, r->nskipped - DHCP_SKIPPED_MAX);
}

/* Reads everything queued on c's socket; true once an ACK is in *ack. */
static bool drain(struct run *r, struct client *c, struct dhcp_reply *ack)
{
	uint8_t buf[DHCP_FRAME_MAX];
	const uint8_t *msg;
	size_t mlen;
	bool check_sum;
	ssize_t n;
	int rc;

	while ((n = r->io->recv(c->fd, buf, sizeof(buf), &check_sum)) != -EAGAIN) {
		if (n == -EINTR || n == -EMSGSIZE)
			continue;
		if (n < 0)
			return false;
		if (dhcp_frame_unwrap(buf, (size_t)n, check_sum, &msg, &mlen))
			continue;          /* not for port 68 or damaged: quietly */
		rc = dhcp_msg_parse(msg, mlen, ack);
		if (rc) {
			logdbg("net: %s: malformed DHCP reply dropped (option %u): %s",
			       c->link->name, ack->bad_option, strerror(-rc));
			continue;
		}
		if (dhcp_reply_match(ack, c->xid, c->link->mac))
			continue;          /* another client's transaction */
		if (ack->nskipped) {
			char who[NI_IFNAME_MAX + 8];
			snprintf(who, sizeof(who), "net: %s", c->link->name);
			dhcp_log_skipped(who, ack);
		}
		if (on_reply(r, c, ack, uptime_ms()))
			return true;
	}
	return false;
}

/* poll() said POLLERR (or HUP/NVAL) and no POLLIN. Reading SO_ERROR clears
 * a one-off error (ENETDOWN while the link flapped); if POLLERR comes back
 * at once the error persists (the error queue, which SO_ERROR does not
 * empty, or a dead socket) and polling it again would spin: the socket is
 * replaced, a few times, then the link is given up. */
static void on_socket_error(struct run *r, struct client *c, short revents, long long now)
{
	int err = revents & POLLNVAL ? -EBADF : r->io->error(c->fd);
	const char *what = err ? strerror(-err) : "no error pending";

	if (now - c->sock_error_ms > 1000)
		c->sock_errors = 0;
	c->sock_error_ms = now;
	if (++c->sock_errors < SOCKET_ERRORS_MAX) {
		logdbg("net: %s: packet socket error: %s", c->link->name, what);
		return;
	}
	r->io->close(c->fd);
	c->fd = -1;
	c->sock_errors = 0;
	if (c->reopens++ == SOCKET_REOPENS_MAX) {
		logx("net: %s: packet socket still failing (%s) after %d reopens, giving up on it",
		     c->link->name, what, SOCKET_REOPENS_MAX);
		c->st = ST_BROKEN;
		return;
	}
	c->fd = r->io->open(c->link->ifindex);
	if (c->fd < 0) {
		logerr(c->fd, "net: %s: reopening the packet socket", c->link->name);
		c->st = ST_BROKEN;
		return;
	}
	logx("net: %s: packet socket error persists (%s), reopened it", c->link->name, what);
	c->next_tx_ms = now;   /* what went out on the old socket may be lost */
}

/* Opens sockets for links that have come up. Returns how many clients are
 * still alive (running or waiting for carrier). */
static int step_links(struct run *r, long long now, bool *any_carrier)
{
	int alive = 0;
	for (int i = 0; i < r->n; i++) {
		struct client *c = &r->c[i];
		if (c->st == ST_NO_CARRIER && (!r->p->carrier || r->p->carrier(c->link->name) == 1)) {
			c->fd = r->io->open(c->link->ifindex);
			if (c->fd < 0) {
				logerr(c->fd, "net: %s: packet socket", c->link->name);
				c->st = ST_BROKEN;
				continue;
			}
			logdbg("net: %s: carrier, starting DHCP", c->link->name);
			start_discovery(r, c, now);
		}
		if (c->st == ST_SELECTING || c->st == ST_REQUESTING) {
			*any_carrier = true;
			if (now >= c->next_tx_ms &&
			    ((c->st == ST_REQUESTING && c->requests >= REQUEST_TRIES) ||
			     (c->st == ST_SELECTING && c->nspare)))
				next_offer(r, c, now);
			if (now >= c->next_tx_ms)
				transmit(r, c, now);
		}
		if (c->st != ST_BROKEN)
			alive++;
	}
	return alive;
}

static int wait_timeout(const struct run *r, long long now, long long deadline)
{
	long long t = deadline - now;
	for (int i = 0; i < r->n; i++) {
		const struct client *c = &r->c[i];
		if (c->st == ST_NO_CARRIER && t > CARRIER_POLL_MS)
			t = CARRIER_POLL_MS;
		if ((c->st == ST_SELECTING || c->st == ST_REQUESTING) && c->next_tx_ms - now < t)
			t = c->next_tx_ms - now;
	}
	return t < 0 ? 0 : (int)t;
}

static int loop(struct run *r, long long deadline, struct dhcp_result *res)
{
	struct pollfd pfd[NI_LINKS_MAX];
	int map[NI_LINKS_MAX];

	for (;;) {
		long long now = uptime_ms();
		int npfd = 0;
		if (now >= deadline)
			return -ETIMEDOUT;
		if (step_links(r, now, &res->had_carrier) == 0)
			return -ENETDOWN;
		for (int i = 0; i < r->n; i++)
			if (r->c[i].st == ST_SELECTING || r->c[i].st == ST_REQUESTING) {
				pfd[npfd] = (struct pollfd){ .fd = r->c[i].fd, .events = POLLIN };
				map[npfd++] = i;
			}
		if (poll(pfd, (nfds_t)npfd, wait_timeout(r, now, deadline)) < 0 && errno != EINTR)
			return -errno;
		for (int k = 0; k < npfd; k++) {
			struct client *c = &r->c[map[k]];
			if (pfd[k].revents & POLLIN) {
				c->sock_errors = c->reopens = 0;
				if (drain(r, c, &res->ack)) {
					res->index = map[k];
					return 0;
				}
			} else if (pfd[k].revents & (POLLERR | POLLHUP | POLLNVAL)) {
				on_socket_error(r, c, pfd[k].revents, uptime_ms());
			}
		}
	}
}

int dhcp_run(const struct link_info *links, int n, const struct dhcp_params *p,
	     struct dhcp_result *res)
{
	struct run r = { .p = p, .io = p->io ? p->io : &dhcp_packet_io, .n = n };
	int rc;

	if (n <= 0 || n > NI_LINKS_MAX)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	seed(&r, &links[0]);
	for (int i = 0; i < n; i++)
		r.c[i] = (struct client){ .link = &links[i], .st = ST_NO_CARRIER, .fd = -1,
					  .ip_id = (uint16_t)rnd(&r) };
	rc = loop(&r, uptime_ms() + p->timeout_ms, res);
	for (int i = 0; i < n; i++)
		if (r.c[i].fd >= 0)
			r.io->close(r.c[i].fd);
	if (rc == -ETIMEDOUT && !res->had_carrier)
		rc = -ENOLINK;
	return rc;
}

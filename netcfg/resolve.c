/* The stub resolver's sockets: one UDP socket per address family, every
 * server asked at once, answers taken only from a server we asked. */
#include "resolve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../common/dns_msg.h"
#include "../common/log.h"

struct ask {
	const struct resolve_conf *c;
	int fd[2];                  /* [0] AF_INET, [1] AF_INET6; -1 when not needed */
	uint8_t query[DNS_UDP_MAX];
	int qlen;
	int refused;                /* servers that answered SERVFAIL/REFUSED */
	int bad;                    /* malformed replies seen */
};

static bool is_mapped(const struct sockaddr_in6 *s)
{
	return IN6_IS_ADDR_V4MAPPED(&s->sin6_addr);
}

int resolve_add_server(struct resolve_conf *c, int family, const void *addr)
{
	struct sockaddr_in6 s = { .sin6_family = AF_INET6, .sin6_port = htons(DNS_PORT) };

	if (family == AF_INET) {
		s.sin6_addr.s6_addr[10] = s.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&s.sin6_addr.s6_addr[12], addr, 4);
	} else if (family == AF_INET6) {
		memcpy(&s.sin6_addr, addr, 16);
	} else {
		return -EAFNOSUPPORT;
	}
	for (int i = 0; i < c->n; i++)
		if (!memcmp(&c->server[i].sin6_addr, &s.sin6_addr, 16))
			return 0;
	if (c->n == RESOLVE_SERVERS_MAX)
		return -E2BIG;
	c->server[c->n++] = s;
	return 0;
}

static void server_text(const struct sockaddr_in6 *s, char *out, size_t cap)
{
	if (is_mapped(s))
		inet_ntop(AF_INET, &s->sin6_addr.s6_addr[12], out, (socklen_t)cap);
	else
		inet_ntop(AF_INET6, &s->sin6_addr, out, (socklen_t)cap);
}

void resolve_servers_text(const struct resolve_conf *c, char *out, size_t cap)
{
	size_t used = 0;
	char a[INET6_ADDRSTRLEN];

	snprintf(out, cap, "none");
	for (int i = 0; i < c->n && used < cap; i++) {
		server_text(&c->server[i], a, sizeof(a));
		used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? ", " : "", a);
	}
}

static void send_all(struct ask *k)
{
	for (int i = 0; i < k->c->n; i++) {
		const struct sockaddr_in6 *s = &k->c->server[i];
		struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = s->sin6_port };
		int fd = k->fd[is_mapped(s) ? 0 : 1];

		if (fd < 0)
			continue;
		if (is_mapped(s)) {
			memcpy(&v4.sin_addr, &s->sin6_addr.s6_addr[12], 4);
			(void)sendto(fd, k->query, (size_t)k->qlen, 0, (struct sockaddr *)&v4, sizeof(v4));
		} else {
			(void)sendto(fd, k->query, (size_t)k->qlen, 0, (const struct sockaddr *)s, sizeof(*s));
		}   /* a server we cannot send to is one that does not answer */
	}
}

/* Was the datagram from one of our servers' port 53? */
static bool from_server(const struct resolve_conf *c, const struct sockaddr_storage *from)
{
	struct sockaddr_in6 m = { .sin6_family = AF_INET6 };

	if (from->ss_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)from;
		m.sin6_port = v4->sin_port;
		m.sin6_addr.s6_addr[10] = m.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&m.sin6_addr.s6_addr[12], &v4->sin_addr, 4);
	} else if (from->ss_family == AF_INET6) {
		m = *(const struct sockaddr_in6 *)from;
	} else {
		return false;
	}
	for (int i = 0; i < c->n; i++)
		if (m.sin6_port == htons(DNS_PORT) && !memcmp(&m.sin6_addr, &c->server[i].sin6_addr, 16))
			return true;
	return false;
}

/* One datagram from fd: 1 with a final answer in a, 0 to keep waiting. */
static int take_reply(struct ask *k, int fd, struct dns_answer *a)
{
	uint8_t buf[DNS_UDP_MAX];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	int rc;

	if (n < 0 || !from_server(k->c, &from))
		return 0;
	rc = dns_reply_parse(buf, (size_t)n, k->query, (size_t)k->qlen, a);
	if (rc == -EBADMSG)
		k->bad++;
	if (rc)
		return 0;
	/* Another server may know better than one that failed (RFC 1034 5.3.3). */
	if (a->rcode == DNS_RCODE_SERVFAIL || a->rcode == DNS_RCODE_REFUSED || a->rcode == DNS_RCODE_FORMERR)
		return ++k->refused >= k->c->n;
	return 1;
}

/* Asks every server for qtype until an answer or the deadline: 0 with a
 * filled, or -ETIMEDOUT. */
static int ask_type(struct ask *k, const char *name, uint16_t qtype, long long deadline, struct dns_answer *a)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)uptime_ms();   /* no entropy yet: the id is not our only check */
	k->qlen = dns_query_build(id, name, qtype, k->query, sizeof(k->query));
	if (k->qlen < 0)
		return k->qlen;
	k->refused = 0;
	for (;;) {
		long long now = uptime_ms(), round = now + RESOLVE_RETRY_MS;
		if (now >= deadline)
			return -ETIMEDOUT;
		send_all(k);
		while ((now = uptime_ms()) < round && now < deadline) {
			struct pollfd p[2] = { { k->fd[0], POLLIN, 0 }, { k->fd[1], POLLIN, 0 } };
			long long wait = (round < deadline ? round : deadline) - now;
			if (poll(p, 2, (int)wait) <= 0)
				continue;
			for (int i = 0; i < 2; i++)
				if ((p[i].revents & POLLIN) && take_reply(k, k->fd[i], a))
					return 0;
		}
	}
}

static int open_sockets(struct ask *k)
{
	k->fd[0] = k->fd[1] = -1;
	for (int i = 0; i < k->c->n; i++) {
		int f = is_mapped(&k->c->server[i]) ? 0 : 1;
		if (k->fd[f] >= 0)
			continue;
		k->fd[f] = socket(f ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (k->fd[f] < 0)
			return -errno;
	}
	return 0;
}

static void close_sockets(struct ask *k)
{
	for (int i = 0; i < 2; i++)
		if (k->fd[i] >= 0)
			close(k->fd[i]);
}

/* The first address of a as a server list element. */
static int addr_text(const struct dns_answer *a, uint16_t qtype, char *out, size_t cap)
{
	char t[INET6_ADDRSTRLEN];
	int n;

	inet_ntop(qtype == DNS_TYPE_A ? AF_INET : AF_INET6, a->addr[0], t, sizeof(t));
	n = snprintf(out, cap, qtype == DNS_TYPE_A ? "%s" : "[%s]", t);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

static int why(struct err_reason *err, int code, const struct ask *k, const char *name, const char *what)
{
	char servers[RESOLVE_TEXT_MAX];

	resolve_servers_text(k->c, servers, sizeof(servers));
	return err_fail(err, code, "%.80s: %s (DNS servers asked: %s)%s", name, what, servers,
			k->bad ? "; malformed replies ignored" : "");
}

int resolve_host(const struct resolve_conf *c, const char *name, unsigned timeout_ms, char *addr,
		 size_t cap, struct err_reason *err)
{
	const uint16_t types[2] = { c->want4 || !c->want6 ? DNS_TYPE_A : DNS_TYPE_AAAA,
				    c->want4 && c->want6 ? DNS_TYPE_AAAA : 0 };
	long long deadline = uptime_ms() + timeout_ms;
	struct ask k = { .c = c };
	struct dns_answer a;
	int rc = 0;

	if (c->n == 0)
		return err_fail(err, -ENONET, "%.80s: no DNS server (none from DHCP or ip=)", name);
	if ((rc = open_sockets(&k))) {
		close_sockets(&k);
		return err_fail(err, rc, "%.80s: DNS socket: %s", name, strerror(-rc));
	}
	for (int i = 0; i < 2 && types[i]; i++) {
		rc = ask_type(&k, name, types[i], deadline, &a);
		if (rc == -ETIMEDOUT) {
			char t[32];
			snprintf(t, sizeof(t), "no answer within %u.%u s", timeout_ms / 1000, timeout_ms % 1000 / 100);
			rc = why(err, rc, &k, name, t);
		} else if (rc == -EINVAL) {
			rc = err_fail(err, rc, "'%.80s' is not a host name", name);
		} else if (!rc && a.rcode != DNS_RCODE_OK) {
			rc = why(err, a.rcode == DNS_RCODE_NXDOMAIN ? -ENOENT : -EIO, &k, name, dns_rcode_text(a.rcode));
		} else if (!rc && a.naddr) {
			rc = addr_text(&a, types[i], addr, cap);
			break;
		} else if (!rc) {
			rc = why(err, -ENOENT, &k, name, c->want6 && c->want4 ? "no A or AAAA record" :
				 c->want6 ? "no AAAA record" : "no A record");
			continue;   /* no data of this type: the other may have some */
		}
		break;
	}
	close_sockets(&k);
	return rc;
}

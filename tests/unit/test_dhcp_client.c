/* The DHCP state machine behind a fake struct dhcp_io: replies with a wrong
 * xid, a wrong chaddr or a damaged body are dropped, an ACK from a server
 * we did not choose is ignored, a NAK starts discovery over with a new xid,
 * and the retransmission schedule follows RFC 2131 4.1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "../../netcfg/dhcp_client.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

#define MAXQ 64
#define MAXSENT 16
struct sent_msg {
	uint8_t type;
	uint32_t xid;
	struct in_addr req_ip, server;   /* options 50, 54 */
	bool has_61, has_55, has_57, has_60;
	long long at_ms;
};

static struct fake {
	int rfd, wfd;
	uint8_t q[MAXQ][DHCP_FRAME_MAX];
	size_t qlen[MAXQ];
	int qn, qhead;
	struct sent_msg sent[MAXSENT];
	int nsent;
	void (*respond)(struct fake *f, const struct sent_msg *m);
	int nopen, bad_opens, nerror;
} F;

static struct in_addr ip(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a;
}

static uint16_t ip_sum(const uint8_t *h)
{
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Queues a BOOTREPLY frame: IPv4 from server to broadcast, UDP 67 -> 68
 * without checksum. cut > 0 truncates the DHCP message to cut bytes;
 * with54 false leaves option 54 out (the IP source is still server). */
static void queue_reply_opts(struct fake *f, uint8_t type, uint32_t xid, const uint8_t *chaddr,
			     const char *yiaddr, const char *server, size_t cut, bool with54)
{
	assert_true(f->qn < MAXQ);
	uint8_t *b = f->q[f->qn], *m = b + 28;
	struct in_addr y = ip(yiaddr), s = ip(server);
	size_t len = 300, o = 240;
	uint32_t lease = htonl(3600), nxid = htonl(xid);

	memset(b, 0, DHCP_FRAME_MAX);
	m[0] = 2; m[1] = 1; m[2] = 6;
	memcpy(m + 4, &nxid, 4);
	memcpy(m + 16, &y.s_addr, 4);
	memcpy(m + 28, chaddr, 6);
	memcpy(m + 236, "\x63\x82\x53\x63", 4);
	m[o++] = 53; m[o++] = 1; m[o++] = type;
	if (with54) {
		m[o++] = 54; m[o++] = 4; memcpy(m + o, &s.s_addr, 4); o += 4;
	}
	m[o++] = 51; m[o++] = 4; memcpy(m + o, &lease, 4); o += 4;
	m[o++] = 1; m[o++] = 4; memcpy(m + o, "\xff\xff\xff\x00", 4); o += 4;
	m[o++] = 255;
	if (cut)
		len = cut;
	b[0] = 0x45;
	b[2] = (uint8_t)((28 + len) >> 8); b[3] = (uint8_t)(28 + len);
	b[8] = 64; b[9] = 17;
	memcpy(b + 12, &s.s_addr, 4);
	memset(b + 16, 0xff, 4);
	uint16_t sum = ip_sum(b);
	b[10] = (uint8_t)(sum >> 8); b[11] = (uint8_t)sum;
	b[21] = 67; b[23] = 68;
	b[24] = (uint8_t)((8 + len) >> 8); b[25] = (uint8_t)(8 + len);
	f->qlen[f->qn++] = 28 + len;
	assert_int_equal(write(f->wfd, "x", 1), 1);
}

static void queue_reply(struct fake *f, uint8_t type, uint32_t xid, const uint8_t *chaddr,
			const char *yiaddr, const char *server, size_t cut)
{
	queue_reply_opts(f, type, xid, chaddr, yiaddr, server, cut, true);
}

/* The first F.bad_opens sockets are the write end of a pipe without a
 * reader: poll() reports POLLERR and nothing else on it, for ever. */
static int f_open(int ifindex)
{
	int p[2];
	(void)ifindex;
	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	if (F.nopen++ < F.bad_opens) {
		close(p[0]);
		F.rfd = F.wfd = -1;
		return p[1];
	}
	F.rfd = p[0];
	F.wfd = p[1];
	return p[0];
}

static int f_error(int fd)
{
	(void)fd;
	F.nerror++;
	return -ENETDOWN;
}

static const uint8_t *opt(const uint8_t *m, size_t len, uint8_t code)
{
	for (size_t i = 240; i + 1 < len && m[i] != 255; i += m[i] ? 2u + m[i + 1] : 1u)
		if (m[i] == code)
			return m + i;
	return NULL;
}

static int f_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	const uint8_t *m = frame + 28, *o;
	size_t mlen = len - 28;
	struct sent_msg s = { .at_ms = uptime_ms() };
	(void)ifindex;

	if (fd != F.rfd)
		return -ENETDOWN;          /* the broken socket */
	assert_true(F.nsent < MAXSENT);
	assert_non_null(o = opt(m, mlen, 53));
	s.type = o[2];
	s.xid = (uint32_t)m[4] << 24 | (uint32_t)m[5] << 16 | (uint32_t)m[6] << 8 | m[7];
	assert_memory_equal(m + 28, mac, 6);
	if ((o = opt(m, mlen, 50)))
		memcpy(&s.req_ip.s_addr, o + 2, 4);
	if ((o = opt(m, mlen, 54)))
		memcpy(&s.server.s_addr, o + 2, 4);
	s.has_61 = (o = opt(m, mlen, 61)) && o[1] == 7 && o[2] == 1 && !memcmp(o + 3, mac, 6);
	s.has_55 = (o = opt(m, mlen, 55)) && memchr(o + 2, 17, o[1]) && memchr(o + 2, 119, o[1]);
	s.has_57 = (o = opt(m, mlen, 57)) && o[1] == 2 && (o[2] << 8 | o[3]) >= 576;
	s.has_60 = (o = opt(m, mlen, 60)) && o[1] == 7 && !memcmp(o + 2, "nfsinit", 7);
	F.sent[F.nsent++] = s;
	if (F.respond)
		F.respond(&F, &s);
	return 0;
}

static ssize_t f_recv(int fd, uint8_t *buf, size_t cap, bool *check_sum)
{
	char c;
	if (read(fd, &c, 1) != 1)
		return -EAGAIN;
	assert_true(F.qhead < F.qn);
	size_t len = F.qlen[F.qhead];
	assert_true(len <= cap);
	memcpy(buf, F.q[F.qhead++], len);
	*check_sum = false;
	return (ssize_t)len;
}

static void f_close(int fd)
{
	close(fd);
	if (fd == F.rfd) {
		close(F.wfd);
		F.rfd = F.wfd = -1;
	}
}

static const struct dhcp_io fake_io = { f_open, f_send, f_recv, f_close, f_error };

static int run(unsigned timeout_ms, struct dhcp_result *res)
{
	struct link_info l = { .name = "eth9", .ifindex = 9, .mtu = 1500 };
	struct dhcp_params p = { .vendor_class = "nfsinit", .timeout_ms = timeout_ms, .io = &fake_io };
	memcpy(l.mac, mac, 6);
	return dhcp_run(&l, 1, &p, res);
}

/* DISCOVER -> junk + OFFER; REQUEST -> ACK from a stranger + NAK;
 * DISCOVER (new xid) -> OFFER; REQUEST -> ACK. */
static void nak_script(struct fake *f, const struct sent_msg *m)
{
	static const uint8_t other_mac[6] = { 2, 0, 0, 0, 0, 1 };
	switch (f->nsent) {
	case 1:
		queue_reply(f, DHCP_OFFER, m->xid + 1, mac, "10.0.0.40", "10.0.0.1", 0);
		queue_reply(f, DHCP_OFFER, m->xid, other_mac, "10.0.0.41", "10.0.0.1", 0);
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.42", "10.0.0.1", 250);
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.50", "10.0.0.1", 0);
		break;
	case 2:
		queue_reply(f, DHCP_ACK, m->xid, mac, "10.0.0.50", "10.0.0.2", 0);
		queue_reply(f, DHCP_NAK, m->xid, mac, "0.0.0.0", "10.0.0.1", 0);
		break;
	case 3:
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.60", "10.0.0.1", 0);
		break;
	case 4:
		queue_reply(f, DHCP_ACK, m->xid, mac, "10.0.0.60", "10.0.0.1", 0);
		break;
	}
}

static void test_nak_restarts_and_server_id(void **s)
{
	(void)s;
	struct dhcp_result res;
	memset(&F, 0, sizeof(F));
	F.respond = nak_script;
	assert_int_equal(run(7000, &res), 0);
	assert_int_equal(F.nsent, 4);
	assert_int_equal(F.sent[0].type, DHCP_DISCOVER);
	assert_int_equal(F.sent[1].type, DHCP_REQUEST);
	/* The REQUEST names the offer that matched, not the junk before it. */
	assert_int_equal(F.sent[1].req_ip.s_addr, ip("10.0.0.50").s_addr);
	assert_int_equal(F.sent[1].server.s_addr, ip("10.0.0.1").s_addr);
	assert_int_equal(F.sent[1].xid, F.sent[0].xid);
	assert_int_equal(F.sent[2].type, DHCP_DISCOVER);
	assert_int_not_equal(F.sent[2].xid, F.sent[0].xid);
	assert_int_equal(F.sent[3].type, DHCP_REQUEST);
	assert_int_equal(F.sent[3].req_ip.s_addr, ip("10.0.0.60").s_addr);
	assert_int_equal(res.ack.yiaddr.s_addr, ip("10.0.0.60").s_addr);
	assert_int_equal(res.ack.server_id.s_addr, ip("10.0.0.1").s_addr);
	for (int i = 0; i < F.nsent; i++) {
		assert_true(F.sent[i].has_61);
		assert_true(F.sent[i].has_55);
		assert_true(F.sent[i].has_57);
		assert_true(F.sent[i].has_60);
	}
	/* DISCOVERs carry neither 50 nor 54. */
	assert_int_equal(F.sent[0].req_ip.s_addr, 0);
	assert_int_equal(F.sent[0].server.s_addr, 0);
}

/* Offers, then NAKs every REQUEST. */
static void always_nak(struct fake *f, const struct sent_msg *m)
{
	if (m->type == DHCP_DISCOVER)
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.50", "10.0.0.1", 0);
	else
		queue_reply(f, DHCP_NAK, m->xid, mac, "0.0.0.0", "10.0.0.1", 0);
}

/* The first NAK restarts at once, but the NAKing server's next offer
 * waits one backoff step (3 to 5 s), and so do later restarts: 2.5 s see
 * D R D and no storm. */
static void test_repeated_nak_backs_off(void **s)
{
	(void)s;
	struct dhcp_result res;
	memset(&F, 0, sizeof(F));
	F.respond = always_nak;
	assert_int_equal(run(2500, &res), -ETIMEDOUT);
	assert_int_equal(F.nsent, 3);
	assert_int_equal(F.sent[2].type, DHCP_DISCOVER);
	assert_true(F.sent[2].at_ms - F.sent[1].at_ms < 100);
}

/* 10.0.0.1 offers first and NAKs every REQUEST (ten NAKs each time);
 * 10.0.0.2 offers second and ACKs. */
static void nak_storm_beside_good(struct fake *f, const struct sent_msg *m)
{
	if (m->type == DHCP_DISCOVER) {
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.50", "10.0.0.1", 0);
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.70", "10.0.0.2", 0);
	} else if (m->server.s_addr == ip("10.0.0.1").s_addr) {
		for (int i = 0; i < 10; i++)
			queue_reply(f, DHCP_NAK, m->xid, mac, "0.0.0.0", "10.0.0.1", 0);
	} else {
		queue_reply(f, DHCP_ACK, m->xid, mac, "10.0.0.70", "10.0.0.2", 0);
	}
}

/* A server that NAKs gets its next offer set aside for one backoff step:
 * another server's offer is requested first, and the node gets its lease
 * at once instead of looping OFFER/NAK with the fastest server. */
static void test_nak_storm_prefers_other_server(void **s)
{
	(void)s;
	struct dhcp_result res;
	long long t0 = uptime_ms();
	memset(&F, 0, sizeof(F));
	F.respond = nak_storm_beside_good;
	assert_int_equal(run(6000, &res), 0);
	assert_true(uptime_ms() - t0 < 1000);
	assert_int_equal(F.nsent, 4);
	assert_int_equal(F.sent[2].type, DHCP_DISCOVER);
	assert_int_equal(F.sent[3].type, DHCP_REQUEST);
	assert_int_equal(F.sent[3].server.s_addr, ip("10.0.0.2").s_addr);
	assert_int_equal(res.ack.yiaddr.s_addr, ip("10.0.0.70").s_addr);
}

/* DISCOVER -> OFFER of .50 from 10.0.0.1; REQUEST -> an ACK for another
 * address, then an ACK without option 54. */
static void ack_checks_script(struct fake *f, const struct sent_msg *m)
{
	if (m->type == DHCP_DISCOVER) {
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.50", "10.0.0.1", 0);
		return;
	}
	queue_reply(f, DHCP_ACK, m->xid, mac, "10.0.0.99", "10.0.0.1", 0);
	queue_reply_opts(f, DHCP_ACK, m->xid, mac, "10.0.0.50", "10.0.0.1", 0, false);
}

/* Issue 13 item 5: an ACK for an address we did not request is ignored;
 * an ACK without option 54 gets the server of the offer we requested, so
 * the lease keeper never renews towards 0.0.0.0. */
static void test_ack_address_and_server_id(void **s)
{
	(void)s;
	struct dhcp_result res;
	memset(&F, 0, sizeof(F));
	F.respond = ack_checks_script;
	assert_int_equal(run(3000, &res), 0);
	assert_int_equal(F.nsent, 2);
	assert_int_equal(res.ack.yiaddr.s_addr, ip("10.0.0.50").s_addr);
	assert_int_equal(res.ack.server_id.s_addr, ip("10.0.0.1").s_addr);
}

/* Two offers, from 10.0.0.1 (first) and 10.0.0.2; 10.0.0.1 never ACKs. */
static void silent_first_server(struct fake *f, const struct sent_msg *m)
{
	if (m->type == DHCP_DISCOVER) {
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.50", "10.0.0.1", 0);
		queue_reply(f, DHCP_OFFER, m->xid, mac, "10.0.0.70", "10.0.0.2", 0);
	} else if (m->server.s_addr == ip("10.0.0.2").s_addr) {
		queue_reply(f, DHCP_ACK, m->xid, mac, "10.0.0.70", "10.0.0.2", 0);
	}
}

/* Issue 13 item 6: after two unanswered REQUESTs the client requests the
 * next offer (same xid) instead of waiting out four REQUESTs (about 60 s);
 * 16 s allow 4 + 8 s of backoff plus jitter. */
static void test_unanswered_offer_falls_back(void **s)
{
	(void)s;
	struct dhcp_result res;
	memset(&F, 0, sizeof(F));
	F.respond = silent_first_server;
	assert_int_equal(run(16000, &res), 0);
	assert_int_equal(F.nsent, 4);
	assert_int_equal(F.sent[1].server.s_addr, ip("10.0.0.1").s_addr);
	assert_int_equal(F.sent[2].server.s_addr, ip("10.0.0.1").s_addr);
	assert_int_equal(F.sent[3].type, DHCP_REQUEST);
	assert_int_equal(F.sent[3].server.s_addr, ip("10.0.0.2").s_addr);
	assert_int_equal(F.sent[3].req_ip.s_addr, ip("10.0.0.70").s_addr);
	assert_int_equal(F.sent[3].xid, F.sent[0].xid);
	assert_int_equal(res.ack.yiaddr.s_addr, ip("10.0.0.70").s_addr);
	assert_int_equal(res.ack.server_id.s_addr, ip("10.0.0.2").s_addr);
}

/* Offers, then ACKs. */
static void plain_server(struct fake *f, const struct sent_msg *m)
{
	queue_reply(f, m->type == DHCP_DISCOVER ? DHCP_OFFER : DHCP_ACK, m->xid, mac,
		    "10.0.0.50", "10.0.0.1", 0);
}

/* Issue 13 item 10: a socket that reports only POLLERR made the loop spin
 * until the timeout. Its error is read, and when it persists the socket is
 * reopened, at once, and DHCP goes on. */
static void test_pollerr_reopens_socket(void **s)
{
	(void)s;
	struct dhcp_result res;
	long long t0 = uptime_ms();
	memset(&F, 0, sizeof(F));
	F.respond = plain_server;
	F.bad_opens = 1;
	assert_int_equal(run(3000, &res), 0);
	assert_true(uptime_ms() - t0 < 1000);
	assert_int_equal(F.nopen, 2);
	assert_true(F.nerror >= 1 && F.nerror <= 2);
	assert_int_equal(res.ack.yiaddr.s_addr, ip("10.0.0.50").s_addr);
}

/* A socket that keeps failing after every reopen: the link is given up
 * after a few reopens (-ENETDOWN, the only link), not spun on. */
static void test_pollerr_persistent_gives_up(void **s)
{
	(void)s;
	struct dhcp_result res;
	long long t0 = uptime_ms();
	memset(&F, 0, sizeof(F));
	F.respond = plain_server;
	F.bad_opens = 1000;
	assert_int_equal(run(3000, &res), -ENETDOWN);
	assert_true(uptime_ms() - t0 < 1000);
	assert_true(F.nopen >= 2 && F.nopen <= 5);
	assert_true(F.nerror <= 2 * F.nopen);
}

/* Nobody answers: the first DISCOVER at once, the second 4 +- 1 s later,
 * the third not before 3 + 7 s, so 5.5 s see exactly two. */
static void test_retransmit_schedule(void **s)
{
	(void)s;
	struct dhcp_result res;
	long long t0 = uptime_ms();
	memset(&F, 0, sizeof(F));
	assert_int_equal(run(5500, &res), -ETIMEDOUT);
	long long took = uptime_ms() - t0;
	assert_true(took >= 5500 && took < 6000);
	assert_int_equal(F.nsent, 2);
	assert_true(F.sent[0].at_ms - t0 < 100);
	long long gap = F.sent[1].at_ms - F.sent[0].at_ms;
	assert_true(gap >= 3000 && gap <= 5050);
	assert_int_equal(F.sent[1].xid, F.sent[0].xid);   /* same transaction */
	assert_true(res.had_carrier);
}

static void test_backoff_values(void **s)
{
	(void)s;
	static const long long base[] = { 4000, 8000, 16000, 32000, 64000, 64000, 64000 };
	for (unsigned n = 0; n < 7; n++) {
		assert_int_equal(dhcp_backoff_ms(n, 1000), base[n]);
		assert_int_equal(dhcp_backoff_ms(n, 0), base[n] - 1000);
		assert_int_equal(dhcp_backoff_ms(n, 2000), base[n] + 1000);
		assert_int_equal(dhcp_backoff_ms(n, 2001), base[n] - 1000);
	}
	assert_int_equal(dhcp_backoff_ms(1000, 0xffffffffu), 64000 + (long long)(0xffffffffu % 2001) - 1000);
	for (uint32_t r = 0; r < 5000; r += 7) {
		long long d = dhcp_backoff_ms(0, r * 2654435761u);
		assert_true(d >= 3000 && d <= 5000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_values),
		cmocka_unit_test(test_nak_restarts_and_server_id),
		cmocka_unit_test(test_retransmit_schedule),
		cmocka_unit_test(test_repeated_nak_backs_off),
		cmocka_unit_test(test_nak_storm_prefers_other_server),
		cmocka_unit_test(test_ack_address_and_server_id),
		cmocka_unit_test(test_unanswered_offer_falls_back),
		cmocka_unit_test(test_pollerr_reopens_socket),
		cmocka_unit_test(test_pollerr_persistent_gives_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

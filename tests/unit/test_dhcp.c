/* DHCP messages and framing: hand-built OFFER/ACK/NAK, truncation at every
 * length, bad option lengths, overload, RFC 3396 concatenation, option 119. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../netcfg/dhcp_msg.h"
#include "../../netcfg/netcfg.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define XID 0xdeadbeefu

static struct in_addr ip(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* Finds option code in a message we built (options field only). */
static const uint8_t *find_opt(const uint8_t *b, int len, uint8_t code)
{
	int i = DHCP_OPTIONS_OFF;
	while (i < len && b[i] != 255) {
		if (b[i] == 0) {
			i++;
			continue;
		}
		if (b[i] == code)
			return b + i;
		i += 2 + b[i + 1];
	}
	return NULL;
}

/* ---- encoder ---- */

static void test_build_discover(void **s)
{
	(void)s;
	uint8_t b[DHCP_MSG_MAX];
	struct dhcp_out o = { .type = DHCP_DISCOVER, .xid = XID, .secs = 3, .vendor_class = "nfsinit" };
	memcpy(o.mac, mac, 6);
	int len = dhcp_msg_build(&o, b, sizeof(b));
	assert_true(len >= DHCP_BOOTP_MIN);
	assert_int_equal(b[0], 1);                      /* BOOTREQUEST */
	assert_int_equal(b[1], 1);
	assert_int_equal(b[2], 6);
	assert_memory_equal(b + 4, "\xde\xad\xbe\xef", 4);
	assert_memory_equal(b + 8, "\x00\x03", 2);
	assert_memory_equal(b + 10, "\x80\x00", 2);     /* broadcast flag */
	assert_memory_equal(b + 28, mac, 6);
	assert_memory_equal(b + 236, "\x63\x82\x53\x63", 4);

	const uint8_t *p = find_opt(b, len, 53);
	assert_non_null(p);
	assert_int_equal(p[1], 1);
	assert_int_equal(p[2], DHCP_DISCOVER);
	p = find_opt(b, len, 61);
	assert_non_null(p);
	assert_int_equal(p[1], 7);
	assert_int_equal(p[2], 1);
	assert_memory_equal(p + 3, mac, 6);
	p = find_opt(b, len, 57);
	assert_non_null(p);
	assert_memory_equal(p + 1, "\x02\x05\xdc", 3);   /* 1500 */
	p = find_opt(b, len, 60);
	assert_non_null(p);
	assert_int_equal(p[1], 7);
	assert_memory_equal(p + 2, "nfsinit", 7);
	p = find_opt(b, len, 55);
	assert_non_null(p);
	static const uint8_t want[] = { 1, 3, 6, 12, 15, 17, 26, 28, 42, 119, 224 };
	for (size_t i = 0; i < sizeof(want); i++)
		assert_non_null(memchr(p + 2, want[i], p[1]));
	assert_null(find_opt(b, len, 50));
	assert_null(find_opt(b, len, 54));
	assert_null(find_opt(b, len, 12));
}

static void test_build_request(void **s)
{
	(void)s;
	uint8_t b[DHCP_MSG_MAX];
	struct dhcp_out o = { .type = DHCP_REQUEST, .xid = 7, .max_size = 1400,
			      .requested_ip = ip("10.0.2.15"), .server_id = ip("10.0.2.2"),
			      .hostname = "node1" };
	memcpy(o.mac, mac, 6);
	int len = dhcp_msg_build(&o, b, sizeof(b));
	assert_true(len >= DHCP_BOOTP_MIN);
	assert_memory_equal(b + 4, "\x00\x00\x00\x07", 4);
	assert_memory_equal(find_opt(b, len, 53), "\x35\x01\x03", 3);
	assert_memory_equal(find_opt(b, len, 50), "\x32\x04\x0a\x00\x02\x0f", 6);
	assert_memory_equal(find_opt(b, len, 54), "\x36\x04\x0a\x00\x02\x02", 6);
	assert_memory_equal(find_opt(b, len, 57), "\x39\x02\x05\x78", 4);
	assert_memory_equal(find_opt(b, len, 12), "\x0c\x05node1", 7);
	assert_null(find_opt(b, len, 60));            /* no vendor class given */
}

static void test_build_errors(void **s)
{
	(void)s;
	uint8_t b[DHCP_MSG_MAX];
	struct dhcp_out o = { .type = DHCP_OFFER };
	assert_int_equal(dhcp_msg_build(&o, b, sizeof(b)), -EINVAL);
	o.type = DHCP_DISCOVER;
	assert_int_equal(dhcp_msg_build(&o, b, 299), -ENOBUFS);
	char big[256];
	memset(big, 'x', 255);
	big[255] = 0;
	o.vendor_class = big;
	o.hostname = big;
	assert_int_equal(dhcp_msg_build(&o, b, 400), -ENOBUFS);
}

/* ---- hand-built replies ---- */

struct pkt {
	uint8_t b[DHCP_MSG_MAX];
	int len;
	int bounds[64];     /* offsets where an option ends */
	int nbounds;
};

static void reply_init(struct pkt *p, uint8_t type)
{
	memset(p, 0, sizeof(*p));
	p->b[0] = 2;
	p->b[1] = 1;
	p->b[2] = 6;
	memcpy(p->b + 4, "\xde\xad\xbe\xef", 4);
	memcpy(p->b + 16, "\x0a\x63\x00\x6e", 4);   /* yiaddr 10.99.0.110 */
	memcpy(p->b + 20, "\x0a\x63\x00\x01", 4);   /* siaddr */
	memcpy(p->b + 28, mac, 6);
	memcpy(p->b + 236, "\x63\x82\x53\x63", 4);
	p->len = DHCP_OPTIONS_OFF;
	p->b[p->len++] = 53;
	p->b[p->len++] = 1;
	p->b[p->len++] = type;
	p->bounds[p->nbounds++] = p->len;
}

static void add(struct pkt *p, uint8_t code, const void *data, uint8_t len)
{
	p->b[p->len++] = code;
	p->b[p->len++] = len;
	memcpy(p->b + p->len, data, len);
	p->len += len;
	p->bounds[p->nbounds++] = p->len;
}

static void end(struct pkt *p)
{
	p->b[p->len++] = 255;
	p->bounds[p->nbounds++] = p->len;
}

/* Parses from an exact-size heap copy so ASan sees any overread. */
static int parse(const uint8_t *b, size_t len, struct dhcp_reply *r)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, b, len);
	int rc = dhcp_msg_parse(copy, len, r);
	free(copy);
	return rc;
}

static const uint8_t search119[] = {
	7, 'c', 'l', 'u', 's', 't', 'e', 'r', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
	1, 'a', 0xc0, 0x00,          /* a.cluster.example */
	0xc0, 0x08,                  /* example */
};

static void full_ack(struct pkt *p)
{
	reply_init(p, DHCP_ACK);
	add(p, 54, "\x0a\x63\x00\x01", 4);
	add(p, 1, "\xff\xff\xff\x00", 4);
	add(p, 3, "\x0a\x63\x00\xfe\x0a\x63\x00\xfd", 8);
	add(p, 6, "\x01\x01\x01\x01\x08\x08\x08\x08\x09\x09\x09\x09\x04\x04\x04\x04", 16);
	add(p, 12, "node7", 5);
	add(p, 15, "example.org\0", 12);
	add(p, 17, "10.99.0.1:/srv/root", 19);
	add(p, 26, "\x05\x78", 2);
	add(p, 28, "\x0a\x63\x00\xff", 4);
	add(p, 42, "\x0a\x63\x00\x02", 4);
	add(p, 51, "\x00\x00\x0e\x10", 4);
	add(p, 58, "\x00\x00\x07\x08", 4);
	add(p, 59, "\x00\x00\x0c\x4e", 4);
	add(p, 7, "\x0a\x63\x00\x05\x0a\x63\x00\x06", 8); /* log servers: the first is used */
	add(p, 66, "tftp.example", 12);
	add(p, 67, "pxelinux.0", 10);
	add(p, 119, search119, sizeof(search119));
	end(p);
}

static void test_parse_ack(void **s)
{
	(void)s;
	struct pkt p;
	struct dhcp_reply r;
	full_ack(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_int_equal(r.type, DHCP_ACK);
	assert_int_equal(dhcp_reply_match(&r, XID, mac), 0);
	assert_int_equal(r.yiaddr.s_addr, ip("10.99.0.110").s_addr);
	assert_int_equal(r.siaddr.s_addr, ip("10.99.0.1").s_addr);
	assert_int_equal(r.server_id.s_addr, ip("10.99.0.1").s_addr);
	assert_int_equal(r.netmask.s_addr, ip("255.255.255.0").s_addr);
	assert_int_equal(r.router.s_addr, ip("10.99.0.254").s_addr);
	assert_int_equal(r.ndns, 3);                  /* NI_MAX_DNS, the fourth ignored */
	assert_int_equal(r.dns[2].s_addr, ip("9.9.9.9").s_addr);
	assert_string_equal(r.hostname, "node7");
	assert_string_equal(r.domain, "example.org"); /* counted NUL dropped */
	assert_string_equal(r.root_path, "10.99.0.1:/srv/root");
	assert_int_equal(r.mtu, 1400);
	assert_int_equal(r.broadcast.s_addr, ip("10.99.0.255").s_addr);
	assert_int_equal(r.nntp, 1);
	assert_int_equal(r.log_server.s_addr, ip("10.99.0.5").s_addr);
	assert_int_equal(r.lease_secs, 3600);
	assert_int_equal(r.t1, 1800);
	assert_int_equal(r.t2, 3150);
	assert_string_equal(r.tftp_server, "tftp.example");
	assert_string_equal(r.bootfile, "pxelinux.0");
	assert_string_equal(r.search, "cluster.example a.cluster.example example");
}

static void test_parse_offer_nak(void **s)
{
	(void)s;
	struct pkt p;
	struct dhcp_reply r;
	reply_init(&p, DHCP_OFFER);
	add(&p, 54, "\x0a\x63\x00\x01", 4);
	end(&p);
	memcpy(p.b + 108, "boot/file", 9);            /* BOOTP file field, no overload */
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_int_equal(r.type, DHCP_OFFER);
	assert_string_equal(r.bootfile, "boot/file");
	assert_string_equal(r.root_path, "");
	assert_int_equal(r.mtu, 0);

	reply_init(&p, DHCP_NAK);
	add(&p, 54, "\x0a\x63\x00\x01", 4);
	add(&p, 56, "no", 2);                         /* message: unknown to us, skipped */
	end(&p);
	memset(p.b + 16, 0, 4);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_int_equal(r.type, DHCP_NAK);
	assert_int_equal(r.yiaddr.s_addr, 0);
}

static bool is_bound(const struct pkt *p, int len)
{
	for (int i = 0; i < p->nbounds; i++)
		if (p->bounds[i] == len)
			return true;
	return false;
}

static void test_truncated_every_length(void **s)
{
	(void)s;
	struct pkt p;
	struct dhcp_reply r;
	full_ack(&p);
	for (int len = 0; len < p.len; len++) {
		int rc = parse(p.b, (size_t)len, &r);
		if (len <= DHCP_OPTIONS_OFF + 2 || !is_bound(&p, len))
			assert_int_equal(rc, -EBADMSG);
		else    /* cut exactly between options: a message without END */
			assert_int_equal(rc, 0);
	}
}

struct bad_case {
	const char *name;
	uint8_t code;
	const char *data;
	uint8_t len;
	int rc;
};

static void test_bad_option_lengths(void **s)
{
	(void)s;
	/* Only option 53 (type), 54 (server id) and the option layout itself
	 * may reject a reply; a bad optional option is skipped (issue 13 item 7). */
	static const struct bad_case cases[] = {
		{ "netmask 3",  1,  "\xff\xff\xff", 3, 0 },
		{ "router 5",   3,  "\x01\x02\x03\x04\x05", 5, 0 },
		{ "router 0",   3,  "", 0, 0 },
		{ "dns 6",      6,  "\x01\x02\x03\x04\x05\x06", 6, 0 },
		{ "mtu 1",      26, "\x05", 1, 0 },
		{ "mtu 67",     26, "\x00\x43", 2, 0 },
		{ "lease 3",    51, "\x00\x00\x10", 3, 0 },
		{ "server 8",   54, "\x01\x02\x03\x04\x05\x06\x07\x08", 8, -EBADMSG },
		{ "server 0",   54, "", 0, -EBADMSG },
		{ "overload 4", 52, "\x04", 1, -EBADMSG },
		{ "overload 2b",52, "\x01\x01", 2, -EBADMSG },
		{ "type twice", 53, "\x05", 1, -EBADMSG },
		{ "hostname 64",12, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64, 0 },
		{ "search 0",   119, "", 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkt p;
		struct dhcp_reply r;
		reply_init(&p, DHCP_ACK);
		add(&p, cases[i].code, cases[i].data, cases[i].len);
		end(&p);
		int rc = parse(p.b, (size_t)p.len, &r);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d", cases[i].name, rc, cases[i].rc);
		if (rc == 0 && cases[i].len)   /* an empty 119 is no error, nothing to skip */
			assert_true(r.nskipped == 1 && r.skipped[0] == cases[i].code);
	}

	/* A length byte that runs past the end of the message. */
	struct pkt p;
	struct dhcp_reply r;
	reply_init(&p, DHCP_ACK);
	p.b[p.len++] = 17;
	p.b[p.len++] = 40;
	memcpy(p.b + p.len, "short", 5);
	p.len += 5;
	assert_int_equal(parse(p.b, (size_t)p.len, &r), -EBADMSG);

	/* No option 53 at all. */
	reply_init(&p, DHCP_ACK);
	p.len = DHCP_OPTIONS_OFF;
	end(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), -EBADMSG);

	/* Not a BOOTREPLY, bad cookie, odd hardware length. */
	full_ack(&p);
	p.b[0] = 1;
	assert_int_equal(parse(p.b, (size_t)p.len, &r), -EBADMSG);
	full_ack(&p);
	p.b[239] = 0;
	assert_int_equal(parse(p.b, (size_t)p.len, &r), -EBADMSG);
	full_ack(&p);
	p.b[2] = 16;
	assert_int_equal(parse(p.b, (size_t)p.len, &r), -EBADMSG);
}

/* Issue 13 item 7: one malformed optional option (a 64-byte option 12, an
 * MTU below 68, a 3-byte option 28) costs that option only; the lease and
 * every other option are kept, and the skipped codes are reported. */
static void test_bad_optional_option_kept_lease(void **s)
{
	(void)s;
	char name64[64];
	struct pkt p;
	struct dhcp_reply r;
	memset(name64, 'n', sizeof(name64));
	reply_init(&p, DHCP_ACK);
	add(&p, 54, "\x0a\x63\x00\x01", 4);
	add(&p, 12, name64, sizeof(name64));
	add(&p, 26, "\x00\x43", 2);
	add(&p, 28, "\x0a\x63\x00", 3);
	add(&p, 6, "\x0a\x63\x00\x02\x0a", 5);   /* not a multiple of 4 */
	add(&p, 119, "\x03" "abc", 4);            /* label without its end */
	add(&p, 1, "\xff\xff\xff\x00", 4);
	add(&p, 17, "10.99.0.1:/srv/root", 19);
	add(&p, 51, "\x00\x00\x0e\x10", 4);
	end(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_int_equal(r.type, DHCP_ACK);
	assert_int_equal(r.yiaddr.s_addr, ip("10.99.0.110").s_addr);
	assert_int_equal(r.server_id.s_addr, ip("10.99.0.1").s_addr);
	assert_int_equal(r.netmask.s_addr, ip("255.255.255.0").s_addr);
	assert_string_equal(r.root_path, "10.99.0.1:/srv/root");
	assert_int_equal(r.lease_secs, 3600);
	/* The bad ones are absent, not half-filled. */
	assert_string_equal(r.hostname, "");
	assert_int_equal(r.mtu, 0);
	assert_int_equal(r.broadcast.s_addr, 0);
	assert_int_equal(r.ndns, 0);
	assert_string_equal(r.search, "");
	assert_int_equal(r.nskipped, 5);
	static const uint8_t want[] = { 6, 12, 26, 28, 119 };   /* in specs[] order */
	assert_memory_equal(r.skipped, want, sizeof(want));

	/* A 3-byte server id still rejects the reply, and says which option. */
	reply_init(&p, DHCP_ACK);
	add(&p, 54, "\x0a\x63\x00", 3);
	add(&p, 12, name64, sizeof(name64));
	end(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), -EBADMSG);
	assert_int_equal(r.bad_option, 54);
}

static void test_overload(void **s)
{
	(void)s;
	struct pkt p;
	struct dhcp_reply r;
	reply_init(&p, DHCP_ACK);
	add(&p, 52, "\x03", 1);                       /* file and sname */
	add(&p, 15, "clu", 3);
	end(&p);
	/* file (108..235): more of option 15, then root path */
	memcpy(p.b + 108, "\x0f\x0c" "ster.example" "\x11\x08/srv/img\xff", 26);
	/* sname (44..107): hostname, with pad bytes */
	memcpy(p.b + 44, "\x00\x00\x0c\x04host\xff", 9);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_string_equal(r.domain, "cluster.example");
	assert_string_equal(r.root_path, "/srv/img");
	assert_string_equal(r.hostname, "host");
	assert_string_equal(r.bootfile, "");          /* file holds options, not a name */

	/* An option in file that runs over the field's end. */
	memcpy(p.b + 230, "\x11\x10xxxx", 6);
	memset(p.b + 108, 0, 122);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), -EBADMSG);
	assert_int_equal(r.bad_option, 52);
}

static void test_concatenated_root_path(void **s)
{
	(void)s;
	struct pkt p;
	struct dhcp_reply r;
	reply_init(&p, DHCP_ACK);
	add(&p, 17, "10.99.0.1:/srv", 14);
	add(&p, 1, "\xff\xff\x00\x00", 4);
	add(&p, 17, "/root,vers=4.2", 14);
	end(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_string_equal(r.root_path, "10.99.0.1:/srv/root,vers=4.2");
	assert_int_equal(r.netmask.s_addr, ip("255.255.0.0").s_addr);

	/* Concatenation makes a 4-byte option out of two halves too (RFC 3396). */
	reply_init(&p, DHCP_ACK);
	add(&p, 1, "\xff\xff", 2);
	add(&p, 1, "\xff\x00", 2);
	end(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_int_equal(r.netmask.s_addr, ip("255.255.255.0").s_addr);
}

struct search_case {
	const char *name;
	const uint8_t *data;
	size_t len;
	int rc;
	const char *want;
};

static void test_search_list(void **s)
{
	(void)s;
	static const uint8_t self_loop[] = { 0xc0, 0x00 };
	static const uint8_t forward[] = { 1, 'a', 0xc0, 0x05, 0, 1, 'b', 0 };
	static const uint8_t pair_loop[] = { 1, 'a', 0xc0, 0x04, 1, 'b', 0xc0, 0x00 };
	static const uint8_t in_name[] = { 1, 'a', 1, 'b', 0xc0, 0x02 };
	static const uint8_t chain[] = { 3, 'o', 'r', 'g', 0, 1, 'x', 0xc0, 0x00, 1, 'y', 0xc0, 0x05 };
	static const uint8_t cut_label[] = { 5, 'a', 'b' };
	static const uint8_t cut_ptr[] = { 1, 'a', 0, 0xc0 };
	static const uint8_t no_end[] = { 1, 'a' };
	static const uint8_t ext_label[] = { 0x41, 'a', 0 };
	static const uint8_t space[] = { 3, 'a', ' ', 'b', 0 };
	static const struct search_case cases[] = {
		{ "compressed", search119, sizeof(search119), 0, "cluster.example a.cluster.example example" },
		{ "chain", chain, sizeof(chain), 0, "org x.org y.x.org" },
		{ "self loop", self_loop, sizeof(self_loop), -EBADMSG, NULL },
		{ "forward", forward, sizeof(forward), -EBADMSG, NULL },
		{ "pair loop", pair_loop, sizeof(pair_loop), -EBADMSG, NULL },
		{ "into own name", in_name, sizeof(in_name), -EBADMSG, NULL },
		{ "cut label", cut_label, sizeof(cut_label), -EBADMSG, NULL },
		{ "cut pointer", cut_ptr, sizeof(cut_ptr), -EBADMSG, NULL },
		{ "no end", no_end, sizeof(no_end), -EBADMSG, NULL },
		{ "extended label", ext_label, sizeof(ext_label), -EBADMSG, NULL },
		{ "space in label", space, sizeof(space), -EBADMSG, NULL },
	};
	char out[NI_DOMAIN_MAX];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = dhcp_decode_search(cases[i].data, cases[i].len, out, sizeof(out));
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d", cases[i].name, rc, cases[i].rc);
		if (cases[i].want)
			assert_string_equal(out, cases[i].want);
	}
	/* Does not fit: an error, not a cut name. */
	assert_int_equal(dhcp_decode_search(search119, sizeof(search119), out, 10), -ENAMETOOLONG);
}

static void test_match(void **s)
{
	(void)s;
	struct pkt p;
	struct dhcp_reply r;
	uint8_t other[6];
	full_ack(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_int_equal(dhcp_reply_match(&r, XID, mac), 0);
	assert_int_equal(dhcp_reply_match(&r, XID + 1, mac), -ESRCH);
	memcpy(other, mac, 6);
	other[5] ^= 1;
	assert_int_equal(dhcp_reply_match(&r, XID, other), -ESRCH);
}

/* ---- IPv4/UDP framing ---- */

/* After editing a header field, so that only the edit is wrong. */
static void fix_ip_sum(uint8_t *ip)
{
	uint32_t sum = 0;
	ip[10] = ip[11] = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = (uint8_t)(~sum >> 8);
	ip[11] = (uint8_t)~sum;
}

static int wrap_ack(uint8_t *frame, size_t cap)
{
	struct pkt p;
	full_ack(&p);
	memcpy(frame + DHCP_FRAME_HDR, p.b, (size_t)p.len);
	int len = dhcp_frame_wrap(frame, cap, (size_t)p.len, 42);
	assert_int_equal(len, DHCP_FRAME_HDR + p.len);
	/* Our wrap sends to port 67; turn it into a server's answer to 68. */
	frame[20] = 0; frame[21] = 67; frame[22] = 0; frame[23] = 68;
	frame[26] = 0; frame[27] = 0;                 /* "no checksum" */
	return len;
}

static void test_frame(void **s)
{
	(void)s;
	uint8_t frame[DHCP_FRAME_MAX];
	const uint8_t *msg;
	size_t mlen;
	struct dhcp_reply r;

	/* The frame we send: valid IPv4 header and UDP checksums. */
	uint8_t out[DHCP_FRAME_MAX];
	struct dhcp_out o = { .type = DHCP_DISCOVER, .xid = 1 };
	int plen = dhcp_msg_build(&o, out + DHCP_FRAME_HDR, sizeof(out) - DHCP_FRAME_HDR);
	int flen = dhcp_frame_wrap(out, sizeof(out), (size_t)plen, 1);
	assert_int_equal(flen, plen + DHCP_FRAME_HDR);
	assert_memory_equal(out + 16, "\xff\xff\xff\xff", 4);
	assert_memory_equal(out + 12, "\0\0\0\0", 4);
	out[22] = 0; out[23] = 68;     /* retarget to 68 and fix the checksum by hand: */
	assert_int_equal(dhcp_frame_unwrap(out, (size_t)flen, true, &msg, &mlen), -EBADMSG);
	assert_int_equal(dhcp_frame_unwrap(out, (size_t)flen, false, &msg, &mlen), 0);
	assert_int_equal(dhcp_frame_wrap(out, 100, 300, 1), -ENOBUFS);

	int len = wrap_ack(frame, sizeof(frame));
	assert_int_equal(dhcp_frame_unwrap(frame, (size_t)len, true, &msg, &mlen), 0);
	assert_int_equal(mlen, (size_t)len - DHCP_FRAME_HDR);
	assert_int_equal(dhcp_msg_parse(msg, mlen, &r), 0);
	/* Ethernet padding after the IP packet is ignored. */
	assert_int_equal(dhcp_frame_unwrap(frame, (size_t)len + 10, true, &msg, &mlen), 0);
	assert_int_equal(mlen, (size_t)len - DHCP_FRAME_HDR);

	for (int cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc((size_t)cut + 1);
		memcpy(copy, frame, (size_t)cut);
		assert_int_equal(dhcp_frame_unwrap(copy, (size_t)cut, true, &msg, &mlen), -EBADMSG);
		free(copy);
	}

	struct { const char *name; int off; uint8_t val; bool fix; } bad[] = {
		{ "ip version 6", 0, 0x65, true },
		{ "ihl 4", 0, 0x44, true },
		{ "ihl 15", 0, 0x4f, true },
		{ "ip checksum", 10, 0x00, false },
		{ "tcp", 9, 6, true },
		{ "fragment", 7, 0x01, true },
		{ "more fragments", 6, 0x20, true },
		{ "total length", 2, 0x7f, true },
		{ "port 69", 23, 69, true },
		{ "udp length", 24, 0x7f, true },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = wrap_ack(frame, sizeof(frame));
		frame[bad[i].off] = bad[i].val;
		if (bad[i].fix)
			fix_ip_sum(frame);
		if (dhcp_frame_unwrap(frame, (size_t)len, true, &msg, &mlen) != -EBADMSG)
			fail_msg("%s: accepted", bad[i].name);
	}
	len = wrap_ack(frame, sizeof(frame));
	frame[24] = 0;
	frame[25] = 7;                                /* shorter than its own header */
	assert_int_equal(dhcp_frame_unwrap(frame, (size_t)len, true, &msg, &mlen), -EBADMSG);
}

/* Option 224 (site-specific): the node's template classes (identity/). */
static void test_node_classes_option(void **s)
{
	(void)s;
	struct pkt p;
	struct dhcp_reply r;
	char big[200];
	reply_init(&p, DHCP_ACK);
	add(&p, 224, "gpu,rack3", 9);
	end(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);
	assert_string_equal(r.classes, "gpu,rack3");
	memset(big, 'a', sizeof(big));
	reply_init(&p, DHCP_ACK);
	add(&p, 224, big, sizeof(big));   /* RFC 3396: two instances, one 400-byte value */
	add(&p, 224, big, sizeof(big));
	end(&p);
	assert_int_equal(parse(p.b, (size_t)p.len, &r), 0);   /* skipped, the lease kept */
	assert_string_equal(r.classes, "");
	assert_int_equal(r.nskipped, 1);
	assert_int_equal(r.skipped[0], 224);
}

/* lease_from_ack: the server's values, the command line's hostname only
 * when the server sends none, its mtu over the server's, the domain from
 * option 119 when option 15 is missing, a classful netmask when option 1 is
 * missing, and the interface fields left as they were. */
static void test_lease_from_ack(void **s)
{
	(void)s;
	static const struct {
		const char *hostname, *domain, *search, *mask, *cmd_hostname;
		unsigned mtu, cmd_mtu;
		const char *want_host, *want_domain, *want_mask, *want_bcast;
		int want_prefix;
		unsigned want_mtu;
	} cases[] = {
		{ "n7", "example.org", "a.example b.example", "255.255.255.0", "cmd", 1400, 0,
		  "n7", "example.org", "255.255.255.0", "10.1.2.255", 24, 1400 },
		{ "", "", "a.example b.example", "255.255.0.0", "cmd", 1400, 9000,
		  "cmd", "a.example", "255.255.0.0", "10.1.255.255", 16, 9000 },
		{ "", "", "", NULL, "", 0, 0, "", "", "255.0.0.0", "10.255.255.255", 8, 0 },
		{ "n7", "", "", "255.255.255.254", "", 0, 0, "n7", "", "255.255.255.254", "0.0.0.0", 31, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dhcp_reply r;
		struct net_request req;
		struct net_lease l;
		char a[INET_ADDRSTRLEN];
		memset(&r, 0, sizeof(r));
		memset(&req, 0, sizeof(req));
		memset(&l, 0, sizeof(l));
		strcpy(l.ifname, "eth1");
		l.ifindex = 3;
		r.yiaddr = ip("10.1.2.3");
		r.router = ip("10.1.2.1");
		r.server_id = ip("10.1.2.2");
		r.siaddr = ip("10.1.2.4");
		r.dns[0] = ip("10.1.2.53");
		r.ndns = 1;
		r.lease_secs = 3600;
		r.t1 = 1800;
		r.mtu = (uint16_t)cases[i].mtu;
		strcpy(r.hostname, cases[i].hostname);
		strcpy(r.domain, cases[i].domain);
		strcpy(r.search, cases[i].search);
		strcpy(r.root_path, "10.1.2.2:/srv/root");
		strcpy(r.classes, "gpu");
		if (cases[i].mask)
			r.netmask = ip(cases[i].mask);
		strcpy(req.ip.hostname, cases[i].cmd_hostname);
		req.ip.mtu = cases[i].cmd_mtu;

		lease_from_ack(&req, &r, &l);
		assert_true(l.via_dhcp);
		assert_string_equal(l.ifname, "eth1");
		assert_int_equal(l.ifindex, 3);
		assert_int_equal(l.addr.s_addr, r.yiaddr.s_addr);
		assert_int_equal(l.gateway.s_addr, r.router.s_addr);
		assert_int_equal(l.server_id.s_addr, r.server_id.s_addr);
		assert_int_equal(l.next_server.s_addr, r.siaddr.s_addr);
		assert_int_equal(l.ndns, 1);
		assert_int_equal(l.dns[0].s_addr, r.dns[0].s_addr);
		assert_int_equal(l.lease_secs, 3600);
		assert_int_equal(l.t1, 1800);
		assert_int_equal(l.obtained_ms, 0);
		assert_string_equal(l.root_path, "10.1.2.2:/srv/root");
		assert_string_equal(l.classes, "gpu");
		assert_string_equal(l.search, cases[i].search);
		assert_string_equal(l.hostname, cases[i].want_host);
		assert_string_equal(l.domain, cases[i].want_domain);
		assert_string_equal(inet_ntop(AF_INET, &l.netmask, a, sizeof(a)), cases[i].want_mask);
		assert_string_equal(inet_ntop(AF_INET, &l.broadcast, a, sizeof(a)), cases[i].want_bcast);
		assert_int_equal(l.prefix, cases[i].want_prefix);
		assert_int_equal(l.mtu, cases[i].want_mtu);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_discover),
		cmocka_unit_test(test_build_request),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_parse_ack),
		cmocka_unit_test(test_parse_offer_nak),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_bad_option_lengths),
		cmocka_unit_test(test_bad_optional_option_kept_lease),
		cmocka_unit_test(test_overload),
		cmocka_unit_test(test_concatenated_root_path),
		cmocka_unit_test(test_search_list),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_frame),
		cmocka_unit_test(test_node_classes_option),
		cmocka_unit_test(test_lease_from_ack),
	};
	return cmocka_run_group_tests_name("dhcp", tests, NULL, NULL);
}

/* The stub resolver's messages (common/dns_msg.c): queries as built, and
 * replies as dnsmasq 2.90 sent them (captured in a network namespace with
 * --host-record=nfs1.cluster.lan,10.0.0.5,fd00::5 and
 * --cname=root.cluster.lan,nfs1.cluster.lan; also the fuzz seeds), then
 * the same replies broken one way at a time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "../../common/dns_msg.h"

/* A for nfs1.cluster.lan, id 0x1234: one answer, owner a pointer to 12. */
static const uint8_t nfs1_a[] = {
	0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x04, 'n', 'f', 's', '1', 0x07, 'c', 'l', 'u', 's', 't', 'e', 'r', 0x03, 'l', 'a', 'n', 0x00,
	0x00, 0x01, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 10, 0, 0, 5,
};

/* AAAA for nfs1.cluster.lan, id 0x1235. */
static const uint8_t nfs1_aaaa[] = {
	0x12, 0x35, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x04, 'n', 'f', 's', '1', 0x07, 'c', 'l', 'u', 's', 't', 'e', 'r', 0x03, 'l', 'a', 'n', 0x00,
	0x00, 0x1c, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5,
};

/* A for root.cluster.lan, id 0x1236: a CNAME to nfs1.cluster.lan, then the
 * A record whose owner points into the CNAME's data (offset 46). */
static const uint8_t root_a[] = {
	0x12, 0x36, 0x85, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x04, 'r', 'o', 'o', 't', 0x07, 'c', 'l', 'u', 's', 't', 'e', 'r', 0x03, 'l', 'a', 'n', 0x00,
	0x00, 0x01, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12,
	0x04, 'n', 'f', 's', '1', 0x07, 'c', 'l', 'u', 's', 't', 'e', 'r', 0x03, 'l', 'a', 'n', 0x00,
	0xc0, 0x2e, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 10, 0, 0, 5,
};

/* A for nfs9.cluster.lan, id 0x1237: NXDOMAIN. */
static const uint8_t nfs9_a[] = {
	0x12, 0x37, 0x81, 0x83, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x04, 'n', 'f', 's', '9', 0x07, 'c', 'l', 'u', 's', 't', 'e', 'r', 0x03, 'l', 'a', 'n', 0x00,
	0x00, 0x01, 0x00, 0x01,
};

static int query(uint16_t id, const char *name, uint16_t type, uint8_t *q)
{
	int n = dns_query_build(id, name, type, q, DNS_UDP_MAX);
	assert_true(n > 0);
	return n;
}

static void test_query_build(void **s)
{
	(void)s;
	uint8_t q[DNS_UDP_MAX];
	int n = dns_query_build(0x1234, "nfs1.cluster.lan", DNS_TYPE_A, q, sizeof(q));
	/* the query dnsmasq answered above: the reply's first 34 bytes less the flags */
	assert_int_equal(n, 34);
	assert_memory_equal(q, "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
	assert_memory_equal(q + 12, nfs1_a + 12, 22);
	assert_int_equal(dns_query_build(1, "nfs_1.lan", DNS_TYPE_A, q, sizeof(q)), -EINVAL);
	assert_int_equal(dns_query_build(1, "", DNS_TYPE_A, q, sizeof(q)), -EINVAL);
	assert_int_equal(dns_query_build(1, "a.", DNS_TYPE_A, q, sizeof(q)), -EINVAL);
	assert_int_equal(dns_query_build(1, "nfs1.cluster.lan", DNS_TYPE_A, q, 33), -ENOBUFS);
}

static void test_dnsmasq_replies(void **s)
{
	(void)s;
	uint8_t q[DNS_UDP_MAX];
	struct dns_answer a;
	int n;

	n = query(0x1234, "nfs1.cluster.lan", DNS_TYPE_A, q);
	assert_int_equal(dns_reply_parse(nfs1_a, sizeof(nfs1_a), q, (size_t)n, &a), 0);
	assert_int_equal(a.rcode, DNS_RCODE_OK);
	assert_int_equal(a.naddr, 1);
	assert_memory_equal(a.addr[0], "\x0a\x00\x00\x05", 4);

	n = query(0x1235, "NFS1.Cluster.LAN", DNS_TYPE_AAAA, q);   /* names compare in any case */
	assert_int_equal(dns_reply_parse(nfs1_aaaa, sizeof(nfs1_aaaa), q, (size_t)n, &a), 0);
	assert_int_equal(a.naddr, 1);
	assert_int_equal(a.addr[0][0], 0xfd);
	assert_int_equal(a.addr[0][15], 5);

	n = query(0x1236, "root.cluster.lan", DNS_TYPE_A, q);
	assert_int_equal(dns_reply_parse(root_a, sizeof(root_a), q, (size_t)n, &a), 0);
	assert_int_equal(a.naddr, 1);
	assert_memory_equal(a.addr[0], "\x0a\x00\x00\x05", 4);

	n = query(0x1237, "nfs9.cluster.lan", DNS_TYPE_A, q);
	assert_int_equal(dns_reply_parse(nfs9_a, sizeof(nfs9_a), q, (size_t)n, &a), 0);
	assert_int_equal(a.rcode, DNS_RCODE_NXDOMAIN);
	assert_int_equal(a.naddr, 0);
	assert_string_equal(dns_rcode_text(a.rcode), "no such name");
}

/* A reply to another query is not ours: the resolver keeps waiting. */
static void test_reply_not_ours(void **s)
{
	(void)s;
	uint8_t q[DNS_UDP_MAX], r[sizeof(nfs1_a)];
	struct dns_answer a;
	int n;

	n = query(0x4321, "nfs1.cluster.lan", DNS_TYPE_A, q);        /* other id */
	assert_int_equal(dns_reply_parse(nfs1_a, sizeof(nfs1_a), q, (size_t)n, &a), -ESRCH);
	n = query(0x1234, "nfs2.cluster.lan", DNS_TYPE_A, q);        /* other name */
	assert_int_equal(dns_reply_parse(nfs1_a, sizeof(nfs1_a), q, (size_t)n, &a), -ESRCH);
	n = query(0x1234, "nfs1.cluster.lan", DNS_TYPE_AAAA, q);     /* other type */
	assert_int_equal(dns_reply_parse(nfs1_a, sizeof(nfs1_a), q, (size_t)n, &a), -ESRCH);
	n = query(0x1234, "nfs1.cluster.lan", DNS_TYPE_A, q);
	memcpy(r, nfs1_a, sizeof(r));
	r[2] &= 0x7f;                                                 /* QR clear: a query */
	assert_int_equal(dns_reply_parse(r, sizeof(r), q, (size_t)n, &a), -ESRCH);
}

/* Each byte change or cut that makes the reply malformed is -EBADMSG, and
 * no cut of it reads out of bounds (ASan in make SAN=1 unit). */
static void test_malformed_replies(void **s)
{
	(void)s;
	uint8_t q[DNS_UDP_MAX], r[sizeof(root_a)];
	struct dns_answer a;
	int n = query(0x1236, "root.cluster.lan", DNS_TYPE_A, q);
	static const struct { size_t at; uint8_t v; } bad[] = {
		{ 46, 0xc0 },   /* CNAME data: a pointer forwards, to offset 0x6e */
		{ 65, 0x40 },   /* A owner: a pointer to itself (offset 64) */
		{ 65, 0x48 },   /* A owner: a pointer forwards, to 72 */
		{ 75, 0x05 },   /* A rdlength 5 for a 4-byte record */
		{ 7, 0x03 },    /* ANCOUNT 3: a record past the end */
		{ 5, 0x02 },    /* QDCOUNT 2 */
		{ 12, 0x44 },   /* question: a 0x40 extended label */
		{ 13, ' ' },    /* question: a space in a label */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(r, root_a, sizeof(r));
		r[bad[i].at] = bad[i].v;
		print_message("case: byte %zu = 0x%02x\n", bad[i].at, bad[i].v);
		assert_int_equal(dns_reply_parse(r, sizeof(r), q, (size_t)n, &a), -EBADMSG);
	}
	for (size_t len = 0; len < sizeof(root_a); len++) {
		int rc = dns_reply_parse(root_a, len, q, (size_t)n, &a);
		if (rc != -EBADMSG)
			fail_msg("a reply cut to %zu bytes gave %d", len, rc);
	}
}

static void test_name_decode(void **s)
{
	(void)s;
	char out[DNS_WIRE_NAME_MAX + 1];
	size_t pos = 64;
	uint8_t long_name[300];

	assert_int_equal(dns_name_decode(root_a, sizeof(root_a), &pos, out, sizeof(out)), 0);
	assert_string_equal(out, "nfs1.cluster.lan");
	assert_int_equal(pos, 66);   /* past the pointer, not its target */
	pos = 64;
	assert_int_equal(dns_name_decode(root_a, sizeof(root_a), &pos, out, 10), -ENAMETOOLONG);
	/* 256 bytes of labels: over RFC 1035's 255 */
	memset(long_name, 0, sizeof(long_name));
	for (int i = 0; i < 4; i++) {
		long_name[i * 64] = 63;
		memset(long_name + i * 64 + 1, 'a', 63);
	}
	pos = 0;
	assert_int_equal(dns_name_decode(long_name, sizeof(long_name), &pos, out, sizeof(out)), -EBADMSG);
	long_name[192] = 61;   /* 3 * 64 + 62 + the root's 0 = 255: the largest name */
	long_name[254] = 0;
	pos = 0;
	assert_int_equal(dns_name_decode(long_name, sizeof(long_name), &pos, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), 253);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_build),
		cmocka_unit_test(test_dnsmasq_replies),
		cmocka_unit_test(test_reply_not_ours),
		cmocka_unit_test(test_malformed_replies),
		cmocka_unit_test(test_name_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

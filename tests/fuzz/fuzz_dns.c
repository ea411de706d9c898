/* libFuzzer: DNS replies (common/dns_msg.c). The query is rebuilt from the
 * reply's own id and question when that decodes, so the answer records are
 * reached; names are also decoded from every offset, pointers and all. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/dns_msg.h"
#include "../../common/dnsname.h"

static void check_name(const char *s)
{
	size_t n = strlen(s);
	if (n > DNS_WIRE_NAME_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t query[DNS_UDP_MAX];
	char name[DNS_WIRE_NAME_MAX + 1] = "nfs1.cluster.lan";
	size_t pos = DNS_HDR_LEN;
	uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0, qtype = DNS_TYPE_A;
	struct dns_answer a;

	if (size > DNS_HDR_LEN && dns_name_decode(data, size, &pos, name, sizeof(name)) == 0) {
		check_name(name);
		if (pos + 2 <= size && data[pos] == 0 && data[pos + 1] == DNS_TYPE_AAAA)
			qtype = DNS_TYPE_AAAA;
	}
	if (!dns_name_ok(name))
		strcpy(name, "nfs1.cluster.lan");
	int qlen = dns_query_build(id, name, qtype, query, sizeof(query));
	if (qlen < 0)
		abort();
	if (dns_reply_parse(data, size, query, (size_t)qlen, &a) == 0 &&
	    (a.naddr < 0 || a.naddr > DNS_ADDRS_MAX || a.rcode < 0 || a.rcode > 15))
		abort();
	for (size_t off = 0; off < size && off < 64; off++) {
		size_t p = off;
		if (dns_name_decode(data, size, &p, name, sizeof(name)) == 0 && (check_name(name), p <= off || p > size))
			abort();
	}
	return 0;
}

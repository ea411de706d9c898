/* libFuzzer: DHCPv6 ADVERTISE/REPLY (netcfg/dhcp6_msg.c) for the client of
 * the seeds' MAC; a reply that parses is answered with a REQUEST built from
 * it, as the client does. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../netcfg/dhcp6_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x18, 0x01 };
	struct dhcp6_reply r;
	uint8_t out[DHCP6_MSG_MAX];

	if (dhcp6_msg_parse(data, size, mac, &r) != 0)
		return 0;
	if (r.server_id_len < 2 || r.server_id_len > DHCP6_DUID_MAX || r.ndns < 0 || r.ndns > NI_MAX_DNS ||
	    strlen(r.search) >= sizeof(r.search))
		abort();
	struct dhcp6_out o = { .type = DHCP6_REQUEST, .xid = r.xid, .server_id = r.server_id,
			       .server_id_len = r.server_id_len, .have_addr = r.have_addr, .addr = r.addr };
	memcpy(o.mac, mac, 6);
	if (dhcp6_msg_build(&o, out, sizeof(out)) <= 0)
		abort();
	return 0;
}

/* libFuzzer: a frame off the wire (IPv4/UDP unwrap, then the DHCP parser with
 * overload, concatenation and option 119), and the parser on raw payloads. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../netcfg/dhcp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_reply r;
	const uint8_t *payload;
	size_t plen;
	char search[256];
	/* An exact-size heap copy so ASan sees any read past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);

	if (dhcp_frame_unwrap(buf, size, size & 1, &payload, &plen) == 0)
		(void)dhcp_msg_parse(payload, plen, &r);
	if (dhcp_msg_parse(buf, size, &r) == 0)
		(void)dhcp_reply_match(&r, 0x12345678u, (const uint8_t[6]){ 0x52, 0x54, 0, 0x12, 0x34, 0x56 });
	(void)dhcp_decode_search(buf, size, search, sizeof(search));
	free(buf);
	return 0;
}

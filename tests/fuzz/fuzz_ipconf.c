/* libFuzzer: ip= on its own (netcfg/ipconf.c), without the rest of the
 * command line around it: the kernel's and dracut's forms, every field.
 * What it accepts must be usable: a host name with no line break, a device
 * name that fits, a netmask the prefix code can take. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../netcfg/ipconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char value[NI_CMDLINE_MAX];
	struct err_reason err;
	struct ipconf ip;

	if (size >= sizeof(value))
		size = sizeof(value) - 1;
	memcpy(value, data, size);
	value[size] = '\0';
	memset(&ip, 0, sizeof(ip));
	err.msg[0] = '\0';
	if (ipconf_parse(value, &ip, &err) != 0) {
		if (!memchr(err.msg, '\0', sizeof(err.msg)) || !err.msg[0])
			abort();   /* a refusal names its reason */
		return 0;
	}
	if (!memchr(ip.device, '\0', sizeof(ip.device)) || !memchr(ip.hostname, '\0', sizeof(ip.hostname)))
		abort();
	(void)ipconf_netmask_to_prefix(ip.netmask);
	return 0;
}

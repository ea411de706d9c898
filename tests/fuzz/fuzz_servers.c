/* libFuzzer: NFS server lists (root=nfs:<a>,<b>:/path, DHCP root-path) and
 * the MAC-hash order over them. The first 6 bytes are the MAC. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../mounts/servers.h"
#include "../../mounts/nfsroot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[1024];
	struct err_reason err;
	uint8_t mac[6] = { 0 };
	struct nfs_servers s;
	struct nfs_root r;
	int order[NFS_SERVERS_MAX];

	if (size >= 6) {
		memcpy(mac, data, 6);
		data += 6;
		size -= 6;
	}
	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';

	if (nfs_servers_parse(text, &s, &err) == 0) {
		nfs_servers_order(s.n, mac, order);
		for (int i = 0; i < s.n; i++)
			if (order[i] < 0 || order[i] >= s.n)
				__builtin_trap();
	}
	if (nfsroot_parse_dracut(text, &r, &err) == 0 && r.server[0] &&
	    nfs_servers_parse(r.server, &s, &err) != 0)
		__builtin_trap(); /* the root parser accepted a list the mount cannot use */
	return 0;
}

#include "inaddr.h"

#include <stdint.h>

const char *inaddr_ntoa(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

struct in_addr inaddr_classful_netmask(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);
	uint32_t m = h < 0x80000000u ? 0xff000000u : h < 0xc0000000u ? 0xffff0000u : 0xffffff00u;
	return (struct in_addr){ htonl(m) };
}

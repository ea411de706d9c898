/* nfsinit-resolve: looks up one name the way /init looks up an NFS server
 * name (netcfg/resolve.c), e.g. inside a network namespace. Prints the
 * address as a server list element, or the console's reason; exit 1. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../resolve.h"
#include "../../common/version.h"

static void usage(void)
{
	fprintf(stderr, "usage: nfsinit-resolve --version\n"
			"       nfsinit-resolve [-4] [-6] [-t timeout_ms] -s dns-server [-s ...] name\n"
			"  -4, -6   the node has IPv4 / IPv6 (ask A / AAAA; default -4)\n");
	exit(2);
}

static void add_server(struct resolve_conf *c, const char *s)
{
	uint8_t a[16];
	int rc = -1;

	if (inet_pton(AF_INET, s, a) == 1)
		rc = resolve_add_server(c, AF_INET, a);
	else if (inet_pton(AF_INET6, s, a) == 1)
		rc = resolve_add_server(c, AF_INET6, a);
	if (rc) {
		fprintf(stderr, "nfsinit-resolve: bad or too many DNS servers at '%s'\n", s);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct resolve_conf c = { 0 };
	struct err_reason err;
	unsigned timeout = 3000;
	char addr[NI_HOST_MAX];
	int opt;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("nfsinit-resolve %s\n", NFSINIT_VERSION);
		return 0;
	}
	while ((opt = getopt(argc, argv, "46t:s:")) != -1) {
		if (opt == '4')
			c.want4 = true;
		else if (opt == '6')
			c.want6 = true;
		else if (opt == 't')
			timeout = (unsigned)strtoul(optarg, NULL, 10);
		else if (opt == 's')
			add_server(&c, optarg);
		else
			usage();
	}
	if (optind != argc - 1)
		usage();
	if (!c.want6)
		c.want4 = true;
	if (resolve_host(&c, argv[optind], timeout, addr, sizeof(addr), &err)) {
		printf("error: %s\n", err.msg);
		return 1;
	}
	printf("%s\n", addr);
	return 0;
}

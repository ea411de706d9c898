/* nfsinit-dhcp: runs netcfg_up alone, e.g. inside a network namespace, and
 * prints the lease as key=value lines. The same code /init runs. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../common/log.h"
#include "../netcfg.h"
#include "../handover.h"
#include "../lease_keeper.h"
#include "../../common/mac.h"
#include "../../common/version.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: nfsinit-dhcp --version\n"
		"       nfsinit-dhcp [-i ifname] [-t dhcp_s] [-l link_s] [-v vendor]\n"
		"                    [-p ip=value] [-b bootif-mac] [-d]\n"
		"                    [-w dir] [-k renewals]\n"
		"  -w dir   write the hand-over files: dir/run/..., dir/root/etc/resolv.conf\n"
		"  -k n     then keep the lease as /init's keeper does, exit after n renewals\n");
	exit(2);
}

static void print_addrs(const char *key, const struct in_addr *a, int n)
{
	char buf[INET_ADDRSTRLEN];
	printf("%s=", key);
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", inet_ntop(AF_INET, &a[i], buf, sizeof(buf)));
	printf("\n");
}

static void print_lease(const struct net_lease *l)
{
	char buf[INET_ADDRSTRLEN], m[MAC_TEXT_MAX];
	printf("ifname=%s\n", l->ifname);
	printf("mac=%s\n", mac_format(l->mac, ':', m));
	printf("method=%s\n", l->via_dhcp ? "dhcp" : "static");
	printf("addr=%s/%d\n", inet_ntop(AF_INET, &l->addr, buf, sizeof(buf)), l->prefix);
	print_addrs("netmask", &l->netmask, 1);
	print_addrs("broadcast", &l->broadcast, 1);
	print_addrs("gateway", &l->gateway, 1);
	print_addrs("server_id", &l->server_id, 1);
	print_addrs("next_server", &l->next_server, 1);
	print_addrs("dns", l->dns, l->ndns);
	print_addrs("ntp", l->ntp, l->nntp);
	printf("search=%s\n", l->search);
	printf("hostname=%s\ndomain=%s\nroot_path=%s\nlease_secs=%u\nmtu=%u\n", l->hostname,
	       l->domain, l->root_path, l->lease_secs, l->mtu);
	if (l->have6) {
		char a6[INET6_ADDRSTRLEN];
		printf("addr6=%s/%d\ndns6=", inet_ntop(AF_INET6, &l->addr6, a6, sizeof(a6)), l->prefix6);
		for (int i = 0; i < l->ndns6; i++)
			printf("%s%s", i ? "," : "", inet_ntop(AF_INET6, &l->dns6[i], a6, sizeof(a6)));
		printf("\n");
	}
}

static int handover_files(const struct net_lease *l, const char *dir)
{
	char run[NI_PATH_MAX], root[NI_PATH_MAX];
	snprintf(run, sizeof(run), "%s/run", dir);
	snprintf(root, sizeof(root), "%s/root", dir);
	return handover_write(l, run, root);
}

/* pxelinux's BOOTIF=01-aa-bb-...: skip the hardware type. */
static int parse_mac(const char *s, uint8_t mac[6])
{
	return mac_parse(strlen(s) == 20 && s[2] == '-' ? s + 3 : s, '\0', mac);
}

int main(int argc, char **argv)
{
	struct net_request req;
	struct net_lease lease;
	struct err_reason err;
	const char *device = NULL, *handover_dir = NULL;
	int renewals = 0;
	int opt, rc;

	if (version_asked(argc, argv, "nfsinit-dhcp"))
		return 0;
	memset(&req, 0, sizeof(req));
	req.link_timeout_ms = 10000;
	req.dhcp_timeout_ms = 60000;
	strcpy(req.vendor_class, "nfsinit");
	while ((opt = getopt(argc, argv, "i:t:l:v:p:b:dw:k:")) != -1) {
		switch (opt) {
		case 'i': device = optarg; break;
		case 't': req.dhcp_timeout_ms = (unsigned)(atof(optarg) * 1000); break;
		case 'l': req.link_timeout_ms = (unsigned)(atof(optarg) * 1000); break;
		case 'v':
			if (strlen(optarg) >= sizeof(req.vendor_class))
				usage();
			strcpy(req.vendor_class, optarg);
			break;
		case 'p':
			if (ipconf_parse(optarg, &req.ip, &err)) {
				fprintf(stderr, "nfsinit-dhcp: %s\n", err.msg);
				return 2;
			}
			break;
		case 'b':
			if (parse_mac(optarg, req.bootif))
				usage();
			req.have_bootif = true;
			break;
		case 'd': log_set_debug(true); break;
		case 'w': handover_dir = optarg; break;
		case 'k': renewals = atoi(optarg); if (renewals <= 0) usage(); break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (device) {
		if (strlen(device) >= sizeof(req.ip.device))
			usage();
		strcpy(req.ip.device, device);
	}
	rc = netcfg_up(&req, &lease);
	if (rc) {
		fprintf(stderr, "nfsinit-dhcp: %s\n", strerror(-rc));
		return 1;
	}
	print_lease(&lease);
	fflush(stdout);
	if (handover_dir && handover_files(&lease, handover_dir))
		return 1;
	if (renewals) {
		struct keeper_opts ko = { renewals, -1 };
		rc = lease_keep(&lease, &ko);
		if (rc) {
			fprintf(stderr, "nfsinit-dhcp: keeping the lease: %s\n", strerror(-rc));
			return 1;
		}
	}
	return 0;
}

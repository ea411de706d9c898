/* nfsinit-check: what a node will do with a kernel command line, and what a
 * template tree writes for a sample node, before any node boots. It runs
 * /init's own parsers and template code (the host build of the same files),
 * so its warnings are the lines the console would print. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootcfg.h"
#include "../../common/mac.h"
#include "../../identity/facts.h"
#include "../../identity/identity.h"
#include "../../identity/layers.h"
#include "../config.h"
#include "../../mounts/nfsroot.h"
#include "../../mounts/servers.h"

#define PROG "nfsinit-check"
#define SAMPLE_MAC "52:54:00:12:34:56"

struct opts {
	const char *cmdline, *pxelinux, *ipxe, *label;
	const char *templates, *mac, *hostname, *classes, *ip, *root;
};

static int problems;

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [-c CMDLINE | --pxelinux FILE [--label L] | --ipxe FILE]\n"
"                     [-t DIR [--mac MAC] [--hostname NAME] [--class A,B] [--ip ADDR] [--root DIR]]\n"
"Runs nfsinit's own parsers on a kernel command line and prints the console's\n"
"warnings and what the node will do; with -t, applies a template tree for a\n"
"sample node into a scratch folder and lists what would be written.\n"
"\n"
"  -c, --cmdline TEXT    the kernel command line\n"
"      --pxelinux FILE   every APPEND line of a pxelinux file (or --label's)\n"
"      --ipxe FILE       every kernel/imgargs line of an iPXE script\n"
"      --label NAME      only that pxelinux LABEL\n"
"  -t, --templates DIR   a template tree (common/, class/, host/, mac/)\n"
"      --mac MAC         the sample node's boot NIC (default " SAMPLE_MAC ")\n"
"      --hostname NAME   its DHCP host name (default: none, derived from the MAC)\n"
"      --class A,B       its classes (DHCP option 224), after nfsinit.class=\n"
"      --ip ADDR         its address (default 10.0.0.17/24)\n"
"      --root DIR        the shared root: its symlinks on the paths the tree\n"
"                        writes are copied into the scratch root, so a write the\n"
"                        node would refuse (etc/x -> /proc/...) is refused here\n"
"Exit status: 0 nothing wrong, 1 a warning or error was printed, 2 usage.\n");
}

static void problem(const char *fmt, const char *a, const char *b)
{
	problems++;
	printf("error: ");
	printf(fmt, a, b);
	printf("\n");
}

static void plan_root(const struct nfsinit_config *cfg)
{
	const char *vers[NFSROOT_VERSIONS_MAX];
	struct nfs_servers list;
	struct err_reason err;
	int n;

	if (cfg->root_other[0]) {
		problem("root: %s is not an NFS root this image can boot: the boot fails%s", cfg->root_other, "");
		return;
	}
	if (!cfg->root.given) {
		printf("root:       from DHCP option 17 (root-path); the boot fails if the server sends none%s\n",
		       cfg->ip.method == IP_METHOD_OFF ? ", and with ip=off there is no DHCP" : "");
		if (cfg->ip.method == IP_METHOD_OFF)
			problem("root: ip=off and no root= or nfsroot=: nothing names the root%s%s", "", "");
		return;
	}
	printf("root:       NFS %s:%s, read-only%s%s\n", cfg->root.server[0] ? cfg->root.server :
	       "<ip= server-ip, else the DHCP/boot server>", cfg->root.path, cfg->root.options[0] ? ", options " : "",
	       cfg->root.options);
	if (cfg->root.server[0] && strchr(cfg->root.server, ',') && !nfs_servers_parse(cfg->root.server, &list, &err))
		printf("servers:    %d, each node starts at the one its MAC hashes to, then the others\n", list.n);
	n = nfsroot_versions(&cfg->root, vers);
	printf("NFS:        tries vers=");
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", vers[i]);
	printf(" for up to %u s\n", cfg->root_timeout_s);
}

static const char *onfail_text(const struct nfsinit_config *cfg)
{
	switch (cfg->onfail) {
	case ONFAIL_SHELL:  return "a rescue shell on the console (if the image has /bin/sh or busybox), then reboot";
	case ONFAIL_REBOOT: return "reboot";
	case ONFAIL_HALT:   return "power off";
	default:            return "a rescue shell if the image has /bin/sh or busybox, else reboot";
	}
}

/* vlan= and bond=: what is made before the network comes up, and on what. */
static void plan_netdev(const struct netdev_stack *s, const char *device, bool bootif)
{
	const char *root = netdev_root_name(s, device);
	if (s->have_bond) {
		printf("bond:       %s over", s->bond.name);
		for (int i = 0; i < s->bond.nslaves; i++)
			printf("%s%s", i ? "," : " ", s->bond.slaves[i]);
		printf(", %s, miimon %u ms%s\n", bond_mode_name(s->bond.mode), s->bond.miimon,
		       bootif ? "; the BOOTIF NIC enslaved first" : "");
	}
	for (int i = 0; i < s->nvlans; i++)
		printf("vlan:       %s, id %u, on %s%s\n", s->vlans[i].name, s->vlans[i].id, s->vlans[i].parent,
		       bootif && root == s->vlans[i].name && !netdev_is_bond(s, s->vlans[i].parent) ?
		       " (or the NIC BOOTIF names)" : "");
	if (root)
		printf("root on:    %s\n", root);
}

static void plan_rest(const struct nfsinit_config *cfg)
{
	char a[INET6_ADDRSTRLEN];
	const char *root = netdev_root_name(&cfg->stack, cfg->ip.device);

	if (cfg->ip.method == IP_METHOD_OFF)
		printf("network:    ip=off: left as the kernel set it up\n");
	else if (cfg->ip.method == IP_METHOD_STATIC && cfg->ip.v6)
		printf("network:    static IPv6 %s/%d%s%s\n", inet_ntop(AF_INET6, &cfg->ip.client6, a, sizeof(a)),
		       cfg->ip.prefix6, cfg->ip.device[0] ? " on " : "", cfg->ip.device);
	else if (cfg->ip.method == IP_METHOD_STATIC)
		printf("network:    static %s%s%s\n", inet_ntop(AF_INET, &cfg->ip.client, a, sizeof(a)),
		       cfg->ip.device[0] ? " on " : "", cfg->ip.device);
	else if (cfg->ip.method == IP_METHOD_AUTO6 || cfg->ip.method == IP_METHOD_DHCP6)
		printf("network:    IPv6 only, %s on %s, up to %u s per attempt\n",
		       cfg->ip.method == IP_METHOD_AUTO6 ? "router advertisements (SLAAC)" : "DHCPv6",
		       cfg->have_bootif ? "the BOOTIF NIC" : cfg->ip.device[0] ? cfg->ip.device : "the first NIC with carrier",
		       cfg->dhcp_timeout_s);
	else
		printf("network:    DHCP on %s, up to %u s per attempt, %u s in all\n",
		       root ? root : cfg->have_bootif ? "the BOOTIF NIC" : cfg->ip.device[0] ? cfg->ip.device :
		       "every NIC with carrier", cfg->dhcp_timeout_s, cfg->net_timeout_s);
	if (cfg->ip.method != IP_METHOD_OFF)
		plan_netdev(&cfg->stack, cfg->ip.device, cfg->have_bootif);
	printf("overlay:    tmpfs size=%s over the read-only root\n", cfg->overlay_size);
	printf("init:       %s\n", cfg->init);
	printf("hooks:      %s%s, each up to %u s\n", cfg->break_stage[0] ? "stop with a shell after stage " :
	       "early, pre-net, pre-mount, pre-switch; no break", cfg->break_stage, cfg->hook_timeout_s);
	printf("on failure: %s", onfail_text(cfg));
	if (cfg->onfail != ONFAIL_HALT) {
		int d = cfg->panic_given ? cfg->panic_s : CFG_DEFAULT_REBOOT_DELAY_S;
		if (d < 0) printf(" at once");
		else if (d == 0) printf(" (panic=0: waits for a reset instead)");
		else printf(" after %d s", d);
	}
	printf("\n");
	if (cfg->nclasses || cfg->nuservars || cfg->persist[0])
		printf("identity:   %d class(es), %d variable(s)%s%s\n", cfg->nclasses, cfg->nuservars,
		       cfg->persist[0] ? ", persistent state at " : "", cfg->persist);
	printf("templates:  %s\n", cfg->templates[0] ? cfg->templates : "off");
}

/* Parses text as /init does and prints what the console and the node do. */
static void check_cmdline(const char *title, const char *text, struct nfsinit_config *cfg)
{
	config_defaults(cfg);
	cmdline_parse(text, cfg);
	printf("== %s\n", title);
	for (int i = 0; i < cfg->nwarnings; i++) {
		problems++;
		printf("console:    nfsinit: cmdline: %s\n", cfg->warnings[i]);
	}
	plan_root(cfg);
	plan_rest(cfg);
}

static void mac_forms(const char *mac, char hyphen[18], char colon[18])
{
	uint8_t m[6];

	if (mac_parse(mac, ':', m) && mac_parse(mac, '-', m))
		mac_parse(SAMPLE_MAC, ':', m);
	snprintf(hyphen, 18, "%02x-%02x-%02x-%02x-%02x-%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	snprintf(colon, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* Every command line in a boot loader file; the first (or --label's) is kept
 * in first for the template check. */
static int check_file(const char *path, enum bootcfg_kind kind, const struct opts *o, struct nfsinit_config *first)
{
	char line[4096], args[4096], label[BOOTCFG_LABEL_MAX] = "", title[4200], hy[18], co[18];
	static struct nfsinit_config cfg;
	unsigned lineno = 0, found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return fprintf(stderr, "%s: %s: %s\n", PROG, path, strerror(errno)), -1;
	mac_forms(o->mac ? o->mac : SAMPLE_MAC, hy, co);
	while (fgets(line, sizeof(line), f)) {
		int rc = bootcfg_line(kind, line, label, args, sizeof(args));
		lineno++;
		if (rc < 0)
			problem("%s line %s: longer than this check reads", path, "");
		if (rc <= 0 || (o->label && strcmp(label, o->label)))
			continue;
		snprintf(title, sizeof(title), "%s line %u%s%s", path, lineno, label[0] ? ", LABEL " : "", label);
		if (kind == BOOTCFG_IPXE && (rc = bootcfg_ipxe_expand(args, sizeof(args), hy, co)) != 0)
			printf("note: %s: %d iPXE setting(s) other than the MAC left as written\n", title, rc);
		check_cmdline(title, args, &cfg);
		if (!found++)
			*first = cfg;
	}
	fclose(f);
	if (!found)
		problem("%s: no kernel command line in it (%s)", path, kind == BOOTCFG_IPXE ?
			"iPXE: a kernel or imgargs line" : o->label ? "no APPEND under that LABEL" : "pxelinux: an APPEND line");
	return 0;
}

static bool mac_dir_ok(const char *s)
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* Layer folders no node can ever use: a typo there fails silently at boot. */
static void check_layer_names(const char *dir)
{
	static const char *const kinds[] = { "class", "host", "mac" };
	char path[4200];
	struct dirent *d;
	DIR *top = opendir(dir), *sub;

	if (!top)
		return;
	while ((d = readdir(top)))
		if (d->d_name[0] != '.' && strcmp(d->d_name, "common") && strcmp(d->d_name, "class") &&
		    strcmp(d->d_name, "host") && strcmp(d->d_name, "mac"))
			problem("templates: %s/%s is not a layer (common/, class/<class>/, host/<name>/, "
				"mac/<aa-bb-cc-dd-ee-ff>/): no node uses it", dir, d->d_name);
	closedir(top);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, kinds[k]);
		if (!(sub = opendir(path)))
			continue;
		while ((d = readdir(sub))) {
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (k == 2 ? !mac_dir_ok(d->d_name) : !tmpl_layer_name_ok(d->d_name) || d->d_name[0] == '.')
				problem("templates: %s/%s: not a name any node has (mac/: lowercase aa-bb-cc-dd-ee-ff)",
					path, d->d_name);
		}
		closedir(sub);
	}
}

static const char *scratch_root, *shared_root, *tree_root;

static int list_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	char target[4096];
	ssize_t n;

	(void)ftw;
	if (flag == FTW_SL && (n = readlink(p, target, sizeof(target) - 1)) >= 0) {
		char from[8192], theirs[4096];
		ssize_t m;
		target[n] = '\0';
		snprintf(from, sizeof(from), "%s%s", shared_root ? shared_root : "", p + strlen(scratch_root));
		if (shared_root && (m = readlink(from, theirs, sizeof(theirs) - 1)) == n &&
		    !memcmp(theirs, target, (size_t)n))
			return 0;  /* the shared root's own, copied in above */
		printf("link:       %s -> %s\n", p + strlen(scratch_root), target);
	} else if (flag == FTW_F)
		printf("file:       %s (%04o, %lld bytes)\n", p + strlen(scratch_root), (unsigned)st->st_mode & 07777,
		       (long long)st->st_size);
	return 0;
}

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static int scratch_fd = -1;

/* The path a template entry writes ("class/gpu/etc/x.tmpl" -> "etc/x"), or NULL. */
static const char *dest_of(const char *rel)
{
	const char *p = rel;

	if (!strncmp(p, "common/", 7))
		return p + 7;
	if (strncmp(p, "class/", 6) && strncmp(p, "host/", 5) && strncmp(p, "mac/", 4))
		return NULL;
	p = strchr(p, '/') + 1;
	return (p = strchr(p, '/')) ? p + 1 : NULL;
}

/* Copies the shared root's symlinks along one destination path. */
static void mirror_links(const char *dest)
{
	char rel[4096], from[8192], target[4096];
	struct stat st;
	ssize_t n;

	snprintf(rel, sizeof(rel), "%s", dest);
	for (char *slash = rel;; slash++) {
		char *next = strchr(slash, '/'), keep = 0;
		if (next)
			keep = *next, *next = '\0';
		snprintf(from, sizeof(from), "%s/%s", shared_root, rel);
		if (lstat(from, &st) != 0)
			return;
		if (S_ISLNK(st.st_mode) && (n = readlink(from, target, sizeof(target) - 1)) > 0) {
			target[n] = '\0';
			(void)symlinkat(target, scratch_fd, rel); /* EEXIST: copied for an earlier entry */
			return;
		}
		if (S_ISDIR(st.st_mode))
			(void)mkdirat(scratch_fd, rel, 0755);
		if (!next)
			return;
		*next = keep;
		slash = next;
	}
}

static int mirror_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	char dest[4096];
	const char *rel = p + strlen(tree_root), *d;
	size_t n;

	(void)st, (void)flag, (void)ftw;
	d = dest_of(*rel == '/' ? rel + 1 : rel);
	if (!d || !*d)
		return 0;
	snprintf(dest, sizeof(dest), "%s", d);
	n = strlen(dest);
	if (n > 5 && !strcmp(dest + n - 5, ".tmpl"))
		dest[n - 5] = '\0';
	mirror_links(dest);
	return 0;
}

static int sample_lease(const struct opts *o, struct net_lease *l)
{
	char addr[32], *slash;
	int prefix = 24;

	memset(l, 0, sizeof(*l));
	if (mac_parse(o->mac ? o->mac : SAMPLE_MAC, ':', l->mac) && mac_parse(o->mac, '-', l->mac))
		return fprintf(stderr, "%s: --mac %s: expected aa:bb:cc:dd:ee:ff\n", PROG, o->mac), -1;
	snprintf(addr, sizeof(addr), "%s", o->ip ? o->ip : "10.0.0.17/24");
	if ((slash = strchr(addr, '/'))) {
		*slash = '\0';
		prefix = atoi(slash + 1);
	}
	if (inet_pton(AF_INET, addr, &l->addr) != 1 || prefix < 1 || prefix > 32)
		return fprintf(stderr, "%s: --ip %s: expected an IPv4 address[/prefix]\n", PROG, o->ip), -1;
	l->prefix = prefix;
	l->netmask.s_addr = htonl(~0u << (32 - prefix));
	l->via_dhcp = true;
	strcpy(l->ifname, "eth0");
	if ((o->hostname && snprintf(l->hostname, sizeof(l->hostname), "%s", o->hostname) >= (int)sizeof(l->hostname)) ||
	    (o->classes && snprintf(l->classes, sizeof(l->classes), "%s", o->classes) >= (int)sizeof(l->classes)))
		return fprintf(stderr, "%s: --hostname or --class too long\n", PROG), -1;
	return 0;
}

/* Applies the tree for the sample node into a scratch root, as the identity
 * stage would into the overlay, and lists what landed there. */
static int check_templates(const struct opts *o, const struct nfsinit_config *cfg)
{
	static struct ident id;
	static char warn[NI_MAX_USERVARS][NI_WARN_MAX];
	char scratch[] = "/tmp/nfsinit-check.XXXXXX";
	struct net_lease lease;
	struct identity_opts idopts;
	struct ident_input in = { &idopts, &lease, cfg->root.server[0] ? cfg->root.server : "10.0.0.1",
				  cfg->root.path[0] ? cfg->root.path : "/", "" };
	int nwarn, rootfd, treefd;

	config_identity_opts(cfg, &idopts);
	if (sample_lease(o, &lease) || !mkdtemp(scratch))
		return -1;
	(void)ident_build(&in, &id, warn, NI_MAX_USERVARS, &nwarn); /* what it refused is in warn[] */
	printf("== templates %s for %s (mac %s, ip %s, classes %s)\n", o->templates, id.hostname, id.mac_dir,
	       id.ip, o->classes ? o->classes : "none");
	for (int i = 0; i < nwarn; i++)
		problem("identity: %s%s", warn[i], "");
	check_layer_names(o->templates);
	if ((treefd = open(o->templates, O_RDONLY | O_DIRECTORY)) < 0 ||
	    (rootfd = open(scratch, O_RDONLY | O_DIRECTORY)) < 0) {
		fprintf(stderr, "%s: %s: %s\n", PROG, treefd < 0 ? o->templates : scratch, strerror(errno));
		rmdir(scratch);
		return -1;
	}
	if (o->root) {
		shared_root = o->root;
		scratch_fd = rootfd;
		tree_root = o->templates;
		nftw(o->templates, mirror_entry, 16, FTW_PHYS);
	}
	fflush(stdout);
	problems += identity_templates(rootfd, &id, -1, "", treefd, o->templates);
	close(treefd);
	close(rootfd);
	scratch_root = scratch;
	nftw(scratch, list_entry, 16, FTW_PHYS);
	nftw(scratch, remove_entry, 16, FTW_PHYS | FTW_DEPTH);
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "cmdline", required_argument, NULL, 'c' }, { "pxelinux", required_argument, NULL, 'P' },
		{ "ipxe", required_argument, NULL, 'X' },    { "label", required_argument, NULL, 'L' },
		{ "templates", required_argument, NULL, 't' }, { "mac", required_argument, NULL, 'M' },
		{ "hostname", required_argument, NULL, 'H' }, { "class", required_argument, NULL, 'C' },
		{ "ip", required_argument, NULL, 'I' },       { "help", no_argument, NULL, 'h' },
		{ "root", required_argument, NULL, 'R' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:t:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->cmdline = optarg; break;
		case 'P': o->pxelinux = optarg; break;
		case 'X': o->ipxe = optarg; break;
		case 'L': o->label = optarg; break;
		case 't': o->templates = optarg; break;
		case 'M': o->mac = optarg; break;
		case 'H': o->hostname = optarg; break;
		case 'C': o->classes = optarg; break;
		case 'I': o->ip = optarg; break;
		case 'R': o->root = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc || (!!o->cmdline + !!o->pxelinux + !!o->ipxe) > 1 ||
	    (!o->cmdline && !o->pxelinux && !o->ipxe && !o->templates)) {
		fprintf(stderr, "%s: give one of -c, --pxelinux, --ipxe, and/or -t (see --help)\n", PROG);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct nfsinit_config cfg;
	struct opts o = { 0 };

	if (parse_args(argc, argv, &o))
		return 2;
	config_defaults(&cfg);
	if (o.cmdline)
		check_cmdline("command line", o.cmdline, &cfg);
	else if ((o.pxelinux && check_file(o.pxelinux, BOOTCFG_PXELINUX, &o, &cfg)) ||
		 (o.ipxe && check_file(o.ipxe, BOOTCFG_IPXE, &o, &cfg)))
		return 2;
	if (o.templates && check_templates(&o, &cfg))
		return 2;
	fflush(stdout);
	printf("%s: %d problem(s)\n", PROG, problems);
	return problems ? 1 : 0;
}

#include "nfsroot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "servers.h"

static int set_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* Takes vers=/nfsvers= out of the option list into r->vers. */
static int absorb_version(struct nfs_root *r, struct err_reason *err)
{
	char in[NI_OPTS_MAX], out[NI_OPTS_MAX] = "";
	size_t used = 0;
	strcpy(in, r->options);
	for (char *save = NULL, *o = strtok_r(in, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		const char *v = NULL;
		if (!strncmp(o, "vers=", 5))
			v = o + 5;
		else if (!strncmp(o, "nfsvers=", 8))
			v = o + 8;
		if (v) {
			if (strcmp(v, "3") && strcmp(v, "4") && strcmp(v, "4.0") && strcmp(v, "4.1") && strcmp(v, "4.2"))
				return err_value(err, -EINVAL, "unsupported NFS version", v);
			strcpy(r->vers, v);
			r->vers_major = v[0] - '0';
			continue;
		}
		if (!strcmp(o, "ro") || !strcmp(o, "rw"))
			continue; /* the lower layer is always mounted read-only */
		size_t n = strlen(o);
		if (used + n + 2 > sizeof(out))
			return err_value(err, -EINVAL, "NFS options too long", r->options);
		if (used)
			out[used++] = ',';
		memcpy(out + used, o, n + 1);
		used += n;
	}
	strcpy(r->options, out);
	return 0;
}

/* "<server>:<path>" or just "<path>": the path starts at the first '/' (no
 * address, bracketed IPv6 address or name holds one), the server is what
 * precedes its ':'. */
static int split_server_path(const char *s, size_t len, struct nfs_root *r, struct err_reason *err)
{
	const char *path = memchr(s, '/', len);
	if (!path)
		return err_value(err, -EINVAL, "NFS root path must start with '/'", s);
	if (path > s) {
		if (path[-1] != ':')
			return err_value(err, -EINVAL, "expected <server>:/<path> in", s);
		if (set_str(r->server, sizeof(r->server), s, (size_t)(path - 1 - s)))
			return err_value(err, -EINVAL, "NFS server name too long", s);
	}
	size_t plen = len - (size_t)(path - s);
	if (set_str(r->path, sizeof(r->path), path, plen))
		return err_value(err, -EINVAL, "NFS root path too long", s);
	/* A comma-separated server list is only possible in the dracut form: the
	 * kernel form's options start at the first comma. */
	if (r->server[0]) {
		struct nfs_servers list;
		if (nfs_servers_parse(r->server, &list, err))
			return -EINVAL;
	}
	return 0;
}

int nfsroot_parse_kernel(const char *value, struct nfs_root *r, struct err_reason *err)
{
	const char *comma = strchr(value, ',');
	size_t len = comma ? (size_t)(comma - value) : strlen(value);
	memset(r, 0, sizeof(*r));
	int rc = split_server_path(value, len, r, err);
	if (rc)
		return rc;
	if (comma && set_str(r->options, sizeof(r->options), comma + 1, strlen(comma + 1)))
		return err_value(err, -EINVAL, "NFS options too long", comma + 1);
	rc = absorb_version(r, err);
	r->given = rc == 0;
	return rc;
}

int nfsroot_parse_dracut(const char *value, struct nfs_root *r, struct err_reason *err)
{
	bool v4 = false;
	const char *s;
	if (!strncmp(value, "nfs4:", 5)) {
		v4 = true;
		s = value + 5;
	} else if (!strncmp(value, "nfs:", 4)) {
		s = value + 4;
	} else {
		return err_value(err, -EINVAL, "not an NFS root", value);
	}
	memset(r, 0, sizeof(*r));
	/* dracut also takes the URL form nfs://server/path[:options]: rewritten
	 * to server:/path[:options] (an empty server: from DHCP, as nfs:/path). */
	char url[NI_PATH_MAX + 2];
	if (!strncmp(s, "//", 2)) {
		const char *host = s + 2, *end = strchr(host, '/');
		if (!end)
			return err_value(err, -EINVAL, "expected nfs://<server>/<path> in", value);
		const char *hend = host[0] == '[' ? memchr(host, ']', (size_t)(end - host)) : host;
		if (!hend || memchr(hend, ':', (size_t)(end - hend)))
			return err_value(err, -EINVAL, "a port in an nfs:// URL is not supported (use the "
					 "port= NFS option) in", value);
		if ((size_t)snprintf(url, sizeof(url), "%.*s%s%s", (int)(end - host), host,
				     end > host ? ":" : "", end) >= sizeof(url))
			return err_value(err, -EINVAL, "NFS root too long", value);
		s = url;
	}
	/* [server:]/path[:options]: the path starts at the first '/'. */
	const char *slash = strchr(s, '/');
	if (!slash)
		return err_value(err, -EINVAL, "NFS root path must start with '/'", value);
	const char *opts = strchr(slash, ':');
	size_t len = opts ? (size_t)(opts - s) : strlen(s);
	if (slash > s && slash[-1] != ':')
		return err_value(err, -EINVAL, "expected <server>:/<path> in", value);
	int rc = split_server_path(s, len, r, err);
	if (rc)
		return rc;
	if (opts && set_str(r->options, sizeof(r->options), opts + 1, strlen(opts + 1)))
		return err_value(err, -EINVAL, "NFS options too long", opts + 1);
	rc = absorb_version(r, err);
	if (rc)
		return rc;
	if (v4 && r->vers_major == 3)
		return err_value(err, -EINVAL, "root=nfs4: with vers=3 in", value);
	if (v4 && !r->vers_major) {
		strcpy(r->vers, "4");
		r->vers_major = 4;
	}
	r->given = true;
	return 0;
}

int nfsroot_parse_dhcp(const char *value, struct nfs_root *r, struct err_reason *err)
{
	if (!strncmp(value, "nfs:", 4) || !strncmp(value, "nfs4:", 5))
		return nfsroot_parse_dracut(value, r, err);
	return nfsroot_parse_kernel(value, r, err);
}

int nfsroot_versions(const struct nfs_root *r, const char *vers[NFSROOT_VERSIONS_MAX])
{
	/* The kernel settles on 4.0 for a bare vers=4 (choosing the minor version
	 * is mount.nfs's job), so without vers= walk down the ladder ourselves.
	 * vers=4 from the user gets the same treatment within version 4. */
	static const char *const ladder[NFSROOT_VERSIONS_MAX] = { "4.2", "4.1", "4.0", "3" };
	int n = !strcmp(r->vers, "4") ? 3 : NFSROOT_VERSIONS_MAX;

	if (r->vers[0] && strcmp(r->vers, "4")) {
		vers[0] = r->vers;
		return 1;
	}
	for (int i = 0; i < n; i++)
		vers[i] = ladder[i];
	return n;
}

int nfsroot_expand_path(const char *path, const char *client_ip, char *out, size_t cap)
{
	const char *p = strstr(path, "%s");
	int n = p ? snprintf(out, cap, "%.*s%s%s", (int)(p - path), path, client_ip, p + 2)
		  : snprintf(out, cap, "%s", path);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

static bool has_option(const char *opts, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = opts; (p = strstr(p, name)); p += n)
		if ((p == opts || p[-1] == ',') && (p[n] == '\0' || p[n] == ',' || p[n] == '='))
			return true;
	return false;
}

/* Options that set the same thing: the user naming any of a group replaces
 * our default for the whole group (ac brings the kernel's attribute cache
 * times back, cto its close-to-open checks). */
static const char *const option_groups[][8] = {
	{ "cto", "nocto" },
	{ "ac", "noac", "actimeo", "acregmin", "acregmax", "acdirmin", "acdirmax" },
	{ "lookupcache" },
};

/* Is the default option opt (name or name=value) replaced by one of user's? */
static bool user_overrides(const char *user, const char *opt)
{
	char name[32];
	size_t n = strcspn(opt, "=");
	if (n >= sizeof(name))
		return false;
	memcpy(name, opt, n);
	name[n] = '\0';
	for (size_t g = 0; g < sizeof(option_groups) / sizeof(option_groups[0]); g++) {
		bool member = false, given = false;
		for (int i = 0; i < 8 && option_groups[g][i]; i++) {
			member |= !strcmp(option_groups[g][i], name);
			given |= has_option(user, option_groups[g][i]);
		}
		if (member)
			return given;
	}
	return has_option(user, name);
}

int nfsroot_merge_defaults(const char *defaults, const char *user, char *out, size_t cap)
{
	char in[NI_OPTS_MAX];
	size_t used = 0;
	if (snprintf(in, sizeof(in), "%s", defaults) >= (int)sizeof(in))
		return -ENAMETOOLONG;
	for (char *save = NULL, *o = strtok_r(in, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (user_overrides(user, o))
			continue;
		int n = snprintf(out + used, cap - used, "%s%s", used ? "," : "", o);
		if (n < 0 || (size_t)n >= cap - used)
			return -ENAMETOOLONG;
		used += (size_t)n;
	}
	int n = snprintf(out + used, cap - used, "%s%s", used && user[0] ? "," : "", user);
	return n < 0 || (size_t)n >= cap - used ? -ENAMETOOLONG : 0;
}

int nfsroot_mount_options(const struct nfs_root *r, const char *vers, const char *server_ip,
			  const char *defaults, char *out, size_t cap)
{
	char merged[NI_OPTS_MAX];
	bool v3 = vers[0] == '3';
	bool lockopt = has_option(r->options, "lock") || has_option(r->options, "nolock");
	int rc = nfsroot_merge_defaults(defaults, r->options, merged, sizeof(merged));
	if (rc)
		return rc;
	int n = snprintf(out, cap, "vers=%s,addr=%s%s%s%s", vers, server_ip,
			 v3 && !lockopt ? ",nolock" : "", merged[0] ? "," : "", merged);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

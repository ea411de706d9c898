#include "persist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Absolute, every component a plain name, at least one component. */
static bool clean_abs_path(const char *p)
{
	if (p[0] != '/')
		return false;
	for (p++;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

static int split_paths(const char *list, struct persist_spec *out, struct err_reason *err)
{
	const char *p = list;
	out->npaths = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p), n = len;
		char one[NI_PATH_MAX];
		if (n >= sizeof(one)) {
			return err_fail(err, -EINVAL, "nfsinit.persist.paths: an entry is longer than %d bytes", NI_PATH_MAX - 1);
		}
		memcpy(one, p, n);
		one[n] = '\0';
		while (n > 1 && one[n - 1] == '/')
			one[--n] = '\0';
		if (!strcmp(one, "/")) {
			return err_fail(err, -EINVAL, "nfsinit.persist.paths: '/' itself cannot be persisted");
		}
		if (n > 0) {
			if (!clean_abs_path(one)) {
				return err_fail(err, -EINVAL, "nfsinit.persist.paths: '%.100s' is not an absolute path below /", one);
			}
			if (out->npaths == NI_PERSIST_PATHS) {
				return err_fail(err, -EINVAL, "nfsinit.persist.paths: more than %d paths", NI_PERSIST_PATHS);
			}
			strcpy(out->paths[out->npaths++], one + 1);
		}
		p = comma ? comma + 1 : p + len;
	}
	if (out->npaths == 0) {
		return err_fail(err, -EINVAL, "nfsinit.persist.paths: no path given");
	}
	return 0;
}

int persist_parse(const char *spec, const char *paths, const struct tmpl_vars *vars, const char *default_server,
		  struct persist_spec *out, struct err_reason *err)
{
	char text[NI_HOST_MAX + NI_PATH_MAX];
	struct err_reason terr;
	struct in_addr a;
	size_t len;
	const char *colon, *slash, *path;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = tmpl_render(spec, strlen(spec), vars, text, sizeof(text), &len, &terr);
	if (rc) {
		return err_fail(err, -EINVAL, "nfsinit.persist=%.100s: %s", spec, terr.msg);
	}
	colon = strchr(text, ':');
	slash = strchr(text, '/');
	if (colon && (!slash || colon < slash)) {
		if ((size_t)(colon - text) >= sizeof(out->server)) {
			return err_fail(err, -EINVAL, "nfsinit.persist=%.100s: server name too long", text);
		}
		snprintf(out->server, sizeof(out->server), "%.*s", (int)(colon - text), text);
		path = colon + 1;
	} else {
		snprintf(out->server, sizeof(out->server), "%s", default_server ? default_server : "");
		path = text;
	}
	if (strlen(path) >= sizeof(out->path)) {
		return err_fail(err, -EINVAL, "nfsinit.persist: path longer than %d bytes", NI_PATH_MAX - 1);
	}
	strcpy(out->path, path);
	if (inet_pton(AF_INET, out->server, &a) != 1) {
		return err_fail(err, -EINVAL, "nfsinit.persist=%.100s: server '%.40s' is not an IPv4 address", text, out->server);
	}
	len = strlen(out->path);
	while (len > 1 && out->path[len - 1] == '/')
		out->path[--len] = '\0';
	if (!clean_abs_path(out->path) || !strchr(out->path + 1, '/')) {
		/* The node's directory is created inside a parent that is mounted
		 * first, so it needs one: /export/<node> at least. */
		return err_fail(err, -EINVAL, "nfsinit.persist=%.100s: path must be /<export>/.../<node dir> without . or ..",
			      text);
	}
	slash = strrchr(out->path, '/');
	snprintf(out->parent, sizeof(out->parent), "%.*s", (int)(slash - out->path), out->path);
	snprintf(out->leaf, sizeof(out->leaf), "%s", slash + 1);
	return split_paths(paths, out, err);
}

/* libFuzzer: the template renderer (admins' files from the server), the
 * /etc/hosts rewriter, the class list and the persistence spec. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../identity/etctext.h"
#include "../../identity/layers.h"
#include "../../identity/persist.h"
#include "../../identity/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[4096], text[1024];
	static struct persist_spec spec;
	char classes[NI_MAX_CLASSES][NI_CLASS_MAX];
	struct tmpl_vars v = { 0 };
	struct err_reason terr, err;
	size_t len;
	int refused = 0;

	(void)tmpl_var_set(&v, "hostname", "node17");
	(void)tmpl_var_set(&v, "ip", "10.0.0.17");
	(void)tmpl_render((const char *)data, size, &v, out, sizeof(out), &len, &terr);
	(void)etc_hosts_text((const char *)data, size, "10.0.0.17", "node17.example", "node17", out, sizeof(out));
	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)tmpl_class_list(text, classes, 0, NI_MAX_CLASSES, &refused);
	(void)persist_parse(text, text, &v, "10.0.0.1", &spec, &err);
	return 0;
}

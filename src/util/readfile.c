/* Reading a file a person names, with a size limit. */
#include "util/readfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/i18n.h"

enum dd_code
read_file_limit(const char *path, size_t max, struct strbuf *out,
		struct dd_error *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char buf[65536];
	struct stat sb;
	size_t n;
	int e = 0;

	if (!f)
		return dd_fail(err, DD_ERR_INPUT, _("cannot read %s: %s"), path,
			       strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return dd_fail(err, DD_ERR_INPUT,
			       _("cannot read %s: it is a directory"), path);
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		strbuf_add(out, buf, n);
		if (out->len > max)
			break;
	}
	if (ferror(f))
		e = errno ? errno : EIO;
	if (f != stdin)
		fclose(f);
	if (e)
		return dd_fail(err, DD_ERR_INPUT, _("cannot read %s: %s"), path,
			       strerror(e));
	return DD_OK;
}

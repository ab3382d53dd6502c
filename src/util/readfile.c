/* Reading a file a person names, with a size limit. */
#include "util/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/priv.h"

enum dd_code
read_file_limit(const char *path, size_t max, struct strbuf *out,
		struct dd_error *err)
{
	FILE *f = stdin;
	char buf[65536];
	struct stat sb;
	size_t n;
	int e = 0;

	if (strcmp(path, "-") != 0) {
		/* With the person's own rights, never the shared install's
		 * group. */
		int fd = priv_open_as_user(path, O_RDONLY | O_NOCTTY, 0);

		f = fd < 0 ? NULL : fdopen(fd, "rb");
		if (!f) {
			e = errno;
			if (fd >= 0)
				close(fd);
			return dd_fail(err, DD_ERR_INPUT,
				       _("cannot read %s: %s"), path,
				       strerror(e));
		}
	}
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

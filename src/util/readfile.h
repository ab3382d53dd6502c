/* SPDX-License-Identifier: MIT */
/* Reading a file a person names (logs to import), with a size limit. */
#ifndef DD_UTIL_READFILE_H
#define DD_UTIL_READFILE_H

#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

/* Reads path ("-": standard input) into out, stopping once more than max
 * bytes were read, so that the caller can tell the file is over its limit
 * without reading it all. A path must name a regular file: a FIFO, device,
 * socket or directory is refused without blocking; standard input may be a
 * pipe or a terminal. On failure, err names the file and the reason
 * (DD_ERR_INPUT). */
enum dd_code read_file_limit(const char *path, size_t max, struct strbuf *out,
			     struct dd_error *err);

#endif

-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 19: each audit record names the host it was
-- made on (gethostname), for a team whose people work from several hosts
-- on one server. NULL in the records made before; a record's hash covers
-- its host when it has one (core-audit.c).
ALTER TABLE audit ADD COLUMN host TEXT;

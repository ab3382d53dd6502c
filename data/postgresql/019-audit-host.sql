-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 19, on PostgreSQL: as
-- data/migrations/019-audit-host.sql, each audit record names the host it
-- was made on.
ALTER TABLE audit ADD COLUMN host TEXT COLLATE "C";

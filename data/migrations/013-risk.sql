-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 13: a deployment's risk level and back-out
-- plan (policy plan-required makes both required; high-risk-approvals adds
-- approvals to a high-risk one). Neither is stated on older deployments.
ALTER TABLE tasks ADD COLUMN risk TEXT CHECK (risk IN ('LOW', 'MEDIUM', 'HIGH'));
ALTER TABLE tasks ADD COLUMN backout_plan TEXT CHECK (length(backout_plan) > 0);

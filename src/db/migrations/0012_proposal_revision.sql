-- Raised by every transaction that writes a proposal (its writer's first statement), so a server process
-- that kept its own copy of the proposal knows whether anyone wrote it since.
ALTER TABLE proposals ADD COLUMN revision bigint NOT NULL DEFAULT 0;

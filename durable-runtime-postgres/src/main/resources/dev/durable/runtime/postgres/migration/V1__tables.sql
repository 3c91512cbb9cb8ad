-- The tables many workers share. ${schema} is the schema's quoted name, put in by Schema.migrate, which runs this
-- file in one transaction together with the row that records version 1.
-- Plain SQL that PostgreSQL 14+ runs, and that PostgreSQL-compatible distributed databases run too: no triggers,
-- no functions, no constraints or defaults that depend on advisory locks or LISTEN/NOTIFY.

-- One row per execution: what runs, where it is, and who may write its records.
CREATE TABLE ${schema}.executions (
  name text PRIMARY KEY,              -- the execution's name, unique; records and callbacks refer to it
  function text NOT NULL,             -- the durable function it runs
  version integer NOT NULL,           -- the function's code version it started on (pinned versions)
  input text,                         -- the input as serialized by the function's SerDes
  parent text,                        -- the execution that invoked this one as a child; NULL for a top-level one
  parent_operation text,              -- the parent's operation id that waits for this child
  status text NOT NULL,               -- READY | RUNNING | WAITING | SUCCEEDED | FAILED | CANCELLED
  result text,                        -- the serialized result once SUCCEEDED
  error text,                         -- ErrorInfo as JSON once FAILED or CANCELLED
  started_at timestamptz NOT NULL,    -- when it was started
  finished_at timestamptz,            -- when it reached SUCCEEDED, FAILED or CANCELLED
  epoch bigint NOT NULL DEFAULT 0,    -- fencing token, bumped by each claim: a write with an older epoch is refused
  owner text,                         -- the worker (workers.id) that holds it while RUNNING
  lease_until timestamptz,            -- the owner's lease; past it another worker may claim the execution
  wake_at timestamptz,                -- when a WAITING execution is due; NULL = only an outside event wakes it
  last_seq bigint NOT NULL DEFAULT 0, -- seq of the execution's last record; an append must name the one before
  changes bigint NOT NULL DEFAULT 0,  -- bumped by outside events (callback completed, child ended, cancel asked)
  cancel_requested boolean NOT NULL DEFAULT false, -- a cancel was asked; the owner acts on it at its next step
  priority integer NOT NULL DEFAULT 0 -- claim order among due executions
);
-- what pollers claim: ready executions and waiting ones whose wake_at has come
CREATE INDEX executions_due ON ${schema}.executions (wake_at) WHERE status IN ('READY','WAITING');
-- running executions whose owner's lease has run out
CREATE INDEX executions_leased ON ${schema}.executions (lease_until) WHERE status = 'RUNNING';
-- the children of an execution
CREATE INDEX executions_parent ON ${schema}.executions (parent) WHERE parent IS NOT NULL;

-- Each execution's journal, append-only: an append inserts (execution, last_seq + 1) in the transaction that moves
-- executions.last_seq, fenced by epoch.
CREATE TABLE ${schema}.records (
  execution text NOT NULL,            -- executions.name
  seq bigint NOT NULL,                -- 1, 2, 3... within the execution
  type smallint NOT NULL,             -- the record's kind, as the journal encodes it
  operation text NOT NULL,            -- the operation id the record belongs to
  payload bytea NOT NULL,             -- the record's body, as the journal encodes it
  PRIMARY KEY (execution, seq)
);

-- Callbacks an execution waits on: completing one finds its execution and operation here.
CREATE TABLE ${schema}.callbacks (
  id text PRIMARY KEY,                -- the callback id given to the outside world
  execution text NOT NULL,            -- executions.name of the execution that waits
  operation text NOT NULL             -- the operation id of the callback within that execution
);
CREATE INDEX callbacks_execution ON ${schema}.callbacks (execution);

-- The workers sharing this schema, each alive while its heartbeat is recent.
CREATE TABLE ${schema}.workers (
  id text PRIMARY KEY,                -- the worker's id, which executions.owner names
  started_at timestamptz NOT NULL,    -- when the worker started
  heartbeat_at timestamptz NOT NULL,  -- its last heartbeat
  info text                           -- what an operator reads: host, process, library version
);

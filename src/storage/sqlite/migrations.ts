/**
 * Schema migrations of the SQLite adapter, applied in order on open. Append new versions at the end;
 * never edit one that has shipped, because databases in the field already ran it.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'virtual-keys',
    sql: `
      CREATE TABLE virtual_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        models TEXT NOT NULL,
        rpm INTEGER,
        tpm INTEGER,
        budget_usd REAL,
        budget_period TEXT NOT NULL CHECK (budget_period IN ('daily', 'weekly', 'monthly', 'total')),
        metadata TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        revoked_at INTEGER,
        expires_at INTEGER
      );`,
  },
  {
    version: 2,
    name: 'usage-log',
    sql: `
      CREATE TABLE usage_log (
        seq INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE,
        key_id TEXT,
        alias TEXT NOT NULL,
        deployment TEXT,
        provider TEXT,
        status INTEGER NOT NULL,
        error_code TEXT,
        prompt_tokens INTEGER NOT NULL CHECK (prompt_tokens >= 0),
        completion_tokens INTEGER NOT NULL CHECK (completion_tokens >= 0),
        cached_tokens INTEGER NOT NULL CHECK (cached_tokens >= 0),
        cost_usd REAL NOT NULL CHECK (cost_usd >= 0),
        latency_ms REAL NOT NULL,
        ttft_ms REAL,
        cache_hit INTEGER NOT NULL,
        retries INTEGER NOT NULL,
        created_at REAL NOT NULL,
        metadata TEXT NOT NULL
      );
      CREATE INDEX usage_log_created ON usage_log (created_at);
      CREATE INDEX usage_log_key_created ON usage_log (key_id, created_at);
      CREATE INDEX usage_log_alias_created ON usage_log (alias, created_at);`,
  },
  {
    version: 3,
    name: 'cache-and-rate-limits',
    sql: `
      CREATE TABLE cache_entries (
        key TEXT PRIMARY KEY,
        value ANY NOT NULL,
        expires_at REAL
      ) STRICT;
      CREATE INDEX cache_entries_expires ON cache_entries (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        window_ms REAL NOT NULL,
        window_start REAL NOT NULL,
        current REAL NOT NULL,
        previous REAL NOT NULL
      );`,
  },
  {
    version: 4,
    name: 'documents',
    sql: `
      CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        metadata TEXT NOT NULL,
        dimensions INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        doc_id TEXT NOT NULL,
        uri TEXT,
        title TEXT,
        content_hash TEXT NOT NULL,
        metadata TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (collection_id, doc_id)
      );
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        collection_id INTEGER NOT NULL,
        chunk_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        page INTEGER,
        start_offset INTEGER,
        end_offset INTEGER,
        heading_path TEXT NOT NULL,
        metadata TEXT NOT NULL,
        -- document metadata overlaid with chunk metadata: what filters test, without a join
        filter_metadata TEXT NOT NULL,
        embedding BLOB,
        embedding_norm REAL,
        UNIQUE (collection_id, chunk_id)
      );
      CREATE INDEX chunks_document ON chunks (document_id, ordinal);
      CREATE VIRTUAL TABLE chunks_fts USING fts5 (
        text, content = 'chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      CREATE TRIGGER chunks_fts_update AFTER UPDATE OF text ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
      END;`,
  },
  {
    version: 5,
    name: 'evals-and-traces',
    sql: `
      CREATE TABLE eval_runs (
        id TEXT PRIMARY KEY,
        suite TEXT NOT NULL,
        config TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
        started_at REAL NOT NULL,
        finished_at REAL,
        summary TEXT NOT NULL
      );
      CREATE INDEX eval_runs_started ON eval_runs (started_at);
      CREATE TABLE eval_results (
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        case_id TEXT NOT NULL,
        prompt_id TEXT,
        target_id TEXT,
        output TEXT,
        pass INTEGER,
        score REAL,
        metrics TEXT NOT NULL,
        cost_usd REAL,
        latency_ms REAL,
        error TEXT,
        created_at REAL NOT NULL
      );
      CREATE INDEX eval_results_run ON eval_results (run_id, seq);
      CREATE TABLE spans (
        trace_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        parent_span_id TEXT,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_time REAL NOT NULL,
        end_time REAL,
        status TEXT NOT NULL,
        status_message TEXT,
        attributes TEXT NOT NULL,
        events TEXT NOT NULL,
        PRIMARY KEY (trace_id, span_id)
      ) WITHOUT ROWID;
      CREATE INDEX spans_start ON spans (start_time);`,
  },
  {
    version: 6,
    name: 'usage-trace-ids',
    // The trace id opens a log row's spans; the client's x-request-id is kept beside our own unique
    // request id, never in its place. No index on trace_id: random ids tripled the cost of a row's
    // insert, and a trace finds its row by the root span's conduit.request_id (unique, indexed).
    sql: `
      ALTER TABLE usage_log ADD COLUMN trace_id TEXT;
      ALTER TABLE usage_log ADD COLUMN client_request_id TEXT;`,
  },
  {
    version: 7,
    name: 'spans-rowid',
    // Spans arrive in time order; a rowid table appends them and keeps only the (trace, span) key in
    // a separate index, instead of placing whole rows at random points of a WITHOUT ROWID B-tree —
    // 3–5x cheaper inserts once the table outgrows the page cache (bench:gateway writes two spans a
    // request). Trace ids that Conduit makes start with the time (see newTraceId), so that index
    // grows at its end too.
    sql: `
      CREATE TABLE spans_v7 (
        trace_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        parent_span_id TEXT,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_time REAL NOT NULL,
        end_time REAL,
        status TEXT NOT NULL,
        status_message TEXT,
        attributes TEXT NOT NULL,
        events TEXT NOT NULL
      );
      INSERT INTO spans_v7 SELECT trace_id, span_id, parent_span_id, name, kind, start_time, end_time,
        status, status_message, attributes, events FROM spans ORDER BY start_time;
      DROP TABLE spans;
      ALTER TABLE spans_v7 RENAME TO spans;
      CREATE UNIQUE INDEX spans_id ON spans (trace_id, span_id);
      CREATE INDEX spans_start ON spans (start_time);`,
  },
  {
    version: 8,
    name: 'usage-dead-letters',
    // Rows the usage log refused, kept with the error so one bad row never blocks the log.
    sql: `
      CREATE TABLE usage_dead_letters (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        row TEXT NOT NULL,
        error TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );`,
  },
  {
    version: 9,
    name: 'budget-ledger',
    // Spend per key and budget period start, and the holds of requests in flight: budgets are
    // reserved here atomically (see sqlite-budget-ledger.ts), never derived from the usage log.
    sql: `
      CREATE TABLE budget_spend (
        key_id TEXT NOT NULL,
        period_start REAL NOT NULL,
        spent_usd REAL NOT NULL,
        PRIMARY KEY (key_id, period_start)
      ) WITHOUT ROWID;
      CREATE TABLE budget_holds (
        id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        period_start REAL NOT NULL,
        amount_usd REAL NOT NULL,
        expires_at REAL NOT NULL
      );
      CREATE INDEX budget_holds_key ON budget_holds (key_id, period_start);`,
  },
  {
    version: 10,
    name: 'key-collections',
    // A key's RAG collection scope (JSON list of names or globs). NULL is the default, which depends
    // on the key's model list, so keys made before this version keep a meaning without a backfill.
    sql: `
      ALTER TABLE virtual_keys ADD COLUMN collections TEXT;`,
  },
];

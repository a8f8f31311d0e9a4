/**
 * Schema migrations of the PostgreSQL adapter, applied in order on open (see `postgres-migrate.ts`).
 * Append new versions at the end; never edit one that has shipped, because databases in the field
 * already ran it. Versions follow the SQLite adapter's, so both backends stay at the same level.
 *
 * Times are milliseconds since the epoch in `double precision`, as JavaScript numbers are. JSON that
 * is stored as given uses `json` (keeps key order and spelling); only what filters query is `jsonb`.
 */
import type { Migration } from '../sqlite/migrations.js';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'virtual-keys',
    sql: `
      CREATE TABLE virtual_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        models json NOT NULL,
        rpm bigint,
        tpm bigint,
        budget_usd double precision,
        budget_period text NOT NULL CHECK (budget_period IN ('daily', 'weekly', 'monthly', 'total')),
        metadata json NOT NULL,
        created_at double precision NOT NULL,
        updated_at double precision NOT NULL,
        revoked_at double precision,
        expires_at double precision
      );`,
  },
  {
    version: 2,
    name: 'usage-log',
    sql: `
      CREATE TABLE usage_log (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id text NOT NULL UNIQUE,
        key_id text,
        alias text NOT NULL,
        deployment text,
        provider text,
        status integer NOT NULL,
        error_code text,
        prompt_tokens bigint NOT NULL CHECK (prompt_tokens >= 0),
        completion_tokens bigint NOT NULL CHECK (completion_tokens >= 0),
        cached_tokens bigint NOT NULL CHECK (cached_tokens >= 0),
        cost_usd double precision NOT NULL CHECK (cost_usd >= 0),
        latency_ms double precision NOT NULL,
        ttft_ms double precision,
        cache_hit boolean NOT NULL,
        retries integer NOT NULL,
        created_at double precision NOT NULL,
        metadata json NOT NULL
      );
      CREATE INDEX usage_log_created ON usage_log (created_at);
      CREATE INDEX usage_log_key_created ON usage_log (key_id, created_at);
      CREATE INDEX usage_log_alias_created ON usage_log (alias, created_at);`,
  },
  {
    version: 3,
    name: 'cache-and-rate-limits',
    // UNLOGGED: no WAL for data that is cheap to lose. A crash empties these tables (the cache starts
    // cold, limits start fresh) and standbys do not have them; durable ports are unaffected.
    sql: `
      CREATE UNLOGGED TABLE cache_entries (
        key text PRIMARY KEY,
        text_value text,
        bytes_value bytea,
        expires_at double precision,
        CHECK ((text_value IS NULL) <> (bytes_value IS NULL))
      );
      CREATE INDEX cache_entries_expires ON cache_entries (expires_at) WHERE expires_at IS NOT NULL;
      CREATE UNLOGGED TABLE rate_limits (
        key text PRIMARY KEY,
        window_ms double precision NOT NULL,
        window_start double precision NOT NULL,
        current_count double precision NOT NULL,
        previous_count double precision NOT NULL
      );
      -- One atomic step of the sliding window (shared/sliding-window.ts has the same arithmetic):
      -- the row lock serialises every process that consumes the same key, and is held only for the
      -- duration of this call. Returns the window state as it was before this consume.
      CREATE FUNCTION conduit_rate_limit_consume(p_key text, p_now double precision, p_limit double precision,
        p_window double precision, p_amount double precision, p_force boolean,
        OUT allowed boolean, OUT window_begin double precision, OUT current_before double precision,
        OUT previous_before double precision)
      -- The caller's search_path may not name this schema; the migration's is pinned to the function.
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        r rate_limits%ROWTYPE;
        this_window double precision := floor(p_now / p_window) * p_window;
        elapsed double precision;
      BEGIN
        INSERT INTO rate_limits VALUES (p_key, p_window, this_window, 0, 0) ON CONFLICT (key) DO NOTHING;
        SELECT * INTO r FROM rate_limits WHERE key = p_key FOR UPDATE;
        IF r.window_ms <> p_window OR r.window_start < this_window - p_window THEN
          window_begin := this_window; current_before := 0; previous_before := 0;
        ELSIF r.window_start = this_window - p_window THEN
          window_begin := this_window; current_before := 0; previous_before := r.current_count;
        ELSE
          -- The current window, or one from the future (a clock stepped back): kept, to stay conservative.
          window_begin := r.window_start; current_before := r.current_count; previous_before := r.previous_count;
        END IF;
        elapsed := least(greatest(p_now - window_begin, 0), p_window);
        allowed := previous_before * (1 - elapsed / p_window) + current_before + p_amount <= p_limit + 1e-9;
        UPDATE rate_limits SET window_ms = p_window, window_start = window_begin,
          current_count = current_before + CASE WHEN allowed OR p_force THEN p_amount ELSE 0 END,
          previous_count = previous_before
        WHERE key = p_key;
      END $$;`,
  },
  {
    version: 4,
    name: 'documents',
    // Chunk text is folded (lowercase, accents removed) in JavaScript and indexed with a Snowball
    // English stemmer that keeps stop words, so "the" still matches as SQLite's FTS5 does.
    sql: `
      CREATE TEXT SEARCH DICTIONARY conduit_english_stem (TEMPLATE = snowball, Language = english);
      CREATE TEXT SEARCH CONFIGURATION conduit_english (COPY = pg_catalog.simple);
      ALTER TEXT SEARCH CONFIGURATION conduit_english ALTER MAPPING FOR asciiword, word, numword,
        asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart WITH conduit_english_stem;
      CREATE TABLE collections (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL UNIQUE,
        metadata json NOT NULL,
        dimensions integer,
        created_at double precision NOT NULL
      );
      CREATE TABLE documents (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        collection_id bigint NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        doc_id text NOT NULL,
        uri text,
        title text,
        content_hash text NOT NULL,
        metadata json NOT NULL,
        text text NOT NULL,
        created_at double precision NOT NULL,
        updated_at double precision NOT NULL,
        UNIQUE (collection_id, doc_id)
      );
      CREATE TABLE chunks (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        collection_id bigint NOT NULL,
        chunk_id text NOT NULL,
        ordinal integer NOT NULL,
        text text NOT NULL,
        page integer,
        start_offset integer,
        end_offset integer,
        heading_path json NOT NULL,
        metadata json NOT NULL,
        -- document metadata overlaid with chunk metadata: what filters test, without a join
        filter_metadata jsonb NOT NULL,
        -- float4[] works with and without pgvector; pgvector reads it through a cast to vector(n)
        embedding real[],
        embedding_norm double precision,
        tsv tsvector NOT NULL,
        -- words in the chunk, for BM25's length normalisation
        token_count integer NOT NULL,
        UNIQUE (collection_id, chunk_id)
      );
      CREATE INDEX chunks_document ON chunks (document_id, ordinal);
      CREATE INDEX chunks_collection ON chunks (collection_id) INCLUDE (token_count);
      CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
      CREATE INDEX chunks_filter ON chunks USING gin (filter_metadata jsonb_path_ops);`,
  },
  {
    version: 5,
    name: 'evals-and-traces',
    sql: `
      CREATE TABLE eval_runs (
        id text PRIMARY KEY,
        suite text NOT NULL,
        config json NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
        started_at double precision NOT NULL,
        finished_at double precision,
        summary json NOT NULL
      );
      CREATE INDEX eval_runs_started ON eval_runs (started_at);
      CREATE TABLE eval_results (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        run_id text NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        case_id text NOT NULL,
        prompt_id text,
        target_id text,
        output text,
        pass boolean,
        score double precision,
        metrics json NOT NULL,
        cost_usd double precision,
        latency_ms double precision,
        error text,
        created_at double precision NOT NULL
      );
      CREATE INDEX eval_results_run ON eval_results (run_id, seq);
      CREATE TABLE spans (
        trace_id text NOT NULL,
        span_id text NOT NULL,
        parent_span_id text,
        name text NOT NULL,
        kind text NOT NULL,
        start_time double precision NOT NULL,
        end_time double precision,
        status text NOT NULL,
        status_message text,
        attributes json NOT NULL,
        events json NOT NULL,
        PRIMARY KEY (trace_id, span_id)
      );
      CREATE INDEX spans_start ON spans (start_time);`,
  },
  {
    version: 6,
    name: 'usage-trace-ids',
    // The trace id opens a log row's spans; the client's x-request-id is kept beside our own unique
    // request id, never in its place. No index on trace_id: random ids tripled the cost of a row's
    // insert, and a trace finds its row by the root span's conduit.request_id (unique, indexed).
    sql: `
      ALTER TABLE usage_log ADD COLUMN trace_id text;
      ALTER TABLE usage_log ADD COLUMN client_request_id text;`,
  },
  {
    // 7 is SQLite's spans-rowid, which PostgreSQL does not need; 8 keeps both backends at one level.
    version: 8,
    name: 'usage-dead-letters',
    // Rows the usage log refused, kept with the error so one bad row never blocks the log.
    sql: `
      CREATE TABLE usage_dead_letters (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        row text NOT NULL,
        error text NOT NULL,
        created_at double precision NOT NULL
      );`,
  },
  {
    version: 9,
    name: 'budget-ledger',
    // Spend per key and budget period start, and the holds of requests in flight. A reservation is
    // one call of conduit_budget_reserve: the spend row's lock serialises every process reserving
    // for the same key and period, for the length of the call only. The admission rule is that of
    // shared/budget-admission.ts. A period's first row is seeded from the usage log's requests that
    // started in it, so a database (or a key) that predates the ledger keeps its spend. Expired
    // holds are dropped only within the period reserved for, so two reservations never lock each
    // other's rows. Settling updates the spend row before deleting the hold, in that lock order too.
    sql: `
      CREATE TABLE budget_spend (
        key_id text NOT NULL,
        period_start double precision NOT NULL,
        spent_usd double precision NOT NULL,
        PRIMARY KEY (key_id, period_start)
      );
      CREATE TABLE budget_holds (
        id text PRIMARY KEY,
        key_id text NOT NULL,
        period_start double precision NOT NULL,
        amount_usd double precision NOT NULL,
        expires_at double precision NOT NULL
      );
      CREATE INDEX budget_holds_key ON budget_holds (key_id, period_start);
      CREATE FUNCTION conduit_budget_reserve(p_key text, p_start double precision, p_amount double precision,
        p_limit double precision, p_now double precision, p_ttl double precision, p_hold text,
        OUT allowed boolean, OUT spent double precision, OUT held double precision)
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        SELECT spent_usd INTO spent FROM budget_spend WHERE key_id = p_key AND period_start = p_start FOR UPDATE;
        IF NOT FOUND THEN
          INSERT INTO budget_spend VALUES (p_key, p_start, (
            SELECT coalesce(sum(cost_usd), 0) FROM usage_log
            WHERE key_id = p_key AND created_at >= p_start AND created_at - latency_ms >= p_start
          )) ON CONFLICT DO NOTHING;
          SELECT spent_usd INTO spent FROM budget_spend WHERE key_id = p_key AND period_start = p_start FOR UPDATE;
        END IF;
        DELETE FROM budget_holds WHERE key_id = p_key AND period_start = p_start AND expires_at <= p_now;
        SELECT coalesce(sum(amount_usd), 0) INTO held FROM budget_holds
          WHERE key_id = p_key AND period_start = p_start;
        allowed := spent < p_limit AND (spent + held + p_amount <= p_limit + 1e-12 OR held <= 0);
        IF allowed THEN
          INSERT INTO budget_holds VALUES (p_hold, p_key, p_start, p_amount, p_now + p_ttl);
        END IF;
      END $$;
      CREATE FUNCTION conduit_budget_settle(p_hold text, p_key text, p_start double precision,
        p_actual double precision) RETURNS void
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF p_actual > 0 THEN
          INSERT INTO budget_spend VALUES (p_key, p_start, p_actual)
            ON CONFLICT (key_id, period_start) DO UPDATE SET spent_usd = budget_spend.spent_usd + excluded.spent_usd;
        END IF;
        DELETE FROM budget_holds WHERE id = p_hold;
      END $$;`,
  },
  {
    version: 10,
    name: 'key-collections',
    // A key's RAG collection scope (JSON list of names or globs). NULL is the default, which depends
    // on the key's model list, so keys made before this version keep a meaning without a backfill.
    sql: `
      ALTER TABLE virtual_keys ADD COLUMN collections json;`,
  },
];

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"motcua/app"
)

// migrations[i] brings the schema from version i to i+1. Append only: a
// released migration is never edited.
var migrations = []string{
	// 1: every table of the first release.
	`
CREATE TABLE office (key text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE users (username text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE procedures (code text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE calendar (date text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE guidance (id text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE seqs (name text COLLATE "C" PRIMARY KEY, value bigint NOT NULL);
CREATE TABLE counters (name text COLLATE "C" PRIMARY KEY, n bigint NOT NULL);

CREATE TABLE dossiers (
	code           text COLLATE "C" PRIMARY KEY,
	version        integer NOT NULL,
	state          text COLLATE "C" NOT NULL,
	open           boolean NOT NULL,
	procedure_code text COLLATE "C" NOT NULL,
	received       bigint NOT NULL,
	due            bigint NOT NULL,
	id_key         text COLLATE "C" NOT NULL,
	phone_key      text COLLATE "C" NOT NULL,
	fold           text NOT NULL,
	handler        text COLLATE "C" NOT NULL,
	summary        jsonb NOT NULL,
	doc            jsonb NOT NULL
);
CREATE INDEX dossiers_state ON dossiers (state, received, code);
CREATE INDEX dossiers_received ON dossiers (received, code);
CREATE INDEX dossiers_due ON dossiers (due, code) WHERE open;
CREATE INDEX dossiers_proc ON dossiers (procedure_code, received, code);
CREATE INDEX dossiers_id ON dossiers (id_key, received, code);
CREATE INDEX dossiers_phone ON dossiers (phone_key, received, code);
CREATE INDEX dossiers_handler ON dossiers (handler, received, code) WHERE open;

CREATE TABLE dossier_words (
	word     text COLLATE "C" NOT NULL,
	received bigint NOT NULL,
	code     text COLLATE "C" NOT NULL REFERENCES dossiers ON DELETE CASCADE,
	PRIMARY KEY (word, received, code)
);
CREATE INDEX dossier_words_code ON dossier_words (code);

CREATE TABLE history (
	code text COLLATE "C" NOT NULL REFERENCES dossiers,
	seq  integer NOT NULL,
	doc  jsonb NOT NULL,
	PRIMARY KEY (code, seq)
);
CREATE TABLE audit (seq integer PRIMARY KEY, doc jsonb NOT NULL);

CREATE TABLE outbox (
	id     text COLLATE "C" PRIMARY KEY,
	queue  text COLLATE "C" NOT NULL,
	parked boolean NOT NULL,
	doc    json NOT NULL
);
CREATE INDEX outbox_queue ON outbox (queue, id);
CREATE TABLE inbox_events (id text COLLATE "C" PRIMARY KEY);
CREATE TABLE incoming (
	id      text COLLATE "C" PRIMARY KEY,
	arrived bigint NOT NULL,
	pending boolean NOT NULL,
	doc     jsonb NOT NULL
);
CREATE INDEX incoming_arrived ON incoming (arrived, id);

CREATE TABLE stats_day (
	day       integer NOT NULL,
	field     text COLLATE "C" NOT NULL,
	procedure text COLLATE "C" NOT NULL,
	n         bigint[] NOT NULL,
	PRIMARY KEY (day, field, procedure)
);
CREATE TABLE stats_facts (code text COLLATE "C" PRIMARY KEY, facts bytea NOT NULL);
CREATE TABLE stats_names (procedure text COLLATE "C" PRIMARY KEY, name text NOT NULL);
`,
	// 2: scans (bản chụp), by their SHA-256, so that every desk opens every
	// attachment.
	`CREATE TABLE scans (sha256 text COLLATE "C" PRIMARY KEY, data bytea NOT NULL);`,
	// 3: online submissions from the province portal (hồ sơ trực tuyến).
	`CREATE TABLE submissions (
	id        text COLLATE "C" PRIMARY KEY,
	submitted bigint NOT NULL,
	pending   boolean NOT NULL,
	doc       jsonb NOT NULL
);
CREATE INDEX submissions_submitted ON submissions (submitted, id);`,
}

// SchemaVersion is the schema this code writes.
func SchemaVersion() int { return len(migrations) }

// migrateLock is the advisory lock key that serialises migrations.
const migrateLock = 0x6d6f7463 // "motc"

func (db *DB) migrate(ctx context.Context) error {
	const op = "postgres.schema"
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return connectError("postgres.Open", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return connectError("postgres.Open", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, migrateLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return app.E(op, app.KindOther, "Không tạo được lược đồ cơ sở dữ liệu (người dùng có quyền CREATE không?)", err)
	}
	var v int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return app.E(op, app.KindOther, err)
	}
	if v > len(migrations) {
		return app.E(op, app.KindInvalid, fmt.Sprintf(
			"Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình (lược đồ %d, phiên bản này hiểu đến %d): hãy cập nhật chương trình", v, len(migrations)))
	}
	for ; v < len(migrations); v++ {
		err := pgx.BeginFunc(ctx, conn, func(t pgx.Tx) error {
			if _, err := t.Exec(ctx, migrations[v]); err != nil {
				return err
			}
			_, err := t.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, v+1)
			return err
		})
		if err != nil {
			return app.E(op, app.KindOther, fmt.Sprintf("Không nâng cấp được lược đồ lên %d", v+1), err)
		}
	}
	return nil
}

// Schema returns the database's schema version.
func (db *DB) Schema(ctx context.Context) (int, error) {
	var v int
	err := db.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

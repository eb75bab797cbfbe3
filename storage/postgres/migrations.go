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
	// 2: change notifications for the desks' live updates (changes.go).
	`
CREATE FUNCTION motcua_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'dossiers' THEN
		PERFORM pg_notify('motcua_changes', 'dossier:' || NEW.code);
	ELSIF TG_TABLE_NAME = 'users' THEN
		PERFORM pg_notify('motcua_changes', 'user:' || NEW.username);
	ELSIF TG_TABLE_NAME = 'office' THEN
		PERFORM pg_notify('motcua_changes', 'office:' || NEW.key);
	ELSE
		PERFORM pg_notify('motcua_changes', TG_TABLE_NAME || ':');
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER dossiers_notify AFTER INSERT OR UPDATE ON dossiers FOR EACH ROW EXECUTE FUNCTION motcua_notify();
CREATE TRIGGER users_notify AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION motcua_notify();
CREATE TRIGGER office_notify AFTER INSERT OR UPDATE ON office FOR EACH ROW EXECUTE FUNCTION motcua_notify();
CREATE TRIGGER procedures_notify AFTER INSERT OR UPDATE OR DELETE ON procedures FOR EACH STATEMENT EXECUTE FUNCTION motcua_notify();
CREATE TRIGGER calendar_notify AFTER INSERT OR UPDATE OR DELETE ON calendar FOR EACH STATEMENT EXECUTE FUNCTION motcua_notify();
CREATE TRIGGER incoming_notify AFTER INSERT OR UPDATE ON incoming FOR EACH STATEMENT EXECUTE FUNCTION motcua_notify();
`,
	// 3: each dossier carries its name words, so that a name search walking
	// the receipt order tests a row without a join, and each word's number of
	// dossiers is counted, so that the search starts from the rarest word.
	`
ALTER TABLE dossiers ADD COLUMN words text[] COLLATE "C" NOT NULL DEFAULT '{}';
UPDATE dossiers d SET words = w.words FROM
	(SELECT code, array_agg(word ORDER BY word) AS words FROM dossier_words GROUP BY code) w
	WHERE w.code = d.code;
CREATE TABLE word_counts (word text COLLATE "C" PRIMARY KEY, n bigint NOT NULL);
INSERT INTO word_counts SELECT word, count(*) FROM dossier_words GROUP BY word;
`,
	// 4: every posting carries its dossier's words in an index, so that a
	// name search walking a common word's postings tests the other words
	// from the index alone (index-only scan), as the bbolt name index does
	// with the row head stored as its value.
	`
ALTER TABLE dossier_words ADD COLUMN words text[] COLLATE "C" NOT NULL DEFAULT '{}';
UPDATE dossier_words w SET words = d.words FROM dossiers d WHERE d.code = w.code;
CREATE UNIQUE INDEX dossier_words_walk ON dossier_words (word, received, code) INCLUDE (words);
`,
	// 5: scans (bản chụp), by their SHA-256, so that every desk opens every
	// attachment.
	`CREATE TABLE scans (sha256 text COLLATE "C" PRIMARY KEY, data bytea NOT NULL);`,
	// 6: the tamper evidence of app/digest.go: the head of every chain per day
	// it changed (kept with each history entry), filled from the history
	// already here, and the sealed daily digests.
	`
CREATE TABLE chain_days (
	day  integer NOT NULL,
	code text COLLATE "C" NOT NULL,
	head text NOT NULL,
	PRIMARY KEY (day, code)
);
INSERT INTO chain_days (day, code, head)
SELECT DISTINCT ON (d, code) d, code, doc->>'hash'
FROM (SELECT code, seq, doc,
	floor((extract(epoch FROM (doc->>'at')::timestamptz) + 25200) / 86400)::integer AS d FROM history) h
ORDER BY d, code, seq DESC;
CREATE TABLE digests (date text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
`,
	// 7: online submissions from the province portal (hồ sơ trực tuyến).
	`CREATE TABLE submissions (
	id        text COLLATE "C" PRIMARY KEY,
	submitted bigint NOT NULL,
	pending   boolean NOT NULL,
	doc       jsonb NOT NULL
);
CREATE INDEX submissions_submitted ON submissions (submitted, id);
CREATE TRIGGER submissions_notify AFTER INSERT OR UPDATE ON submissions FOR EACH STATEMENT EXECUTE FUNCTION motcua_notify();`,
}

// MinServerVersion is the oldest PostgreSQL server the schema runs on
// (server_version_num): 13.
const MinServerVersion = 130000

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
	var version int
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		return connectError("postgres.Open", err)
	}
	if err := oldServer(op, version); err != nil {
		return err
	}
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

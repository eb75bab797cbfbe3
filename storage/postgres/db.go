// Package postgres keeps the office's data in a PostgreSQL database, so that
// several desks (PCs) work on one office at the same time. It implements
// app.Store with the same rules as the embedded bbolt store (package
// storage): unique codes, optimistic versions, history and audit chains that
// only grow, indexes and counters kept in step in the same transaction.
//
// # Schema
//
// Records are JSON documents (jsonb) next to the columns the indexes need, so
// a field added to a record needs no schema change. The schema is created and
// migrated by Open (migrations.go: versioned, forward only, run under an
// advisory lock so that desks starting together do not race).
//
//	dossiers      code PK, version, state, open, procedure_code, received, due,
//	              id_key, phone_key, fold, words[], handler, summary jsonb, doc jsonb
//	dossier_words (word, received, code) PK, words[]   (name search postings,
//	              each carrying its dossier's words); word_counts word PK, n
//	history       (code, seq) PK, doc    audit (seq PK, doc)
//	seqs          name PK, value         counters name PK, n (per state, outbox)
//	outbox        id PK, queue, parked, doc    incoming id PK, arrived, pending, doc
//	office, users, procedures, calendar, guidance, inbox_events: key → doc
//	stats_day, stats_facts, stats_names: the statistics counters
//
// received and due are the bbolt index keys (Unix nanoseconds; "no due date"
// is the largest bigint), so both stores order and page identically, and
// the page cursors have the same form. Migration 2 adds the triggers of the
// change feed (changes.go); leader.go elects the one desk that sends.
//
// # Concurrency
//
// Update runs at READ COMMITTED with explicit row locks where a rule needs
// them: PutDossier locks the dossier row (SELECT … FOR UPDATE) and compares
// versions, so of two desks that loaded the same version one wins and the
// other gets KindConflict ("Hồ sơ vừa được cập nhật ở máy khác"); NextSeq is
// one atomic upsert whose row lock lasts until commit, so numbers are unique
// and gapless across processes; counters are atomic increments; the audit
// tail is read under a transaction advisory lock. Serialisation failures,
// deadlocks and lost connections (a server restart) before COMMIT re-run the
// whole fn, a bounded number of times; a connection lost during COMMIT is
// not retried (the outcome is unknown) and reported as KindTransient.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/app"
)

// DB is an office database on a PostgreSQL server. It implements app.Store.
type DB struct {
	pool *pgxpool.Pool
	// MaxAttempts bounds how many times Update and View run fn when the
	// server reports a transient failure (default 8, about 5 s in all).
	MaxAttempts int
	// OnRetry, when set, is called before each retry (tests count them).
	OnRetry func(attempt int, err error)
}

var _ app.Store = (*DB)(nil)

// ConflictMsg is the message of the KindConflict error a desk gets when
// another desk changed the same dossier first.
const ConflictMsg = "Hồ sơ vừa được cập nhật ở máy khác"

// Open connects to the database named by dsn (a postgres:// URL or a
// "key=value" string) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	const op = "postgres.Open"
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, app.E(op, app.KindInvalid, "Chuỗi kết nối PostgreSQL không hợp lệ", errors.New(Redact(err.Error())))
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectError(op, err)
	}
	db := &DB{pool: pool, MaxAttempts: 8}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error { db.pool.Close(); return nil }

// Pool is the connection pool (tests and the change feed use it).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Update runs fn in one read-write transaction, committed when fn returns nil
// and rolled back entirely when it returns an error. Transient server
// failures before COMMIT run fn again from the start.
func (db *DB) Update(fn func(app.Tx) error) error { return db.run("postgres.Update", false, fn) }

// View runs fn in a read-only REPEATABLE READ transaction: a consistent
// snapshot that does not block writers.
func (db *DB) View(fn func(app.Tx) error) error { return db.run("postgres.View", true, fn) }

func (db *DB) run(op string, readOnly bool, fn func(app.Tx) error) error {
	max := db.MaxAttempts
	if max < 1 {
		max = 1
	}
	wait := 20 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err, retry := db.try(readOnly, fn)
		if err == nil {
			return nil
		}
		if !retry || attempt >= max {
			return wrap(op, err)
		}
		if db.OnRetry != nil {
			db.OnRetry(attempt, err)
		}
		time.Sleep(wait)
		wait = min(wait*2, time.Second)
	}
}

// try runs fn once; retry says whether running it again is safe and useful.
func (db *DB) try(readOnly bool, fn func(app.Tx) error) (err error, retry bool) {
	ctx := context.Background()
	opts := pgx.TxOptions{IsoLevel: pgx.ReadCommitted}
	if readOnly {
		opts = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	}
	ptx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return err, transient(err, nil)
	}
	t := &tx{ctx: ctx, tx: ptx, write: !readOnly}
	if !readOnly {
		t.lazy = &lazyTx{Tx: ptx, t: t}
		t.tx = t.lazy
	}
	ferr := fn(t)
	if ferr == nil {
		if err := t.flushDeferred(); err != nil {
			ferr = err
		}
	}
	if ferr == nil && t.failed != nil {
		ferr = t.failed // a statement failed and fn ignored it: nothing may be committed
	}
	if ferr != nil {
		ptx.Rollback(ctx)
		if t.failed != nil && transient(t.failed, ptx.Conn()) {
			return t.failed, true
		}
		return ferr, false
	}
	if err := ptx.Commit(ctx); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
			return err, true // refused at commit: nothing was written
		}
		if ptx.Conn().IsClosed() || !errors.As(err, &pe) {
			return app.E("postgres.Commit", app.KindTransient,
				"Mất kết nối tới máy chủ khi đang lưu: không rõ thao tác đã được lưu hay chưa; hãy mở lại hồ sơ để kiểm tra", err), false
		}
		return err, false
	}
	return nil, false
}

// transient reports whether err is a failure that running the transaction
// again may cure: a serialisation failure, a deadlock, a server shutting down
// or starting, or a lost connection.
func transient(err error, conn *pgx.Conn) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "40001", pe.Code == "40P01", // serialization_failure, deadlock_detected
			strings.HasPrefix(pe.Code, "08"),                           // connection exceptions
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // shutdown, crash, cannot connect now
			pe.Code == "53300": // too many connections
			return true
		}
		return false
	}
	if conn != nil && conn.IsClosed() {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "broken pipe") ||
		strings.Contains(msg, "connection reset") || strings.Contains(msg, "no such file or directory")
}

// wrap leaves the app's own errors alone and classifies the server's.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "25006":
			return app.E(op, app.KindPermission, "Giao dịch chỉ đọc không được ghi", err)
		case pe.Code == "23505":
			return app.E(op, app.KindConflict, "Bản ghi đã tồn tại", err)
		}
	}
	if pe == nil && !isConnErr(err) {
		return app.E(op, app.KindOther, err) // fn's own error: kept for errors.Is
	}
	if transient(err, nil) {
		return app.E(op, app.KindTransient, "Không kết nối được máy chủ cơ sở dữ liệu; hãy thử lại sau ít phút", errors.New(Redact(err.Error())))
	}
	return app.E(op, app.KindOther, errors.New(Redact(err.Error())))
}

// isConnErr reports whether err comes from the driver's connection layer.
func isConnErr(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "conn closed")
}

// connectError explains a failed connection in Vietnamese.
func connectError(op string, err error) error {
	msg := err.Error()
	var pe *pgconn.PgError
	errors.As(err, &pe)
	code := ""
	if pe != nil {
		code = pe.Code
	}
	clean := errors.New(Redact(msg))
	switch {
	case code == "28P01" || strings.Contains(msg, "password authentication failed"):
		return app.E(op, app.KindPermission, "Sai tên đăng nhập hoặc mật khẩu của máy chủ PostgreSQL", clean)
	case code == "3D000" || strings.Contains(msg, "does not exist") && strings.Contains(msg, "database"):
		return app.E(op, app.KindNotFound, "Máy chủ PostgreSQL không có cơ sở dữ liệu này; hãy tạo cơ sở dữ liệu trước", clean)
	case code == "28000":
		return app.E(op, app.KindPermission, "Máy chủ PostgreSQL không cho phép máy này kết nối (pg_hba.conf)", clean)
	}
	return app.E(op, app.KindTransient, "Không kết nối được máy chủ PostgreSQL: kiểm tra địa chỉ, cổng và mạng", clean)
}

// Redact removes passwords from a connection string or from a message that
// may quote one: the URL's user:password@ part and password=… settings.
func Redact(s string) string {
	out := s
	// URLs: scheme://user:password@host
	for _, scheme := range []string{"postgres://", "postgresql://"} {
		for i := 0; ; {
			j := strings.Index(out[i:], scheme)
			if j < 0 {
				break
			}
			start := i + j + len(scheme)
			end := start + strings.IndexAny(out[start:]+" ", " /?\"'")
			auth := out[start:end]
			if at := strings.LastIndex(auth, "@"); at >= 0 {
				if c := strings.Index(auth[:at], ":"); c >= 0 {
					auth = auth[:c] + ":xxxxx" + auth[at:]
					out = out[:start] + auth + out[end:]
					end = start + len(auth)
				}
			}
			i = end
		}
	}
	// key=value settings (also inside a URL query): password=…
	lower := strings.ToLower(out)
	for i := 0; ; {
		j := strings.Index(lower[i:], "password=")
		if j < 0 {
			break
		}
		start := i + j + len("password=")
		end := start
		if end < len(out) && out[end] == '\'' {
			end++
			for end < len(out) && out[end] != '\'' {
				end++
			}
			end = min(end+1, len(out))
		} else {
			for end < len(out) && !strings.ContainsRune(" &\"", rune(out[end])) {
				end++
			}
		}
		out = out[:start] + "xxxxx" + out[end:]
		lower = strings.ToLower(out)
		i = start + 5
	}
	return out
}

// Describe is the connection string without its password, for logs and the
// settings screen.
func Describe(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return Redact(dsn)
}

// fail records a statement's error on the transaction and returns it as an
// app error of op.
func (t *tx) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *deferredErr
	if errors.As(err, &de) {
		return de.err // a deferred write's, already the app error of its operation
	}
	if t.failed == nil {
		t.failed = err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "25006" {
		return app.E(op, app.KindPermission, "Cơ sở dữ liệu đang mở ở chế độ chỉ đọc", err)
	}
	if transient(err, t.tx.Conn()) {
		return app.E(op, app.KindTransient, "Mất kết nối tới máy chủ cơ sở dữ liệu", errors.New(Redact(err.Error())))
	}
	return app.E(op, app.KindOther, fmt.Errorf("postgres: %w", err))
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"motcua/app"
)

// tx is one PostgreSQL transaction seen through app.Tx.
type tx struct {
	ctx         context.Context
	tx          pgx.Tx
	write       bool
	failed      error // the first statement error: the transaction is aborted
	auditLock   bool
	batch       *pgx.Batch // when set, exec queues its statement (PutDossier's writes: one round trip)
	lazy        *lazyTx    // a write transaction: writes are deferred (exec)
	deferred    *pgx.Batch // writes not sent yet
	deferredOps []deferredWrite
	locked      map[string]bool // dossier rows this transaction locked (PutDossier)
	// tails are the history chain tails this transaction knows for sure (a
	// dossier it created has none; an entry it appended is the tail), so
	// AppendHistory need not read them back while the day's number and the
	// dossier row stay locked.
	tails map[string]chainTail
}

type chainTail struct {
	seq  int
	hash string
}

var _ app.Tx = (*tx)(nil)

// exec runs a write. In a write transaction it is deferred: queued and sent
// with the other deferred writes in one round trip just before the next
// statement that reads (lazyTx) or before COMMIT; its error, if any, is
// returned then (the transaction is aborted either way).
func (t *tx) exec(op, sql string, args ...any) error {
	if t.batch != nil {
		t.batch.Queue(sql, args...)
		return nil
	}
	if t.lazy != nil {
		t.deferWrite(op, "", sql, args...)
		return nil
	}
	_, err := t.tx.Exec(t.ctx, sql, args...)
	return t.fail(op, err)
}

// deferredWrite is a write waiting to be sent: its operation and, when set,
// the conflict message of a unique violation.
type deferredWrite struct {
	op, onUnique string
}

func (t *tx) deferWrite(op, onUnique, sql string, args ...any) {
	if t.deferred == nil {
		t.deferred = &pgx.Batch{}
	}
	t.deferred.Queue(sql, args...)
	t.deferredOps = append(t.deferredOps, deferredWrite{op, onUnique})
}

// deferBatch defers the statements exec queued in t.batch.
func (t *tx) deferBatch(op, onUnique string) {
	b := t.batch
	t.batch = nil
	if b == nil {
		return
	}
	for _, q := range b.QueuedQueries {
		t.deferWrite(op, onUnique, q.SQL, q.Arguments...)
	}
}

// flushDeferred sends the deferred writes in one round trip. The first error
// aborts the transaction and is returned as the app error of its operation
// (deferredErr, so that the statement that triggered the flush passes it on
// unchanged).
func (t *tx) flushDeferred() error {
	b, ops := t.deferred, t.deferredOps
	t.deferred, t.deferredOps = nil, nil
	if b == nil || b.Len() == 0 {
		return nil
	}
	br := t.lazy.Tx.SendBatch(t.ctx, b)
	var first error
	var at deferredWrite
	for i := range b.Len() {
		if _, err := br.Exec(); err != nil && first == nil {
			first, at = err, ops[i]
		}
	}
	if err := br.Close(); err != nil && first == nil {
		first, at = err, ops[len(ops)-1]
	}
	if first == nil {
		return nil
	}
	if t.failed == nil {
		t.failed = first
	}
	if at.onUnique != "" && isUnique(first) {
		return &deferredErr{app.E(at.op, app.KindConflict, at.onUnique, first)}
	}
	return &deferredErr{t.fail(at.op, first)}
}

// deferredErr is the app error of a deferred write, passed on by whatever
// statement sent it.
type deferredErr struct{ err error }

func (e *deferredErr) Error() string { return e.err.Error() }
func (e *deferredErr) Unwrap() error { return e.err }

// lazyTx is a write transaction whose reads first send the deferred writes,
// so that every statement reaches the server in the order it was made
// (SendBatch is only flushDeferred's).
type lazyTx struct {
	pgx.Tx
	t *tx
}

func (l *lazyTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := l.t.flushDeferred(); err != nil {
		return pgconn.CommandTag{}, err
	}
	return l.Tx.Exec(ctx, sql, args...)
}

func (l *lazyTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := l.t.flushDeferred(); err != nil {
		return nil, err
	}
	return l.Tx.Query(ctx, sql, args...)
}

func (l *lazyTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := l.t.flushDeferred(); err != nil {
		return errRow{err}
	}
	return l.Tx.QueryRow(ctx, sql, args...)
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

func encode(op string, v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, app.E(op, app.KindInvalid, err)
	}
	return raw, nil
}

func decode(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return app.E("postgres.decode", app.KindOther, "Dữ liệu trong cơ sở dữ liệu bị hỏng", err)
	}
	return nil
}

// getDoc decodes the doc of table's row key = k into v; KindNotFound with msg.
func (t *tx) getDoc(op, table, keyCol, k string, v any, msg string) error {
	if k == "" {
		return app.E(op, app.KindInvalid, "Thiếu mã")
	}
	var raw []byte
	err := t.tx.QueryRow(t.ctx, `SELECT doc FROM `+table+` WHERE `+keyCol+` = $1`, k).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return app.E(op, app.KindNotFound, msg)
	}
	if err != nil {
		return t.fail(op, err)
	}
	return decode(raw, v)
}

func (t *tx) putDoc(op, table, keyCol, k string, v any) error {
	if k == "" {
		return app.E(op, app.KindInvalid, "Thiếu mã")
	}
	raw, err := encode(op, v)
	if err != nil {
		return err
	}
	return t.exec(op, `INSERT INTO `+table+` (`+keyCol+`, doc) VALUES ($1, $2)
		ON CONFLICT (`+keyCol+`) DO UPDATE SET doc = excluded.doc`, k, raw)
}

func (t *tx) deleteDoc(op, table, keyCol, k, msg string) error {
	tag, err := t.tx.Exec(t.ctx, `DELETE FROM `+table+` WHERE `+keyCol+` = $1`, k)
	if err != nil {
		return t.fail(op, err)
	}
	if tag.RowsAffected() == 0 {
		return app.E(op, app.KindNotFound, msg)
	}
	return nil
}

// allDocs decodes every doc of a small table in key order.
func allDocs[T any](t *tx, op, table, keyCol string) ([]T, error) {
	return queryDocs[T](t, op, `SELECT doc FROM `+table+` ORDER BY `+keyCol)
}

// queryDocs decodes the single jsonb column of every row sql returns.
func queryDocs[T any](t *tx, op, sql string, args ...any) ([]T, error) {
	rows, err := t.tx.Query(t.ctx, sql, args...)
	if err != nil {
		return nil, t.fail(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, t.fail(op, err)
		}
		var x T
		if err := decode(raw, &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, t.fail(op, rows.Err())
}

// Office

const (
	keyAgency   = "agency"
	keySettings = "settings"
	keyCursor   = "inbox_cursor"
)

func (t *tx) Agency() (*app.Agency, error) {
	var a app.Agency
	if err := t.getDoc("Agency", "office", "key", keyAgency, &a, "Chưa khai báo thông tin cơ quan"); err != nil {
		return nil, err
	}
	return &a, nil
}

func (t *tx) PutAgency(a *app.Agency) error {
	if a == nil {
		return app.E("PutAgency", app.KindInvalid, "Thiếu thông tin cơ quan")
	}
	return t.putDoc("PutAgency", "office", "key", keyAgency, a)
}

func (t *tx) Settings() (app.Settings, error) {
	var s app.Settings
	err := t.getDoc("Settings", "office", "key", keySettings, &s, "")
	if app.Is(err, app.KindNotFound) {
		return app.DefaultSettings(), nil
	}
	return s, err
}

func (t *tx) PutSettings(s app.Settings) error {
	return t.putDoc("PutSettings", "office", "key", keySettings, s)
}

// Users

func (t *tx) User(username string) (*app.User, error) {
	var u app.User
	if err := t.getDoc("User", "users", "username", username, &u, fmt.Sprintf("Không có người dùng %q", username)); err != nil {
		return nil, err
	}
	return &u, nil
}

// UserForUpdate reads an account and keeps its row locked until the commit
// (SELECT … FOR UPDATE; app.UserLocker): of two desks signing in to one
// account at the same moment, the second waits and then reads the count of
// failed sign-ins the first wrote (READ COMMITTED reads the row again after
// the lock), so five failures spread over desks lock the account at all of
// them. Only the sign-in takes it: the other use cases of one account at
// several desks need not queue behind each other.
func (t *tx) UserForUpdate(username string) (*app.User, error) {
	if !t.write || username == "" {
		return t.User(username)
	}
	var raw []byte
	err := t.tx.QueryRow(t.ctx, `SELECT doc FROM users WHERE username = $1 FOR UPDATE`, username).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, app.E("User", app.KindNotFound, fmt.Sprintf("Không có người dùng %q", username))
	}
	if err != nil {
		return nil, t.fail("User", err)
	}
	var u app.User
	if err := decode(raw, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

var _ app.UserLocker = (*tx)(nil)

func (t *tx) PutUser(u *app.User) error {
	if u == nil {
		return app.E("PutUser", app.KindInvalid, "Thiếu người dùng")
	}
	return t.putDoc("PutUser", "users", "username", u.Username, u)
}

func (t *tx) Users() ([]app.User, error) { return allDocs[app.User](t, "Users", "users", "username") }

// Procedures

func (t *tx) Procedure(code string) (*app.Procedure, error) {
	var p app.Procedure
	if err := t.getDoc("Procedure", "procedures", "code", code, &p, fmt.Sprintf("Không có thủ tục %q", code)); err != nil {
		return nil, err
	}
	return &p, nil
}

func (t *tx) PutProcedure(p *app.Procedure) error {
	if p == nil {
		return app.E("PutProcedure", app.KindInvalid, "Thiếu thủ tục")
	}
	return t.putDoc("PutProcedure", "procedures", "code", p.Code, p)
}

func (t *tx) DeleteProcedure(code string) error {
	return t.deleteDoc("DeleteProcedure", "procedures", "code", code, fmt.Sprintf("Không có thủ tục %q", code))
}

func (t *tx) Procedures() ([]app.Procedure, error) {
	return allDocs[app.Procedure](t, "Procedures", "procedures", "code")
}

// Calendar

func (t *tx) CalendarEntries() ([]app.CalendarEntry, error) {
	return allDocs[app.CalendarEntry](t, "CalendarEntries", "calendar", "date")
}

func (t *tx) PutCalendarEntry(e app.CalendarEntry) error {
	return t.putDoc("PutCalendarEntry", "calendar", "date", e.Date, e)
}

func (t *tx) DeleteCalendarEntry(date string) error {
	return t.deleteDoc("DeleteCalendarEntry", "calendar", "date", date, fmt.Sprintf("Không có ngày %q trong lịch", date))
}

// Guidance

func (t *tx) PutGuidance(g *app.IntakeGuidance) error {
	if g == nil {
		return app.E("PutGuidance", app.KindInvalid, "Thiếu phiếu hướng dẫn")
	}
	return t.putDoc("PutGuidance", "guidance", "id", g.ID, g)
}

func (t *tx) Guidances() ([]app.IntakeGuidance, error) {
	return allDocs[app.IntakeGuidance](t, "Guidances", "guidance", "id")
}

func (t *tx) Guidance(id string) (*app.IntakeGuidance, error) {
	var g app.IntakeGuidance
	if err := t.getDoc("Guidance", "guidance", "id", id, &g, fmt.Sprintf("Không có phiếu hướng dẫn %q", id)); err != nil {
		return nil, err
	}
	return &g, nil
}

// Sequences

// NextSeq increments the named counter in one statement. The row stays
// locked until the transaction ends, so a second desk asking for the same
// counter waits and then gets the next number; a rolled-back transaction
// gives its number back: numbers are unique and gapless across processes.
func (t *tx) NextSeq(name string) (int, error) {
	if name == "" {
		return 0, app.E("NextSeq", app.KindInvalid, "Thiếu tên bộ đếm")
	}
	var n int
	err := t.tx.QueryRow(t.ctx, `INSERT INTO seqs (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = seqs.value + 1 RETURNING value`, name).Scan(&n)
	return n, t.fail("NextSeq", err)
}

// addCounter adds d to the named counter.
func (t *tx) addCounter(op, name string, d int) error {
	return t.exec(op, `INSERT INTO counters (name, n) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET n = counters.n + excluded.n`, name, d)
}

// Audit log

// lockAudit serialises writers of the administration log: the tail a use
// case reads to chain its entry stays the tail until it commits.
func (t *tx) lockAudit() error {
	if !t.write || t.auditLock {
		return nil
	}
	if err := t.exec("AppendAudit", `SELECT pg_advisory_xact_lock($1)`, auditLockKey); err != nil {
		return err
	}
	t.auditLock = true
	return nil
}

const auditLockKey = 0x61756474 // "audt"

func (t *tx) AppendAudit(e app.AuditEntry) error {
	const op = "AppendAudit"
	if err := t.lockAudit(); err != nil {
		return err
	}
	lastSeq, lastHash := 0, ""
	var raw []byte
	err := t.tx.QueryRow(t.ctx, `SELECT doc FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&raw)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return t.fail(op, err)
	default:
		var last app.AuditEntry
		if err := decode(raw, &last); err != nil {
			return err
		}
		lastSeq, lastHash = last.Seq, last.Hash
	}
	if err := checkChain(op, lastSeq, lastHash, e.Seq, e.PrevHash, e.Hash); err != nil {
		return err
	}
	raw, err = encode(op, e)
	if err != nil {
		return err
	}
	return t.exec(op, `INSERT INTO audit (seq, doc) VALUES ($1, $2)`, e.Seq, raw)
}

// Audit returns up to limit entries with Seq > after, oldest first; with
// after < 0 the last limit entries. limit <= 0 means no limit.
func (t *tx) Audit(after, limit int) ([]app.AuditEntry, error) {
	const op = "Audit"
	lim := any(nil)
	if limit > 0 {
		lim = limit
	}
	if after < 0 {
		if err := t.lockAudit(); err != nil { // a writer reads the tail to chain onto it
			return nil, err
		}
		return queryDocs[app.AuditEntry](t, op, `SELECT doc FROM (SELECT seq, doc FROM audit ORDER BY seq DESC LIMIT $1) s ORDER BY seq`, lim)
	}
	return queryDocs[app.AuditEntry](t, op, `SELECT doc FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2`, after, lim)
}

// checkChain enforces the rule shared by history and audit (as in storage).
func checkChain(op string, lastSeq int, lastHash string, seq int, prevHash, hash string) error {
	if hash == "" {
		return app.E(op, app.KindInvalid, "Mục nhật ký thiếu mã băm")
	}
	if seq != lastSeq+1 {
		return app.E(op, app.KindConflict, fmt.Sprintf("Số thứ tự nhật ký %d không nối tiếp mục cuối %d", seq, lastSeq))
	}
	if prevHash != lastHash {
		return app.E(op, app.KindConflict, "Mã băm trước không khớp mục cuối của nhật ký")
	}
	return nil
}

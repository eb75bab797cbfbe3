package postgres

import (
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"motcua/app"
	"motcua/storage"
)

const ctrState = "state/"

// Dossier returns the dossier with its history.
func (t *tx) Dossier(code string) (*app.Dossier, error) {
	const op = "Dossier"
	var d app.Dossier
	if err := t.getDoc(op, "dossiers", "code", code, &d, fmt.Sprintf("Không tìm thấy hồ sơ %s", code)); err != nil {
		return nil, err
	}
	h, err := t.history(op, code)
	if err != nil {
		return nil, err
	}
	d.History = h
	return &d, nil
}

// PutDossier inserts (Version 1, unused code) or replaces (stored version ==
// Version-1) a dossier with its index columns, name words, counters and
// statistics, in the caller's transaction. The stored row is locked first, so
// of two desks that loaded the same version the second one to write waits for
// the first to commit, then finds the version moved and gets KindConflict.
func (t *tx) PutDossier(d *app.Dossier) error {
	const op = "PutDossier"
	if d == nil || d.Code == "" {
		return app.E(op, app.KindInvalid, "Thiếu mã hồ sơ")
	}
	if !d.State.Valid() {
		return app.E(op, app.KindInvalid, fmt.Sprintf("Trạng thái hồ sơ không hợp lệ: %q", d.State))
	}
	var old struct {
		version  int
		state    string
		received int64
		fold     string
		facts    []byte
	}
	// A new dossier (version 1) is inserted without reading first: a code
	// already taken fails the INSERT (KindConflict below). This saves a round
	// trip while the receipt holds the day's number (NextSeq's row lock).
	found := false
	if d.Version != 1 {
		found = true
		err := t.tx.QueryRow(t.ctx, `SELECT d.version, d.state, d.received, d.fold, f.facts FROM dossiers d
			LEFT JOIN stats_facts f ON f.code = d.code WHERE d.code = $1 FOR UPDATE OF d`, d.Code).
			Scan(&old.version, &old.state, &old.received, &old.fold, &old.facts)
		if errors.Is(err, pgx.ErrNoRows) {
			found = false
		} else if err != nil {
			return t.fail(op, err)
		}
	}
	switch {
	case !found && d.Version != 1:
		return app.E(op, app.KindNotFound, fmt.Sprintf("Không tìm thấy hồ sơ %s để cập nhật", d.Code))
	case found && d.Version == 1:
		return app.E(op, app.KindConflict, fmt.Sprintf("Mã hồ sơ %s đã được dùng", d.Code))
	case found && old.version != d.Version-1:
		return app.E(op, app.KindConflict, fmt.Sprintf("%s: %s (đã mở phiên bản %d, máy khác đã lưu phiên bản %d); hãy mở lại hồ sơ", ConflictMsg, d.Code, d.Version-1, old.version))
	}

	body := *d
	body.History = nil
	doc, err := encode(op, &body)
	if err != nil {
		return err
	}
	row := d.Row()
	summary, err := encode(op, &row)
	if err != nil {
		return err
	}
	fold := app.Fold(d.Applicant.FullName)
	recv := timeKey(d.ReceivedAt)
	words := storage.SearchWords(d.Applicant.FullName)
	args := []any{d.Code, d.Version, string(d.State), d.State.Open(), d.ProcedureCode, recv, dueKey(d.DueAt),
		storage.IDKey(d.Applicant.IDNumber), storage.PhoneKey(d.Applicant.Phone), fold, d.Handler.Username, summary, doc, words}
	// Every write below is queued and sent in one round trip (flush).
	t.batch = &pgx.Batch{}
	defer func() { t.batch = nil }()
	if !found {
		err = t.exec(op, `INSERT INTO dossiers (code, version, state, open, procedure_code, received, due,
			id_key, phone_key, fold, handler, summary, doc, words) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, args...)
		if err != nil {
			return err
		}
	} else {
		err = t.exec(op, `UPDATE dossiers SET version = $2, state = $3, open = $4, procedure_code = $5,
			received = $6, due = $7, id_key = $8, phone_key = $9, fold = $10, handler = $11, summary = $12, doc = $13,
			words = $14 WHERE code = $1`, args...)
		if err != nil {
			return err
		}
	}

	// Name words: rewritten only when the name or the receipt time changed.
	if !found || old.fold != fold || old.received != recv {
		if found {
			if err := t.exec(op, `DELETE FROM dossier_words WHERE code = $1`, d.Code); err != nil {
				return err
			}
			if err := t.exec(op, `UPDATE word_counts SET n = n - 1 WHERE word = ANY($1::text[])`, storage.SearchWords(old.fold)); err != nil {
				return err
			}
		}
		if len(words) > 0 {
			if err := t.exec(op, `INSERT INTO dossier_words (word, received, code, words) SELECT w, $2, $3, $1 FROM unnest($1::text[]) w`,
				words, recv, d.Code); err != nil {
				return err
			}
			if err := t.exec(op, `INSERT INTO word_counts (word, n) SELECT w, 1 FROM unnest($1::text[]) w
				ON CONFLICT (word) DO UPDATE SET n = word_counts.n + 1`, words); err != nil {
				return err
			}
		}
	}
	// State counters.
	if !found {
		if err := t.addCounter(op, ctrState+string(d.State), 1); err != nil {
			return err
		}
	} else if old.state != string(d.State) {
		// Both counters in one statement, in name order: two desks moving
		// dossiers in opposite directions lock them in the same order.
		if err := t.exec(op, `INSERT INTO counters (name, n) SELECT name, n FROM unnest($1::text[], $2::bigint[]) u(name, n)
			ORDER BY name ON CONFLICT (name) DO UPDATE SET n = counters.n + excluded.n`,
			[]string{ctrState + old.state, ctrState + string(d.State)}, []int64{-1, 1}); err != nil {
			return err
		}
	}
	if err := t.updateStats(d, old.facts); err != nil {
		return err
	}
	// Sent with the next read or at COMMIT (a code another desk took since
	// fails the INSERT then: a conflict).
	t.deferBatch(op, fmt.Sprintf("Mã hồ sơ %s đã được dùng", d.Code))
	if t.locked == nil {
		t.locked = map[string]bool{}
	}
	t.locked[d.Code] = true
	if !found {
		t.setTail(d.Code, chainTail{}) // created here: no history yet
	}
	return nil
}

func (t *tx) setTail(code string, c chainTail) {
	if t.tails == nil {
		t.tails = map[string]chainTail{}
	}
	t.tails[code] = c
}

// CountByState reads the per-state counters: O(states).
func (t *tx) CountByState() (map[app.State]int, error) {
	const op = "CountByState"
	rows, err := t.tx.Query(t.ctx, `SELECT name, n FROM counters WHERE name >= $1 AND name < $2 AND n > 0`, ctrState, "state0")
	if err != nil {
		return nil, t.fail(op, err)
	}
	defer rows.Close()
	out := map[app.State]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, t.fail(op, err)
		}
		out[app.State(name[len(ctrState):])] = n
	}
	return out, t.fail(op, rows.Err())
}

// History

func (t *tx) exists(op, code string) (bool, error) {
	if code == "" {
		return false, nil
	}
	var one int
	err := t.tx.QueryRow(t.ctx, `SELECT 1 FROM dossiers WHERE code = $1`, code).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, t.fail(op, err)
}

func (t *tx) History(code string) ([]app.HistoryEntry, error) {
	ok, err := t.exists("History", code)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.E("History", app.KindNotFound, fmt.Sprintf("Không tìm thấy hồ sơ %s", code))
	}
	return t.history("History", code)
}

func (t *tx) history(op, code string) ([]app.HistoryEntry, error) {
	return queryDocs[app.HistoryEntry](t, op, `SELECT doc FROM history WHERE code = $1 ORDER BY seq`, code)
}

// AppendHistory adds the next entry of an existing dossier's chain. The
// dossier row is locked first, so two desks cannot chain onto the same tail.
func (t *tx) AppendHistory(code string, e app.HistoryEntry) error {
	const op = "AppendHistory"
	if code == "" {
		return app.E(op, app.KindNotFound, "Không tìm thấy hồ sơ")
	}
	if !t.locked[code] { // PutDossier of this transaction locked it already
		var one int
		err := t.tx.QueryRow(t.ctx, `SELECT 1 FROM dossiers WHERE code = $1 FOR UPDATE`, code).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return app.E(op, app.KindNotFound, fmt.Sprintf("Không tìm thấy hồ sơ %s", code))
		}
		if err != nil {
			return t.fail(op, err)
		}
	}
	tail, known := t.tails[code]
	if !known {
		var raw []byte
		err := t.tx.QueryRow(t.ctx, `SELECT doc FROM history WHERE code = $1 ORDER BY seq DESC LIMIT 1`, code).Scan(&raw)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return t.fail(op, err)
		default:
			var last app.HistoryEntry
			if err := decode(raw, &last); err != nil {
				return err
			}
			tail = chainTail{last.Seq, last.Hash}
		}
	}
	if err := checkChain(op, tail.seq, tail.hash, e.Seq, e.PrevHash, e.Hash); err != nil {
		return err
	}
	raw, err := encode(op, e)
	if err != nil {
		return err
	}
	// Both writes deferred (sent with the next read or at COMMIT). The
	// history key (code, seq) is unique: an entry another transaction
	// chained meanwhile fails this one.
	if err := t.exec(op, `INSERT INTO history (code, seq, doc) VALUES ($1, $2, $3)`, code, e.Seq, raw); err != nil {
		return err
	}
	if err := t.putChainHead(code, &e); err != nil {
		return err
	}
	t.setTail(code, chainTail{e.Seq, e.Hash})
	return nil
}

// ForEachHistory calls fn with every dossier's history, in code order (the
// explicit integrity check only: a full scan). It implements app.HistoryScanner.
func (db *DB) ForEachHistory(fn func(code string, entries []app.HistoryEntry) error) error {
	return db.View(func(atx app.Tx) error {
		t := atx.(*tx)
		rows, err := t.tx.Query(t.ctx, `SELECT code, doc FROM history ORDER BY code, seq`)
		if err != nil {
			return t.fail("ForEachHistory", err)
		}
		defer rows.Close()
		var code string
		var entries []app.HistoryEntry
		for rows.Next() {
			var c string
			var raw []byte
			if err := rows.Scan(&c, &raw); err != nil {
				return t.fail("ForEachHistory", err)
			}
			if c != code && entries != nil {
				if err := fn(code, entries); err != nil {
					return err
				}
				entries = nil
			}
			code = c
			var e app.HistoryEntry
			if err := decode(raw, &e); err != nil {
				return err
			}
			entries = append(entries, e)
		}
		if err := rows.Err(); err != nil {
			return t.fail("ForEachHistory", err)
		}
		if entries != nil {
			return fn(code, entries)
		}
		return nil
	})
}

var _ app.HistoryScanner = (*DB)(nil)

func isUnique(err error) bool {
	var pe interface{ SQLState() string }
	return errors.As(err, &pe) && pe.SQLState() == "23505"
}

// distinct returns the sorted distinct strings of s.
func distinct(s []string) []string { return slices.Compact(slices.Sorted(slices.Values(s))) }

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5"

	"motcua/app"
)

// The tamper evidence of app/digest.go and app/integrity.go on PostgreSQL:
// chain_days holds the head of every dossier chain per Vietnam day it
// changed, written with each history entry; digests holds the sealed daily
// digests.

var (
	_ app.DigestTx    = (*tx)(nil)
	_ app.ChainScanTx = (*tx)(nil)
)

// putChainHead records e as its chain's head of e's day.
func (t *tx) putChainHead(code string, e *app.HistoryEntry) error {
	return t.exec("AppendHistory", `INSERT INTO chain_days (day, code, head) VALUES ($1, $2, $3)
		ON CONFLICT (day, code) DO UPDATE SET head = EXCLUDED.head`, int32(app.DayOf(e.At)), code, e.Hash)
}

// ChainHeads implements app.DigestTx.
func (t *tx) ChainHeads(day app.Day, fn func(code, head string) error) error {
	rows, err := t.tx.Query(t.ctx, `SELECT code, head FROM chain_days WHERE day = $1 ORDER BY code`, int32(day))
	if err != nil {
		return t.fail("ChainHeads", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, head string
		if err := rows.Scan(&code, &head); err != nil {
			return t.fail("ChainHeads", err)
		}
		if err := fn(code, head); err != nil {
			return err
		}
	}
	return t.fail("ChainHeads", rows.Err())
}

// NextChainDay implements app.DigestTx.
func (t *tx) NextChainDay(after app.Day) (app.Day, bool, error) {
	var d *int32
	if err := t.tx.QueryRow(t.ctx, `SELECT min(day) FROM chain_days WHERE day > $1`, int32(after)).Scan(&d); err != nil {
		return 0, false, t.fail("NextChainDay", err)
	}
	if d == nil {
		return 0, false, nil
	}
	return app.Day(*d), true, nil
}

// ChainHead implements app.ChainScanTx.
func (t *tx) ChainHead(day app.Day, code string) (string, error) {
	var head string
	err := t.tx.QueryRow(t.ctx, `SELECT head FROM chain_days WHERE day = $1 AND code = $2`, int32(day), code).Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return head, t.fail("ChainHead", err)
}

// ForEachChainHead implements app.ChainScanTx.
func (t *tx) ForEachChainHead(fn func(day app.Day, code, head string) error) error {
	rows, err := t.tx.Query(t.ctx, `SELECT day, code, head FROM chain_days ORDER BY day, code`)
	if err != nil {
		return t.fail("ForEachChainHead", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day int32
		var code, head string
		if err := rows.Scan(&day, &code, &head); err != nil {
			return t.fail("ForEachChainHead", err)
		}
		if err := fn(app.Day(day), code, head); err != nil {
			return err
		}
	}
	return t.fail("ForEachChainHead", rows.Err())
}

// LastDigest implements app.DigestTx.
func (t *tx) LastDigest() (*app.DailyDigest, error) {
	ds, err := queryDocs[app.DailyDigest](t, "LastDigest", `SELECT doc FROM digests ORDER BY date DESC LIMIT 1`)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	return &ds[0], nil
}

// PutDigest implements app.DigestTx.
func (t *tx) PutDigest(d *app.DailyDigest) error {
	if _, ok := app.ParseDay(d.Date); !ok {
		return app.E("PutDigest", app.KindInvalid, app.M(app.MsgInvalidDate, d.Date))
	}
	return t.putDoc("PutDigest", "digests", "date", d.Date, d)
}

// Digests implements app.DigestTx.
func (t *tx) Digests(from, to string, fn func(app.DailyDigest) error) error {
	ds, err := queryDocs[app.DailyDigest](t, "Digests",
		`SELECT doc FROM digests WHERE ($1 = '' OR date >= $1) AND ($2 = '' OR date <= $2) ORDER BY date`, from, to)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// ScanChains implements app.ChainScanTx: every dossier with its history, in
// code order, from one snapshot. A history cannot outlive its dossier here
// (a foreign key), so es is nil only for a dossier without history. The
// rows are read a page of dossiers at a time and closed before fn runs:
// fn may query the same transaction.
func (t *tx) ScanChains(fn func(code string, d *app.Dossier, es []app.HistoryEntry) error) error {
	const op = "ScanChains"
	const page = 500
	type chain struct {
		code string
		d    *app.Dossier
		es   []app.HistoryEntry
	}
	for after := ""; ; {
		rows, err := t.tx.Query(t.ctx, `SELECT d.code, d.doc, h.doc FROM
			(SELECT code, doc FROM dossiers WHERE code > $1 ORDER BY code LIMIT $2) d
			LEFT JOIN history h ON h.code = d.code ORDER BY d.code, h.seq`, after, page)
		if err != nil {
			return t.fail(op, err)
		}
		var chains []*chain
		for rows.Next() {
			var code string
			var draw, hraw []byte
			if err := rows.Scan(&code, &draw, &hraw); err != nil {
				rows.Close()
				return t.fail(op, err)
			}
			if len(chains) == 0 || chains[len(chains)-1].code != code {
				c := &chain{code: code, d: new(app.Dossier)}
				if err := decode(draw, c.d); err != nil {
					rows.Close()
					return err
				}
				chains = append(chains, c)
			}
			if hraw != nil {
				c := chains[len(chains)-1]
				var e app.HistoryEntry
				if err := decode(hraw, &e); err != nil {
					rows.Close()
					return err
				}
				c.es = append(c.es, e)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t.fail(op, err)
		}
		for _, c := range chains {
			if err := fn(c.code, c.d, c.es); err != nil {
				return err
			}
		}
		if len(chains) < page {
			return nil
		}
		after = chains[len(chains)-1].code
	}
}

package postgres

import (
	"bytes"
	"encoding/binary"

	"motcua/app"
)

// Statistics counters, as in storage/stats.go: every dossier write moves the
// dossier's marks (app.DossierStats) from what stats_facts says it added
// before to what it adds now, with atomic increments of the stats_day rows.

func encodeFacts(f *app.StatsFacts) []byte {
	b := make([]byte, 0, len(f.Field)+len(f.Procedure)+2+5*len(f.Marks))
	b = append(b, f.Field...)
	b = append(b, 0)
	b = append(b, f.Procedure...)
	b = append(b, 0)
	for _, m := range f.Marks {
		b = binary.BigEndian.AppendUint32(b, uint32(max(m.Day, 0)))
		b = append(b, byte(m.Counter))
	}
	return b
}

func decodeFacts(b []byte) (field, proc string, marks []app.StatMark, ok bool) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return "", "", nil, false
	}
	j := bytes.IndexByte(b[i+1:], 0)
	if j < 0 {
		return "", "", nil, false
	}
	field, proc = string(b[:i]), string(b[i+1:i+1+j])
	rest := b[i+2+j:]
	if len(rest)%5 != 0 {
		return "", "", nil, false
	}
	for ; len(rest) > 0; rest = rest[5:] {
		marks = append(marks, app.StatMark{Day: app.Day(binary.BigEndian.Uint32(rest)), Counter: app.StatCounter(rest[4])})
	}
	return field, proc, marks, true
}

type statKey struct {
	day         app.Day
	field, proc string
}

// updateStats queues the statistics changes of d, given the marks it added
// before (old, nil for none).
func (t *tx) updateStats(d *app.Dossier, old []byte) error {
	const op = "PutDossier"
	nf, counted := app.DossierStats(d)
	var now []byte
	if counted {
		now = encodeFacts(&nf)
	}
	if bytes.Equal(old, now) {
		return nil
	}
	deltas := map[statKey]*[app.NumStatCounters]int64{}
	var order []statKey
	add := func(field, proc string, marks []app.StatMark, sign int64) {
		for _, m := range marks {
			if m.Counter < 0 || m.Counter >= app.NumStatCounters {
				continue
			}
			k := statKey{max(m.Day, 0), field, proc}
			if deltas[k] == nil {
				deltas[k] = new([app.NumStatCounters]int64)
				order = append(order, k)
			}
			deltas[k][m.Counter] += sign
		}
	}
	if old != nil {
		if f, p, marks, ok := decodeFacts(old); ok {
			add(f, p, marks, -1)
		}
	}
	if counted {
		add(nf.Field, nf.Procedure, nf.Marks, 1)
	}
	for _, k := range order {
		dl := deltas[k]
		if *dl == ([app.NumStatCounters]int64{}) {
			continue
		}
		if err := t.exec(op, `INSERT INTO stats_day AS s (day, field, procedure, n)
			VALUES ($1, $2, $3, (SELECT array_agg(greatest(x, 0) ORDER BY i) FROM unnest($4::bigint[]) WITH ORDINALITY u(x, i)))
			ON CONFLICT (day, field, procedure) DO UPDATE SET n =
			(SELECT array_agg(greatest(a + b, 0) ORDER BY i) FROM unnest(s.n, $4::bigint[]) WITH ORDINALITY u(a, b, i))`,
			int32(k.day), k.field, k.proc, dl[:]); err != nil {
			return err
		}
	}
	if !counted {
		return t.exec(op, `DELETE FROM stats_facts WHERE code = $1`, d.Code)
	}
	if err := t.exec(op, `INSERT INTO stats_facts (code, facts) VALUES ($1, $2)
		ON CONFLICT (code) DO UPDATE SET facts = excluded.facts`, d.Code, now); err != nil {
		return err
	}
	if nf.Procedure != "" && nf.ProcedureName != "" {
		return t.exec(op, `INSERT INTO stats_names (procedure, name) VALUES ($1, $2)
			ON CONFLICT (procedure) DO UPDATE SET name = excluded.name WHERE stats_names.name <> excluded.name`,
			nf.Procedure, nf.ProcedureName)
	}
	return nil
}

// DailyStats calls fn with every counter row of the days [from, to), in day
// order (app.StatsTx). Rows whose counters all went back to zero are skipped.
func (t *tx) DailyStats(from, to app.Day, fn func(app.DayStats) error) error {
	const op = "DailyStats"
	if to <= from {
		return nil
	}
	rows, err := t.tx.Query(t.ctx, `SELECT day, field, procedure, n FROM stats_day
		WHERE day >= $1 AND day < $2 ORDER BY day, field, procedure`, int32(max(from, 0)), int32(max(to, 0)))
	if err != nil {
		return t.fail(op, err)
	}
	var out []app.DayStats
	for rows.Next() {
		var day int32
		var r app.DayStats
		var n []int64
		if err := rows.Scan(&day, &r.Field, &r.Procedure, &n); err != nil {
			rows.Close()
			return t.fail(op, err)
		}
		r.Day = app.Day(day)
		zero := true
		for i := range r.N {
			if i < len(n) {
				r.N[i] = n[i]
				zero = zero && n[i] == 0
			}
		}
		if !zero {
			out = append(out, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t.fail(op, err)
	}
	for _, r := range out { // fn may run queries of its own: not while rows are open
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// StatsProcedureNames returns procedure code → name (app.StatsTx).
func (t *tx) StatsProcedureNames() (map[string]string, error) {
	const op = "StatsProcedureNames"
	rows, err := t.tx.Query(t.ctx, `SELECT procedure, name FROM stats_names`)
	if err != nil {
		return nil, t.fail(op, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var p, n string
		if err := rows.Scan(&p, &n); err != nil {
			return nil, t.fail(op, err)
		}
		out[p] = n
	}
	return out, t.fail(op, rows.Err())
}

var _ app.StatsTx = (*tx)(nil)

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"motcua/app"
	"motcua/storage"
)

// BulkLoad inserts many new dossiers with their history, index columns, name
// words, counters and statistics in one transaction, with COPY: for moving
// an office up from its bbolt file, imports and benchmark data. Codes must
// be unused (a used one fails the whole load with KindConflict); Version is
// kept as given (≥ 1), because moved dossiers already have a past. History
// chains are stored as given; the integrity check verifies them afterwards.
func (db *DB) BulkLoad(ds []app.Dossier) error {
	const op = "postgres.BulkLoad"
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, db.pool, func(ptx pgx.Tx) error { return bulkLoad(ctx, ptx, ds) })
	if err != nil {
		if isUnique(err) {
			return app.E(op, app.KindConflict, "Có mã hồ sơ đã được dùng trong cơ sở dữ liệu đích", err)
		}
		return wrap(op, err)
	}
	_, err = db.pool.Exec(ctx, `VACUUM ANALYZE`) // statistics for the planner, visibility for index-only scans
	return wrap(op, err)
}

// bulkLoad is BulkLoad inside the caller's transaction.
func bulkLoad(ctx context.Context, ptx pgx.Tx, ds []app.Dossier) error {
	const op = "postgres.BulkLoad"
	{
		var rows, words, hist, facts [][]any
		heads := map[chainDay]string{}
		states := map[string]int{}
		type sk struct {
			day         int32
			field, proc string
		}
		stats := map[sk]*[app.NumStatCounters]int64{}
		names := map[string]string{}
		for i := range ds {
			d := &ds[i]
			if d.Code == "" || !d.State.Valid() || d.Version < 1 {
				return app.E(op, app.KindInvalid, fmt.Sprintf("Hồ sơ %q không hợp lệ", d.Code))
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
			recv := timeKey(d.ReceivedAt)
			ws := storage.SearchWords(d.Applicant.FullName)
			if ws == nil {
				ws = []string{}
			}
			rows = append(rows, []any{d.Code, d.Version, string(d.State), d.State.Open(), d.ProcedureCode, recv, dueKey(d.DueAt),
				storage.IDKey(d.Applicant.IDNumber), storage.PhoneKey(d.Applicant.Phone), app.Fold(d.Applicant.FullName),
				d.Handler.Username, summary, doc, ws})
			for _, w := range ws {
				words = append(words, []any{w, recv, d.Code, ws})
			}
			for _, e := range d.History {
				raw, err := encode(op, e)
				if err != nil {
					return err
				}
				hist = append(hist, []any{d.Code, e.Seq, raw})
				heads[chainDay{int32(app.DayOf(e.At)), d.Code}] = e.Hash // the last entry of each day wins
			}
			states[string(d.State)]++
			if f, ok := app.DossierStats(d); ok {
				facts = append(facts, []any{d.Code, encodeFacts(&f)})
				if f.Procedure != "" && f.ProcedureName != "" {
					names[f.Procedure] = f.ProcedureName
				}
				for _, m := range f.Marks {
					if m.Counter < 0 || m.Counter >= app.NumStatCounters {
						continue
					}
					k := sk{int32(max(m.Day, 0)), f.Field, f.Procedure}
					if stats[k] == nil {
						stats[k] = new([app.NumStatCounters]int64)
					}
					stats[k][m.Counter]++
				}
			}
		}
		for _, c := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"dossiers", []string{"code", "version", "state", "open", "procedure_code", "received", "due", "id_key", "phone_key", "fold", "handler", "summary", "doc", "words"}, rows},
			{"dossier_words", []string{"word", "received", "code", "words"}, words},
			{"history", []string{"code", "seq", "doc"}, hist},
			{"chain_days", []string{"day", "code", "head"}, headRows(heads)},
			{"stats_facts", []string{"code", "facts"}, facts},
		} {
			if _, err := ptx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
				return err
			}
		}
		b := &pgx.Batch{}
		wordN := map[string]int{}
		for _, w := range words {
			wordN[w[0].(string)]++
		}
		for w, n := range wordN {
			b.Queue(`INSERT INTO word_counts (word, n) VALUES ($1, $2) ON CONFLICT (word) DO UPDATE SET n = word_counts.n + excluded.n`, w, n)
		}
		for s, n := range states {
			b.Queue(`INSERT INTO counters (name, n) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET n = counters.n + excluded.n`, ctrState+s, n)
		}
		for k, n := range stats {
			b.Queue(`INSERT INTO stats_day AS s (day, field, procedure, n) VALUES ($1, $2, $3, $4)
				ON CONFLICT (day, field, procedure) DO UPDATE SET n =
				(SELECT array_agg(greatest(a + b, 0) ORDER BY i) FROM unnest(s.n, $4::bigint[]) WITH ORDINALITY u(a, b, i))`,
				k.day, k.field, k.proc, n[:])
		}
		for p, name := range names {
			b.Queue(`INSERT INTO stats_names (procedure, name) VALUES ($1, $2) ON CONFLICT (procedure) DO UPDATE SET name = excluded.name`, p, name)
		}
		return ptx.SendBatch(ctx, b).Close()
	}
}

// chainDay is one row of chain_days: a dossier's chain on a day.
type chainDay struct {
	day  int32
	code string
}

func headRows(heads map[chainDay]string) [][]any {
	out := make([][]any, 0, len(heads))
	for k, h := range heads {
		out = append(out, []any{k.day, k.code, h})
	}
	return out
}

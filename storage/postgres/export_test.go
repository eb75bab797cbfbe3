package postgres

import (
	"strings"

	"motcua/app"
)

// ExplainList returns the plan PostgreSQL chooses for the list query of q
// with sequential scans discouraged (enable_seqscan = off), so that a "Seq
// Scan" left in the plan means that no index can answer q.
func (db *DB) ExplainList(q app.Query) (string, error) { return db.explain(q, "EXPLAIN ", true) }

// ExplainAnalyze runs q's list query under EXPLAIN ANALYZE (debugging).
func (db *DB) ExplainAnalyze(q app.Query) (string, error) {
	return db.explain(q, "EXPLAIN ANALYZE ", false)
}

func (db *DB) explain(q app.Query, how string, noSeq bool) (string, error) {
	var plan []string
	err := db.View(func(atx app.Tx) error {
		t := atx.(*tx)
		sql, args, _, err := t.listSQL(q, 50)
		if err != nil || sql == "" {
			return err
		}
		if noSeq {
			if _, err := t.tx.Exec(t.ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
		}
		rows, err := t.tx.Query(t.ctx, how+sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			plan = append(plan, line)
		}
		return rows.Err()
	})
	return strings.Join(plan, "\n"), err
}

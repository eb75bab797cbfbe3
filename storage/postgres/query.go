package postgres

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"motcua/app"
	"motcua/storage"
)

// ListDossiers answers a list screen with one SELECT whose ORDER BY is the
// order of an index, so that the server walks that index and stops after
// Limit+1 rows (EXPLAIN shows an Index Scan, never a Seq Scan of dossiers):
//
//   - code text: the primary key over the code prefix, greatest code first;
//   - 9+ digits: dossiers_id and dossiers_phone over the number prefix;
//     a passport or tax number: dossiers_id;
//   - name words: dossier_words (the posting list of every word that starts
//     with the last word, and of each other word exactly);
//   - DueBefore, DueFrom or SortDueAsc: dossiers_due (open dossiers only),
//     soonest first, no appointment date last;
//   - otherwise newest received first on dossiers_proc, dossiers_state or
//     dossiers_received, as the planner sees fit.
//
// The semantics (which dossiers, which order, what the cursor means) are
// those of the bbolt store (storage/query.go), checked by the shared
// conformance suite (storage/storetest). The cursor is the order's letter and
// the last row's sort key: 'c' code, 'r' received(8) code, 'd' due(8) code.
func (t *tx) ListDossiers(q app.Query) (app.Page, error) {
	const op = "ListDossiers"
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	sql, args, ord, err := t.listSQL(q, limit)
	if err != nil || sql == "" {
		return app.Page{}, err
	}
	rows, err := t.tx.Query(t.ctx, sql, args...)
	if err != nil {
		return app.Page{}, t.fail(op, err)
	}
	defer rows.Close()
	var page app.Page
	var lastKey []byte
	for rows.Next() {
		var code string
		var recv, due int64
		var raw []byte
		if err := rows.Scan(&code, &recv, &due, &raw); err != nil {
			return app.Page{}, t.fail(op, err)
		}
		if len(page.Items) == limit {
			page.Next = string(rune(ord)) + base64.RawURLEncoding.EncodeToString(lastKey)
			break
		}
		var s app.DossierSummary
		if err := decode(raw, &s); err != nil {
			return app.Page{}, err
		}
		page.Items = append(page.Items, s)
		switch ord {
		case 'c':
			lastKey = []byte(code)
		case 'r':
			lastKey = binary.BigEndian.AppendUint64(nil, uint64(recv))
			lastKey = append(lastKey, code...)
		case 'd':
			lastKey = binary.BigEndian.AppendUint64(nil, uint64(due))
			lastKey = append(lastKey, code...)
		}
	}
	if err := rows.Err(); err != nil {
		return app.Page{}, t.fail(op, err)
	}
	return page, nil
}

// prefixEnd is the smallest string greater than every string starting with
// p in code point order (which COLLATE "C" uses for UTF-8), or "" when there
// is none. It stays valid UTF-8: the last rune is replaced by the next one.
func prefixEnd(p string) string {
	r := []rune(p)
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] < unicode.MaxRune {
			r[i]++
			if r[i] >= 0xD800 && r[i] < 0xE000 {
				r[i] = 0xE000
			}
			return string(r[:i+1])
		}
	}
	return ""
}

// postingProbe bounds the probe of a word's posting list: lists shorter than
// this are fetched whole and sorted (~1 ms at most); longer ones are common
// enough for a walk in receipt order to find a page quickly.
const postingProbe = 3000

// listSQL builds the SELECT of a list page ("" when the answer is certainly
// empty): the query, its arguments and the order letter of its cursor.
func (t *tx) listSQL(q app.Query, limit int) (sql string, args []any, ord byte, err error) {
	const op = "ListDossiers"

	ord = 'r'
	from := "dossiers"
	var where []string
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}

	// Filters common to every plan.
	var states []string
	if len(q.States) > 0 {
		for _, s := range q.States {
			if !q.OpenOnly || s.Open() {
				states = append(states, string(s))
			}
		}
		if len(states) == 0 {
			return "", nil, 0, nil
		}
		where = append(where, "state = ANY("+arg(distinct(states))+"::text[])")
	}
	if q.OpenOnly {
		where = append(where, "open")
	}
	if q.ProcedureCode != "" {
		where = append(where, "procedure_code = "+arg(q.ProcedureCode))
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return "", nil, 0, nil
	}
	if !q.From.IsZero() {
		where = append(where, "received >= "+arg(max(timeKey(q.From), 1)))
	}
	if !q.To.IsZero() {
		where = append(where, "received < "+arg(max(timeKey(q.To), 1)))
	}
	if !q.DueBefore.IsZero() {
		where = append(where, "open AND due < "+arg(max(timeKey(q.DueBefore), 1)))
	}
	if !q.DueFrom.IsZero() {
		where = append(where, "open AND due <> "+arg(int64(noDue))+" AND due >= "+arg(max(timeKey(q.DueFrom), 1)))
	}

	text := app.NFC(q.Text)
	if text != "" {
		up := strings.ToUpper(text)
		digits := storage.PhoneKey(text)
		prefix := func(col, p string) string {
			c := col + " >= " + arg(p)
			if end := prefixEnd(p); end != "" {
				c += " AND " + col + " < " + arg(end)
			}
			return c
		}
		switch {
		case storage.LooksLikeCode(up):
			ord = 'c'
			where = append(where, prefix("code", up))
		case len(digits) >= 9 && storage.IsDigits(digits):
			c := "(" + prefix("id_key", digits)
			if len(digits) <= 11 {
				c += " OR " + prefix("phone_key", digits)
			}
			where = append(where, c+")")
		case storage.IsIDToken(up):
			where = append(where, prefix("id_key", up))
		default:
			words := app.Words(text)
			if len(words) == 0 {
				return "", nil, 0, nil
			}
			last := words[len(words)-1]
			// Each condition on dossier_words: an exact word, or the last
			// word as a prefix.
			type cond struct{ lo, hi string } // hi == "": exact word lo
			var conds []cond
			for _, w := range distinct(words[:len(words)-1]) {
				conds = append(conds, cond{lo: w})
			}
			conds = append(conds, cond{lo: last, hi: prefixEnd(last)})
			if conds[len(conds)-1].hi == "" {
				conds[len(conds)-1].hi = string(unicode.MaxRune)
			}
			sqlOf := func(c cond, arg func(any) string) string {
				if c.hi == "" {
					return "word = " + arg(c.lo)
				}
				return "word >= " + arg(c.lo) + " AND word < " + arg(c.hi)
			}
			// As the bbolt planner does: when one word's posting list is
			// short, start from it (fetch it whole, sort it); when every word
			// is common, walk the receipt order and test each row, since
			// matches come early. A bounded probe measures each list.
			rare, bestN := -1, postingProbe
			for i, c := range conds {
				var pargs []any
				parg := func(v any) string { pargs = append(pargs, v); return fmt.Sprintf("$%d", len(pargs)) }
				var n int
				err := t.tx.QueryRow(t.ctx, "SELECT count(*) FROM (SELECT 1 FROM dossier_words WHERE "+sqlOf(c, parg)+
					" LIMIT "+strconv.Itoa(postingProbe)+") p", pargs...).Scan(&n)
				if err != nil {
					return "", nil, 0, t.fail(op, err)
				}
				if n == 0 {
					return "", nil, 0, nil
				}
				if n < bestN {
					rare, bestN = i, n
				}
			}
			for i, c := range conds {
				if i == rare {
					from = "dossiers JOIN (SELECT DISTINCT code FROM dossier_words WHERE " + sqlOf(c, arg) + " OFFSET 0) w USING (code)"
				} else {
					where = append(where, "code IN (SELECT code FROM dossier_words WHERE "+sqlOf(c, arg)+")")
				}
			}
		}
	} else if !q.DueBefore.IsZero() || !q.DueFrom.IsZero() || q.Sort == app.SortDueAsc {
		ord = 'd'
		where = append(where, "open")
	}

	// The cursor: rows strictly after the last row of the previous page.
	if q.After != "" {
		if q.After[0] != ord {
			return "", nil, 0, app.E(op, app.KindInvalid, "Con trỏ trang không thuộc danh sách này; hãy tải lại danh sách")
		}
		raw, err := base64.RawURLEncoding.DecodeString(q.After[1:])
		if err != nil || ord != 'c' && len(raw) < 8 {
			return "", nil, 0, app.E(op, app.KindInvalid, "Con trỏ trang không hợp lệ", err)
		}
		switch ord {
		case 'c':
			where = append(where, "code < "+arg(string(raw)))
		case 'r':
			where = append(where, "(received, code) < ("+arg(int64(binary.BigEndian.Uint64(raw)))+", "+arg(string(raw[8:]))+")")
		case 'd':
			where = append(where, "(due, code) > ("+arg(int64(binary.BigEndian.Uint64(raw)))+", "+arg(string(raw[8:]))+")")
		}
	}
	orderBy := map[byte]string{'c': "code DESC", 'r': "received DESC, code DESC", 'd': "due, code"}[ord]
	sql = "SELECT code, received, due, summary FROM " + from
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY " + orderBy + " LIMIT " + arg(limit+1)

	return sql, args, ord, nil
}

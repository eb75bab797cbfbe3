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
//   - Handler ("Hồ sơ của tôi"): dossiers_handler (open dossiers only),
//     newest received first;
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
	if strings.Contains(sql, "unnest(words)") || strings.Contains(sql, "words @>") || strings.Contains(sql, " AS wr") {
		// A name search walking the receipt order: the planner cannot tell
		// how common the words are and may prefer reading the whole table
		// and sorting it; every list is meant to be an index walk, so say so.
		if err := t.exec(op, `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`); err != nil {
			return app.Page{}, err
		}
		defer t.exec(op, `SELECT set_config('enable_seqscan', 'on', true), set_config('enable_bitmapscan', 'on', true)`)
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
const postingProbe = 1000

// listSQL builds the SELECT of a list page ("" when the answer is certainly
// empty): the query, its arguments and the order letter of its cursor.
func (t *tx) listSQL(q app.Query, limit int) (sql string, args []any, ord byte, err error) {
	const op = "ListDossiers"

	ord = 'r'
	from := "dossiers"
	walkWords := false // the received order is the posting list's: (wr, wc)
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
	if q.Handler != "" {
		// "Hồ sơ của tôi": dossiers_handler (open dossiers only), newest
		// received first; the text is not searched with it.
		text = ""
		where = append(where, "open AND handler = "+arg(q.Handler))
	}
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
			counts := make([]int, len(conds))
			// Exact words: their counters. The last word: a bounded probe of
			// the postings of every word it begins.
			if len(conds) > 1 {
				var ws []string
				for _, c := range conds[:len(conds)-1] {
					ws = append(ws, c.lo)
				}
				rows, err := t.tx.Query(t.ctx, `SELECT word, n FROM word_counts WHERE word = ANY($1::text[])`, ws)
				if err != nil {
					return "", nil, 0, t.fail(op, err)
				}
				n := map[string]int{}
				for rows.Next() {
					var w string
					var c int
					if err := rows.Scan(&w, &c); err != nil {
						rows.Close()
						return "", nil, 0, t.fail(op, err)
					}
					n[w] = c
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return "", nil, 0, t.fail(op, err)
				}
				for i, c := range conds[:len(conds)-1] {
					if counts[i] = n[c.lo]; counts[i] <= 0 {
						return "", nil, 0, nil
					}
				}
			}
			for i, c := range conds {
				if i < len(conds)-1 {
					continue
				}
				var pargs []any
				parg := func(v any) string { pargs = append(pargs, v); return fmt.Sprintf("$%d", len(pargs)) }
				err := t.tx.QueryRow(t.ctx, "SELECT count(*) FROM (SELECT 1 FROM dossier_words WHERE "+sqlOf(c, parg)+
					" LIMIT "+strconv.Itoa(postingProbe)+") p", pargs...).Scan(&counts[i])
				if err != nil {
					return "", nil, 0, t.fail(op, err)
				}
				if counts[i] == 0 {
					return "", nil, 0, nil
				}
			}
			// The plans, as the bbolt store's: (1) the last word's postings
			// are few: fetch them all and sort; (2) otherwise, when there are
			// exact words, walk the rarest one's postings in receipt order
			// (the dossier_words key order) and test each dossier's own
			// words; (3) one common prefix: walk the receipt order.
			lastN := counts[len(conds)-1]
			rareExact, rareN := -1, 0
			for i := range conds[:len(conds)-1] {
				if rareExact < 0 || counts[i] < rareN {
					rareExact, rareN = i, counts[i]
				}
			}
			drive := -1
			switch {
			case lastN < postingProbe && (rareExact < 0 || lastN <= rareN):
				c := conds[len(conds)-1]
				from = "dossiers JOIN (SELECT DISTINCT code FROM dossier_words WHERE " + sqlOf(c, arg) + " OFFSET 0) w USING (code)"
				drive = len(conds) - 1
			case rareExact >= 0:
				walkWords = true
				drive = rareExact
			}
			var exact, wordConds []string
			for i, c := range conds {
				switch {
				case i == drive:
				case c.hi == "":
					exact = append(exact, c.lo)
				default: // the row's own words, no join
					wordConds = append(wordConds, "EXISTS (SELECT 1 FROM unnest(words) u WHERE u >= "+arg(c.lo)+" AND u < "+arg(c.hi)+")")
				}
			}
			if len(exact) > 0 {
				wordConds = append(wordConds, "words @> "+arg(exact)+"::text[]")
			}
			if walkWords {
				// The postings carry the words: tested in the index, before
				// any dossier row is read.
				from = "(SELECT received AS wr, code AS wc FROM dossier_words WHERE " +
					strings.Join(append([]string{"word = " + arg(conds[rareExact].lo)}, wordConds...), " AND ") +
					") w JOIN dossiers ON code = wc"
			} else {
				where = append(where, wordConds...)
			}
		}
	} else if q.Handler == "" && (!q.DueBefore.IsZero() || !q.DueFrom.IsZero() || q.Sort == app.SortDueAsc) {
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
			cols := "(received, code)"
			if walkWords {
				cols = "(wr, wc)"
			}
			where = append(where, cols+" < ("+arg(int64(binary.BigEndian.Uint64(raw)))+", "+arg(string(raw[8:]))+")")
		case 'd':
			where = append(where, "(due, code) > ("+arg(int64(binary.BigEndian.Uint64(raw)))+", "+arg(string(raw[8:]))+")")
		}
	}
	orderBy := map[byte]string{'c': "code DESC", 'r': "received DESC, code DESC", 'd': "due, code"}[ord]
	if walkWords {
		orderBy = "wr DESC, wc DESC"
	}
	sql = "SELECT code, received, due, summary FROM " + from
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY " + orderBy + " LIMIT " + arg(limit+1)

	return sql, args, ord, nil
}

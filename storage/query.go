package storage

import (
	"bytes"
	"container/heap"
	"encoding/base64"
	"maps"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// ListDossiers answers a list screen from the indexes; it never scans all
// dossiers. Every plan is a walk of one or more index ranges in a single
// order, merged when there are several. Each candidate's row head (one
// summaries lookup, 1–3 µs; none for the name index, whose values are the
// heads) is checked against the filters the index does not answer, and only
// the rows of the page have their JSON decoded (~10 µs each). The cost of a
// page is therefore the number of index keys walked until Limit+1 rows
// match. Measured first pages of 50 rows: 0.4–0.9 ms at 10,000 and at
// 100,000 dossiers alike. The plans, most specific first:
//
//   - Text that looks like a dossier code or its beginning ("000.00.01.H22-2501"):
//     the summaries bucket (keyed by code) over that prefix, newest code first.
//     Cost: O(page) for a code, O(keys walked) when other filters reject rows.
//   - Text of 9 or more digits (after removing spaces, dots, dashes; +84 → 0):
//     the ID index and the phone index, exact or prefix, merged newest
//     received first. The distinct numbers under the prefix are found by
//     skip-scan (one seek each, at most 1,000). A single token of 5+ letters
//     and digits with a digit (passport, tax code) uses the ID index alone.
//   - Other text: name words (app.Words, so "nguyen van a", "NGUYEN" and
//     "nguyễn" all find "Nguyễn Văn A"). Every word must match, the last one as
//     a prefix. The planner reads the per-word counters and walks the posting
//     list of the rarest word (or the merged lists of every word that starts
//     with the last word, when that is rarer); the other words are checked
//     against the folded name in the row head stored as the index value.
//     Cost: O(posting list of the rarest word) in the worst case (a few ms at
//     100,000 dossiers), O(page) when most rows match.
//   - Handler ("Hồ sơ của tôi"): the handler index, which holds only open
//     dossiers, by handler then newest received first. Cost: O(page).
//   - No text, DueBefore set or Sort == SortDueAsc: the open-due index, which
//     holds only open dossiers, soonest first, up to DueBefore; dossiers
//     without an appointment date come last and never count as due.
//     Cost: O(page) unless the other filters are rare among open dossiers.
//   - No text, newest received first: the procedure index or the state
//     index(es) (one range per state, merged), whichever the counters say is
//     smaller, otherwise the receipt-date index. From/To bound the range on
//     every received-ordered index. Cost: O(page) for the chosen index plus the
//     keys other filters reject.
//
// Text results are always ordered newest received first (code order for code
// text) whatever Sort says: a search is rarely large, and keeping one order
// per index is what makes every page a cursor walk. The cursor (Page.Next)
// names the order it belongs to; a cursor from another order is KindInvalid.
func (t *tx) ListDossiers(q app.Query) (app.Page, error) {
	const op = "ListDossiers"
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	p, err := t.plan(q)
	if err != nil || p == nil {
		return app.Page{}, err
	}
	var after []byte
	if q.After != "" {
		if q.After[0] != byte(p.order) {
			return app.Page{}, app.E(op, app.KindInvalid, app.MsgCursorOther)
		}
		if after, err = base64.RawURLEncoding.DecodeString(q.After[1:]); err != nil {
			return app.Page{}, app.E(op, app.KindInvalid, app.MsgCursorInvalid, err)
		}
	}
	m := &merge{desc: p.order != orderDue}
	for _, s := range p.sources {
		s.start(after)
		if s.k != nil {
			m.srcs = append(m.srcs, s)
		}
	}
	heap.Init(m)

	sums := t.bucket(bSummaries).Cursor()
	var page app.Page
	var prev, lastSuffix []byte
	for m.Len() > 0 {
		s := m.srcs[0]
		suffix := s.suffix()
		if prev != nil && bytes.Equal(prev, suffix) { // the same dossier under two words or numbers
			s.next()
			m.fix()
			continue
		}
		prev = append(prev[:0], suffix...)
		code := suffix
		if p.order != orderCode {
			code = suffix[8:]
		}
		var h rowHead
		var err error
		var row []byte // the summaries row, looked up once
		lookup := func() error {
			if row != nil {
				return nil
			}
			k, v := sums.Seek(code) // one cursor reused: no allocation per candidate
			if !bytes.Equal(k, code) {
				return app.E(op, app.KindOther, app.M(app.MsgIndexBroken, code))
			}
			row = v
			return nil
		}
		if len(s.v) > 0 { // the name index carries the head
			h, err = decodeHead(s.v)
		} else if err = lookup(); err == nil {
			h, err = decodeHead(row)
		}
		if err != nil {
			return app.Page{}, err
		}
		if p.f.match(&h) {
			if len(page.Items) == limit {
				page.Next = string(rune(p.order)) + base64.RawURLEncoding.EncodeToString(lastSuffix)
				break
			}
			if err := lookup(); err != nil {
				return app.Page{}, err
			}
			full, err := decodeHead(row)
			if err != nil {
				return app.Page{}, err
			}
			var rec summaryRec
			if err := decode(full.body, &rec); err != nil {
				return app.Page{}, err
			}
			page.Items = append(page.Items, rec.DossierSummary)
			lastSuffix = append(lastSuffix[:0], suffix...)
		}
		s.next()
		m.fix()
	}
	return page, nil
}

type order byte

const (
	orderReceived order = 'r' // newest received first; suffix = received(8) code
	orderDue      order = 'd' // soonest due first; suffix = due(8) code
	orderCode     order = 'c' // greatest code first; suffix = code
)

type plan struct {
	order   order
	sources []*source
	f       filter
}

// filter is every condition of a query, checked on the head of each
// candidate row (no JSON decoding).
type filter struct {
	states    map[string]bool // nil = any
	openOnly  bool
	proc      string
	from, to  uint64   // receipt keys, [from, to); 0 = unbounded
	dueBefore uint64   // 0 = none
	dueFrom   uint64   // 0 = none
	words     []string // name words that must appear exactly
	lastWord  string   // a name word must start with it
}

func (f *filter) match(h *rowHead) bool {
	switch {
	case f.states != nil && !f.states[string(h.state)],
		f.openOnly && !h.open,
		f.proc != "" && string(h.proc) != f.proc,
		f.from != 0 && h.recv < f.from,
		f.to != 0 && h.recv >= f.to,
		f.dueBefore != 0 && (!h.open || h.due == noDue || h.due >= f.dueBefore),
		f.dueFrom != 0 && (!h.open || h.due == noDue || h.due < f.dueFrom):
		return false
	}
	for _, w := range f.words {
		if !hasWord(h.fold, w, false) {
			return false
		}
	}
	return f.lastWord == "" || hasWord(h.fold, f.lastWord, true)
}

const maxDistinct = 1000 // numbers under one ID/phone prefix
const maxWords = 5000    // name words under one prefix

// plan chooses the index walk for q; nil, nil means "certainly empty".
func (t *tx) plan(q app.Query) (*plan, error) {
	const op = "ListDossiers"
	p := &plan{order: orderReceived}
	f := &p.f
	f.openOnly, f.proc = q.OpenOnly, q.ProcedureCode
	if !q.From.IsZero() {
		f.from = max(bytesU64(timeKey(q.From)), 1)
	}
	if !q.To.IsZero() {
		f.to = max(bytesU64(timeKey(q.To)), 1)
	}
	if !q.DueBefore.IsZero() {
		f.dueBefore = max(bytesU64(timeKey(q.DueBefore)), 1)
	}
	if !q.DueFrom.IsZero() {
		f.dueFrom = max(bytesU64(timeKey(q.DueFrom)), 1)
	}
	if len(q.States) > 0 {
		f.states = map[string]bool{}
		for _, s := range q.States {
			if !q.OpenOnly || s.Open() {
				f.states[string(s)] = true
			}
		}
		if len(f.states) == 0 {
			return nil, nil
		}
	} else if q.OpenOnly {
		f.states = map[string]bool{}
		for _, s := range app.AllStates() {
			if s.Open() {
				f.states[string(s)] = true
			}
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return nil, nil
	}
	var lo, hi []byte // receipt range on received-ordered indexes
	if !q.From.IsZero() {
		lo = timeKey(q.From)
	}
	if !q.To.IsZero() {
		hi = timeKey(q.To)
	}
	recvSource := func(bucket []byte, prefix []byte) *source {
		return &source{c: t.bucket(bucket).Cursor(), prefix: prefix, lo: lo, hi: hi, desc: true}
	}

	if q.Handler != "" {
		// "Hồ sơ của tôi": the handler index holds open dossiers only.
		f.openOnly = true
		p.sources = []*source{recvSource(bIdxHandler, field(q.Handler))}
		return p, nil
	}

	text := app.NFC(q.Text)
	if text != "" {
		up := strings.ToUpper(text)
		digits := phoneKey(text)
		switch {
		case validCodeText(up):
			p.order = orderCode
			p.sources = []*source{{c: t.bucket(bSummaries).Cursor(), lo: []byte(up), hi: prefixEnd([]byte(up)), desc: true}}
		case len(digits) >= 9 && isDigits(digits):
			for _, idx := range [][]byte{bIdxID, bIdxPhone} {
				if bytes.Equal(idx, bIdxPhone) && len(digits) > 11 {
					continue
				}
				vals, err := distinctValues(t.bucket(idx), []byte(digits))
				if err != nil {
					return nil, err
				}
				for _, v := range vals {
					p.sources = append(p.sources, recvSource(idx, v))
				}
			}
		case isIDToken(up):
			vals, err := distinctValues(t.bucket(bIdxID), []byte(up))
			if err != nil {
				return nil, err
			}
			for _, v := range vals {
				p.sources = append(p.sources, recvSource(bIdxID, v))
			}
		default:
			words := app.Words(text)
			if len(words) == 0 {
				return nil, nil
			}
			f.lastWord = words[len(words)-1]
			f.words = slices.Compact(slices.Sorted(slices.Values(words[:len(words)-1])))
			wb := t.bucket(bWords)
			best, bestN := "", uint64(0)
			for _, w := range f.words {
				n := getU64(wb, []byte(w))
				if n == 0 {
					return nil, nil
				}
				if best == "" || n < bestN {
					best, bestN = w, n
				}
			}
			var lastWords [][]byte
			var lastN uint64
			c := wb.Cursor()
			for k, v := c.Seek([]byte(f.lastWord)); k != nil && hasPrefix(k, []byte(f.lastWord)); k, v = c.Next() {
				if len(lastWords) == maxWords {
					return nil, app.E(op, app.KindInvalid, app.MsgSearchShort)
				}
				lastWords = append(lastWords, field(string(k)))
				lastN += bytesU64(v)
			}
			if len(lastWords) == 0 {
				return nil, nil
			}
			if best != "" && bestN <= lastN {
				p.sources = []*source{recvSource(bIdxName, field(best))}
			} else {
				for _, w := range lastWords {
					p.sources = append(p.sources, recvSource(bIdxName, w))
				}
			}
		}
		return p, nil
	}

	if !q.DueBefore.IsZero() || !q.DueFrom.IsZero() || q.Sort == app.SortDueAsc {
		p.order = orderDue
		s := &source{c: t.bucket(bIdxDue).Cursor()}
		if !q.DueBefore.IsZero() {
			s.hi = timeKey(q.DueBefore)
		}
		if !q.DueFrom.IsZero() {
			s.lo = timeKey(q.DueFrom)
		}
		p.sources = []*source{s}
		return p, nil
	}

	ctr := t.bucket(bCounters)
	var stateN uint64
	for s := range f.states {
		stateN += getU64(ctr, []byte(ctrState+s))
	}
	switch {
	case f.proc != "" && (f.states == nil || getU64(ctr, []byte(ctrProc+f.proc)) <= stateN):
		p.sources = []*source{recvSource(bIdxProc, field(f.proc))}
	case f.states != nil:
		for _, s := range slices.Sorted(maps.Keys(f.states)) {
			p.sources = append(p.sources, recvSource(bIdxState, field(s)))
		}
	default:
		p.sources = []*source{recvSource(bIdxRecv, nil)}
	}
	return p, nil
}

func isDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// isIDToken: a passport or tax number being typed (one token, a digit in it).
func isIDToken(s string) bool {
	return len(s) >= 5 && strings.ContainsAny(s, "0123456789") &&
		strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') }) < 0
}

func bytesU64(v []byte) uint64 {
	if len(v) != 8 {
		return 0
	}
	return uint64(v[0])<<56 | uint64(v[1])<<48 | uint64(v[2])<<40 | uint64(v[3])<<32 |
		uint64(v[4])<<24 | uint64(v[5])<<16 | uint64(v[6])<<8 | uint64(v[7])
}

// distinctValues returns the key prefixes "value 0x00" of an index whose value
// starts with p, by skip-scan: one seek per distinct value.
func distinctValues(b *bolt.Bucket, p []byte) ([][]byte, error) {
	var out [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(p); k != nil && hasPrefix(k, p); k, _ = c.Seek(prefixEnd(out[len(out)-1])) {
		i := bytes.IndexByte(k, sep)
		if i < 0 {
			return nil, app.E("ListDossiers", app.KindOther, app.M(app.MsgIndexKeyBroken, k))
		}
		if len(out) == maxDistinct {
			return nil, app.E("ListDossiers", app.KindInvalid, app.MsgSearchNumbers)
		}
		out = append(out, append([]byte{}, k[:i+1]...))
	}
	return out, nil
}

// source walks one key range of one index: keys prefix+suffix with suffix in
// [lo, hi), descending or ascending, starting after a cursor.
type source struct {
	c      *bolt.Cursor
	prefix []byte
	lo, hi []byte // nil = unbounded
	desc   bool
	k, v   []byte // current key and value; k is nil when done
}

func (s *source) suffix() []byte { return s.k[len(s.prefix):] }

func (s *source) start(after []byte) {
	if s.desc {
		upper := s.hi
		if after != nil && (upper == nil || bytes.Compare(after, upper) < 0) {
			upper = after
		}
		var target []byte
		if upper != nil {
			target = cat(s.prefix, upper)
		} else {
			target = prefixEnd(s.prefix)
		}
		var k, v []byte
		if target != nil {
			k, _ = s.c.Seek(target)
		}
		if k == nil {
			k, v = s.c.Last()
		} else {
			k, v = s.c.Prev()
		}
		s.set(k, v)
		return
	}
	target := cat(s.prefix, s.lo)
	if after != nil && (s.lo == nil || bytes.Compare(after, s.lo) >= 0) {
		target = cat(s.prefix, after)
		k, v := s.c.Seek(target)
		if bytes.Equal(k, target) {
			k, v = s.c.Next()
		}
		s.set(k, v)
		return
	}
	s.set(s.c.Seek(target))
}

func (s *source) next() {
	if s.desc {
		s.set(s.c.Prev())
	} else {
		s.set(s.c.Next())
	}
}

func (s *source) set(k, v []byte) {
	s.k, s.v = nil, nil
	if k == nil || !hasPrefix(k, s.prefix) {
		return
	}
	suf := k[len(s.prefix):]
	if s.lo != nil && bytes.Compare(suf, s.lo) < 0 || s.hi != nil && bytes.Compare(suf, s.hi) >= 0 {
		return
	}
	s.k, s.v = k, v
}

// merge is a heap of sources by current suffix: the next row of the page is
// always at srcs[0].
type merge struct {
	srcs []*source
	desc bool
}

func (m *merge) Len() int { return len(m.srcs) }
func (m *merge) Less(i, j int) bool {
	c := bytes.Compare(m.srcs[i].suffix(), m.srcs[j].suffix())
	if m.desc {
		return c > 0
	}
	return c < 0
}
func (m *merge) Swap(i, j int) { m.srcs[i], m.srcs[j] = m.srcs[j], m.srcs[i] }
func (m *merge) Push(x any)    { m.srcs = append(m.srcs, x.(*source)) }
func (m *merge) Pop() any {
	s := m.srcs[len(m.srcs)-1]
	m.srcs = m.srcs[:len(m.srcs)-1]
	return s
}

// fix restores the heap after srcs[0] moved, dropping it when done.
func (m *merge) fix() {
	if m.srcs[0].k == nil {
		heap.Pop(m)
		return
	}
	heap.Fix(m, 0)
}

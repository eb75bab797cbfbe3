package storage

import (
	"bytes"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// summaryRec is what the summaries bucket holds: the list row, the version
// (checked by PutDossier without decoding the whole dossier) and the folded
// name (checked by name searches without folding again).
type summaryRec struct {
	app.DossierSummary
	Version int    `json:"v"`
	Fold    string `json:"f"`
	Handler string `json:"hu,omitempty"` // the current handler's username (the handler index)
}

func summaryOf(d *app.Dossier) *summaryRec {
	return &summaryRec{DossierSummary: d.Row(), Version: d.Version, Fold: app.Fold(d.Applicant.FullName), Handler: d.Handler.Username}
}

// distinctWords returns the distinct search words of a folded name.
func distinctWords(fold string) []string {
	w := app.Words(fold)
	slices.Sort(w)
	return slices.Compact(w)
}

type indexKey struct {
	bucket string
	key    string
}

const (
	ctrState = "state/"
	ctrProc  = "proc/"
)

// indexKeys lists every secondary index key of a dossier row.
func indexKeys(s *summaryRec) []indexKey {
	recv := timeKey(s.ReceivedAt)
	code := []byte(s.Code)
	tail := cat(recv, code)
	keys := []indexKey{
		{string(bIdxState), string(cat(field(string(s.State)), tail))},
		{string(bIdxRecv), string(tail)},
	}
	if s.State.Open() {
		keys = append(keys, indexKey{string(bIdxDue), string(cat(dueKey(s.DueAt), code))})
		if s.Handler != "" { // "Hồ sơ của tôi": open dossiers by handler, newest received first
			keys = append(keys, indexKey{string(bIdxHandler), string(cat(field(s.Handler), tail))})
		}
	}
	if s.ProcedureCode != "" {
		keys = append(keys, indexKey{string(bIdxProc), string(cat(field(s.ProcedureCode), tail))})
	}
	if id := idKey(s.IDNumber); id != "" {
		keys = append(keys, indexKey{string(bIdxID), string(cat(field(id), tail))})
	}
	if p := phoneKey(s.Phone); p != "" {
		keys = append(keys, indexKey{string(bIdxPhone), string(cat(field(p), tail))})
	}
	for _, w := range distinctWords(s.Fold) {
		keys = append(keys, indexKey{string(bIdxName), string(cat(field(w), tail))})
	}
	return keys
}

// Dossier returns the dossier with its history.
func (t *tx) Dossier(code string) (*app.Dossier, error) {
	var d app.Dossier
	if err := t.getJSON("Dossier", bDossiers, code, &d, app.M(app.MsgDossierNotFound, code)); err != nil {
		return nil, err
	}
	h, err := t.history(code)
	if err != nil {
		return nil, err
	}
	d.History = h
	return &d, nil
}

// PutDossier inserts (Version 1, unused code) or replaces (stored version ==
// Version-1) a dossier, its row and every index and counter, all in the
// caller's transaction. The History field is ignored: see AppendHistory.
func (t *tx) PutDossier(d *app.Dossier) error {
	const op = "PutDossier"
	if d == nil || d.Code == "" {
		return app.E(op, app.KindInvalid, app.MsgDossierNoCode)
	}
	if !d.State.Valid() {
		return app.E(op, app.KindInvalid, app.M(app.MsgDossierState, d.State))
	}
	var old *summaryRec
	if raw := t.bucket(bSummaries).Get([]byte(d.Code)); raw != nil {
		var err error
		if old, err = decodeRow(raw); err != nil {
			return err
		}
	}
	switch {
	case old == nil && d.Version != 1:
		return app.E(op, app.KindNotFound, app.M(app.MsgDossierNotFoundUpdate, d.Code))
	case old != nil && d.Version == 1:
		return app.E(op, app.KindConflict, app.M(app.MsgDossierCodeUsed, d.Code))
	case old != nil && old.Version != d.Version-1:
		return app.E(op, app.KindConflict, app.M(app.MsgDossierStale, d.Code, d.Version, old.Version))
	}
	return wrapBolt(op, t.writeDossier(d, old))
}

// writeDossier stores d and moves its index keys and counters from old (nil
// for an insert). The caller has checked the version.
func (t *tx) writeDossier(d *app.Dossier, old *summaryRec) error {
	body := *d
	body.History = nil
	raw, err := encode(&body)
	if err != nil {
		return app.E("PutDossier", app.KindInvalid, err)
	}
	ds := t.bucket(bDossiers)
	ds.FillPercent = 0.9 // codes grow with the date: mostly appended
	if err := ds.Put([]byte(d.Code), raw); err != nil {
		return err
	}
	rec := summaryOf(d)
	if raw, err = encodeRow(rec); err != nil {
		return app.E("PutDossier", app.KindInvalid, err)
	}
	sb := t.bucket(bSummaries)
	sb.FillPercent = 0.9
	if err := sb.Put([]byte(d.Code), raw); err != nil {
		return err
	}

	// Indexes: remove the keys that went away, add the new ones.
	newKeys := indexKeys(rec)
	var oldKeys []indexKey
	if old != nil {
		oldKeys = indexKeys(old)
	}
	buckets := map[string]*bolt.Bucket{}
	bk := func(name string) *bolt.Bucket {
		b := buckets[name]
		if b == nil {
			b = t.bucket([]byte(name))
			buckets[name] = b
		}
		return b
	}
	for _, k := range oldKeys {
		if !slices.Contains(newKeys, k) {
			if err := bk(k.bucket).Delete([]byte(k.key)); err != nil {
				return err
			}
		}
	}
	head := encodeHead(rec)
	headChanged := old == nil || !bytes.Equal(encodeHead(old), head)
	for _, k := range newKeys {
		if k.bucket == string(bIdxName) { // the value is the row head: rewrite it when it changed
			if headChanged || !slices.Contains(oldKeys, k) {
				if err := bk(k.bucket).Put([]byte(k.key), head); err != nil {
					return err
				}
			}
			continue
		}
		if !slices.Contains(oldKeys, k) {
			if err := bk(k.bucket).Put([]byte(k.key), nil); err != nil {
				return err
			}
		}
	}

	// Counters: per state, per procedure, per name word.
	ctr, words := t.bucket(bCounters), t.bucket(bWords)
	var oldState app.State
	var oldProc string
	var oldWords []string
	if old != nil {
		oldState, oldProc, oldWords = old.State, old.ProcedureCode, distinctWords(old.Fold)
	}
	if oldState != rec.State {
		if old != nil {
			if err := addU64(ctr, []byte(ctrState+string(oldState)), -1); err != nil {
				return err
			}
		}
		if err := addU64(ctr, []byte(ctrState+string(rec.State)), 1); err != nil {
			return err
		}
	}
	if old == nil || oldProc != rec.ProcedureCode {
		if old != nil {
			if err := addU64(ctr, []byte(ctrProc+oldProc), -1); err != nil {
				return err
			}
		}
		if err := addU64(ctr, []byte(ctrProc+rec.ProcedureCode), 1); err != nil {
			return err
		}
	}
	newWords := distinctWords(rec.Fold)
	for _, w := range oldWords {
		if !slices.Contains(newWords, w) {
			if err := addU64(words, []byte(w), -1); err != nil {
				return err
			}
		}
	}
	for _, w := range newWords {
		if !slices.Contains(oldWords, w) {
			if err := addU64(words, []byte(w), 1); err != nil {
				return err
			}
		}
	}
	return t.updateStats(d) // statistics counters: storage/stats.go
}

// CountByState returns the number of dossiers in each state that has any,
// from the counters: O(states).
func (t *tx) CountByState() (map[app.State]int, error) {
	out := map[app.State]int{}
	c := t.bucket(bCounters).Cursor()
	p := []byte(ctrState)
	for k, v := c.Seek(p); k != nil && hasPrefix(k, p); k, v = c.Next() {
		if len(v) == 8 {
			out[app.State(k[len(p):])] = int(bytesU64(v))
		}
	}
	return out, nil
}

// History

// History returns a dossier's entries in order.
func (t *tx) History(code string) ([]app.HistoryEntry, error) {
	if code == "" || t.bucket(bSummaries).Get([]byte(code)) == nil {
		return nil, app.E("History", app.KindNotFound, app.M(app.MsgDossierNotFound, code))
	}
	return t.history(code)
}

func (t *tx) history(code string) ([]app.HistoryEntry, error) {
	p := field(code)
	c := t.bucket(bHistory).Cursor()
	var out []app.HistoryEntry
	for k, v := c.Seek(p); k != nil && hasPrefix(k, p); k, v = c.Next() {
		var e app.HistoryEntry
		if err := decode(v, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// AppendHistory adds the next entry of an existing dossier's chain: e.Seq
// must be last+1 and e.PrevHash the last entry's Hash ("" for the first).
// There is no method that changes or deletes an entry.
func (t *tx) AppendHistory(code string, e app.HistoryEntry) error {
	const op = "AppendHistory"
	if code == "" || t.bucket(bSummaries).Get([]byte(code)) == nil {
		return app.E(op, app.KindNotFound, app.M(app.MsgDossierNotFound, code))
	}
	b := t.bucket(bHistory)
	lastSeq, lastHash := 0, ""
	p := field(code)
	c := b.Cursor()
	k, v := c.Seek(prefixEnd(p))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k != nil && hasPrefix(k, p) {
		var last app.HistoryEntry
		if err := decode(v, &last); err != nil {
			return err
		}
		lastSeq, lastHash = last.Seq, last.Hash
	}
	if err := checkChain(op, lastSeq, lastHash, e.Seq, e.PrevHash, e.Hash); err != nil {
		return err
	}
	raw, err := encode(e)
	if err != nil {
		return app.E(op, app.KindInvalid, err)
	}
	b.FillPercent = 0.9
	if err := b.Put(historyKey(code, e.Seq), raw); err != nil {
		return wrapBolt(op, err)
	}
	return wrapBolt(op, t.putChainHead(code, &e))
}

// validCodeText reports whether s could be a dossier code or its beginning.
func validCodeText(s string) bool {
	if len(s) < 4 || s[3] != '.' {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r == '.' || r == '-')
	}) < 0
}

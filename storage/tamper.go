package storage

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// Tamper edits raw records behind the app's back, the way someone holding the
// database file could: no rule, index, counter or history is kept in step.
// Only the tamper-evidence tests use it (app/tamper_test.go); another store
// offers the same methods to run the same tests.
type Tamper struct{ db *DB }

// Tamper returns the raw editor of db.
func (db *DB) Tamper() *Tamper { return &Tamper{db} }

// EditDossier rewrites the stored dossier record only.
func (t *Tamper) EditDossier(code string, fn func(d *app.Dossier)) error {
	return t.db.bolt.Update(func(btx *bolt.Tx) error {
		b := btx.Bucket(bDossiers)
		var d app.Dossier
		raw := b.Get([]byte(code))
		if raw == nil {
			return fmt.Errorf("tamper: no dossier %s", code)
		}
		if err := decode(raw, &d); err != nil {
			return err
		}
		fn(&d)
		nv, err := encode(&d)
		if err != nil {
			return err
		}
		return b.Put([]byte(code), nv)
	})
}

// DeleteDossier deletes the dossier record (and its list row), leaving its
// history, indexes and counters.
func (t *Tamper) DeleteDossier(code string) error {
	return t.db.bolt.Update(func(btx *bolt.Tx) error {
		if err := btx.Bucket(bDossiers).Delete([]byte(code)); err != nil {
			return err
		}
		return btx.Bucket(bSummaries).Delete([]byte(code))
	})
}

// DeleteHistory deletes every history entry of code.
func (t *Tamper) DeleteHistory(code string) error {
	return t.db.bolt.Update(func(btx *bolt.Tx) error {
		c := btx.Bucket(bHistory).Cursor()
		p := field(code)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Seek(p) {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteHistoryEntry deletes one history entry.
func (t *Tamper) DeleteHistoryEntry(code string, seq int) error {
	return t.db.bolt.Update(func(btx *bolt.Tx) error {
		return btx.Bucket(bHistory).Delete(historyKey(code, seq))
	})
}

// RewriteHistory lets fn edit code's history entries (it returns whether it
// changed the entry); from the first edited entry on, every entry is
// re-hashed and re-linked, so the chain verifies by itself.
func (t *Tamper) RewriteHistory(code string, fn func(e *app.HistoryEntry) bool) error {
	return t.db.bolt.Update(func(btx *bolt.Tx) error {
		tt := &tx{btx}
		es, err := tt.history(code)
		if err != nil {
			return err
		}
		b := btx.Bucket(bHistory)
		dirty := false
		for i := range es {
			e := &es[i]
			if fn(e) {
				dirty = true
			}
			if !dirty {
				continue
			}
			if i > 0 {
				e.PrevHash = es[i-1].Hash
			}
			e.Hash = app.HashEntry(*e)
			raw, err := encode(e)
			if err != nil {
				return err
			}
			if err := b.Put(historyKey(code, e.Seq), raw); err != nil {
				return err
			}
		}
		return nil
	})
}

// RewriteHeads makes the chain-heads index agree with code's history as it
// is now (what a careful forger does after RewriteHistory).
func (t *Tamper) RewriteHeads(code string) error {
	return t.db.bolt.Update(func(btx *bolt.Tx) error {
		b := btx.Bucket(bChainDays)
		var stale [][]byte
		err := b.ForEach(func(k, _ []byte) error {
			if _, c, ok := splitChainDayKey(k); ok && c == code {
				stale = append(stale, append([]byte{}, k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		tt := &tx{btx}
		es, err := tt.history(code)
		if err != nil {
			return err
		}
		for i := range es {
			if err := tt.putChainHead(code, &es[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteDigestsFrom deletes the stored daily digests of date and later, so
// that the app seals them again from the (forged) data.
func (t *Tamper) DeleteDigestsFrom(date string) error {
	return t.db.bolt.Update(func(btx *bolt.Tx) error {
		c := btx.Bucket(bDigests).Cursor()
		for k, _ := c.Seek([]byte(date)); k != nil; k, _ = c.Seek([]byte(date)) {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

// EditScan rewrites the first chunk of a stored scan (same length), as a
// disk fault or someone editing the file would: the office must say the scan
// no longer matches its SHA-256.
func (t *Tamper) EditScan(sha string, fn func(chunk []byte)) error {
	return t.db.bolt.Update(func(btx *bolt.Tx) error {
		b := btx.Bucket(bScans)
		if b == nil {
			return fmt.Errorf("tamper: no scans")
		}
		raw := b.Get(chunkKey(sha, 0))
		if raw == nil {
			return fmt.Errorf("tamper: no scan %s", sha)
		}
		c := bytes.Clone(raw)
		fn(c)
		return b.Put(chunkKey(sha, 0), c)
	})
}

package storage

import (
	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// What moving an office to another store (storage/postgres.MoveUp) needs
// beyond app.Tx: the records no screen lists. Each is a full walk of a small
// bucket, except ForEachDossier, which reads every dossier once.

// Sequences returns every counter of NextSeq (codes, register rows, guidance).
func (db *DB) Sequences() (map[string]int, error) {
	out := map[string]int{}
	err := db.bolt.View(func(btx *bolt.Tx) error {
		return btx.Bucket(bSeq).ForEach(func(k, v []byte) error {
			out[string(k)] = int(bytesU64(v))
			return nil
		})
	})
	return out, wrapBolt("storage.Sequences", err)
}

// Guidances returns every intake guidance slip, in ID order.
func (db *DB) Guidances() ([]app.IntakeGuidance, error) {
	var out []app.IntakeGuidance
	err := db.bolt.View(func(btx *bolt.Tx) (err error) {
		out, err = all[app.IntakeGuidance](&tx{btx}, bGuidance)
		return err
	})
	return out, wrapBolt("storage.Guidances", err)
}

// SeenEvents returns the IDs of every inbox event already applied.
func (db *DB) SeenEvents() ([]string, error) {
	var out []string
	err := db.bolt.View(func(btx *bolt.Tx) error {
		return btx.Bucket(bEvents).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, wrapBolt("storage.SeenEvents", err)
}

// ForEachDossier calls fn with every dossier and its history, in code order,
// in batches of up to batch dossiers (one read transaction for all).
func (db *DB) ForEachDossier(batch int, fn func([]app.Dossier) error) error {
	if batch <= 0 {
		batch = 1000
	}
	err := db.bolt.View(func(btx *bolt.Tx) error {
		t := &tx{btx}
		var part []app.Dossier
		c := btx.Bucket(bDossiers).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var d app.Dossier
			if err := decode(v, &d); err != nil {
				return err
			}
			h, err := t.history(string(k))
			if err != nil {
				return err
			}
			d.History = h
			part = append(part, d)
			if len(part) == batch {
				if err := fn(part); err != nil {
					return err
				}
				part = nil
			}
		}
		if len(part) > 0 {
			return fn(part)
		}
		return nil
	})
	return wrapBolt("storage.ForEachDossier", err)
}

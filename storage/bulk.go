package storage

import (
	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// BulkLoad inserts many dossiers (and any history they carry) with all their
// indexes, batch per transaction: for generated data, demo data and imports.
// Codes must be unused; Version is kept as given (≥ 1), unlike PutDossier,
// because imported dossiers already have a past.
func (db *DB) BulkLoad(ds []app.Dossier, batch int) error {
	const op = "storage.BulkLoad"
	if batch <= 0 {
		batch = 1000
	}
	for i := 0; i < len(ds); i += batch {
		part := ds[i:min(i+batch, len(ds))]
		err := db.bolt.Update(func(btx *bolt.Tx) error {
			t := &tx{btx}
			for j := range part {
				d := &part[j]
				if d.Code == "" || !d.State.Valid() || d.Version < 1 {
					return app.E(op, app.KindInvalid, app.M(app.MsgDossierBad, d.Code))
				}
				if t.bucket(bSummaries).Get([]byte(d.Code)) != nil {
					return app.E(op, app.KindConflict, app.M(app.MsgDossierCodeUsed, d.Code))
				}
				if err := t.writeDossier(d, nil); err != nil {
					return err
				}
				for _, e := range d.History {
					if err := t.AppendHistory(d.Code, e); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return wrapBolt(op, err)
		}
	}
	return nil
}

package storetest

import (
	"bytes"
	"testing"

	"motcua/app"
)

// testScans: a scan comes back byte for byte (one larger than a bbolt
// chunk, one empty-ish), a second put of the same digest keeps the first,
// a missing one is NotFound, and a rolled-back transaction stores nothing.
func testScans(t *testing.T, b Backend) {
	s := b.Open(t)
	big := make([]byte, 1<<20+123)
	for i := range big {
		big[i] = byte(i*31 + i>>9)
	}
	small := []byte("%PDF-1.4 Giấy khai sinh — bản chụp")
	update(t, s, func(tx app.Tx) error {
		if err := tx.PutScan("big", big); err != nil {
			return err
		}
		if err := tx.PutScan("small", small); err != nil {
			return err
		}
		return tx.PutScan("small", []byte("other bytes under the same name are ignored"))
	})
	err := s.Update(func(tx app.Tx) error {
		if err := tx.PutScan("rolled-back", small); err != nil {
			return err
		}
		return app.E("test", app.KindConflict, "roll back")
	})
	kindIs(t, err, app.KindConflict)
	err = s.View(func(tx app.Tx) error {
		for name, want := range map[string][]byte{"big": big, "small": small} {
			got, err := tx.Scan(name)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("scan %s: %d bytes, %v", name, len(got), err)
			}
			if ok, err := tx.HasScan(name); !ok || err != nil {
				t.Errorf("HasScan(%s) = %v, %v", name, ok, err)
			}
		}
		for _, name := range []string{"missing", "rolled-back"} {
			if ok, _ := tx.HasScan(name); ok {
				t.Errorf("HasScan(%s) = true", name)
			}
			_, err := tx.Scan(name)
			kindIs(t, err, app.KindNotFound)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

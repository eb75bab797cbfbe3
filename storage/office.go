package storage

import (
	"encoding/binary"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// tx is one bbolt transaction seen through app.Tx.
type tx struct{ tx *bolt.Tx }

var _ app.Tx = (*tx)(nil)

func (t *tx) bucket(name []byte) *bolt.Bucket { return t.tx.Bucket(name) }

// getJSON decodes bucket[key] into v; KindNotFound with msg when absent.
func (t *tx) getJSON(op string, bucket []byte, key string, v any, msg app.Message) error {
	if key == "" {
		return app.E(op, app.KindInvalid, app.MsgKeyMissing)
	}
	raw := t.bucket(bucket).Get([]byte(key))
	if raw == nil {
		return app.E(op, app.KindNotFound, msg)
	}
	return decode(raw, v)
}

func (t *tx) putJSON(op string, bucket []byte, key string, v any) error {
	if key == "" {
		return app.E(op, app.KindInvalid, app.MsgKeyMissing)
	}
	raw, err := encode(v)
	if err != nil {
		return app.E(op, app.KindInvalid, err)
	}
	return wrapBolt(op, t.bucket(bucket).Put([]byte(key), raw))
}

func (t *tx) deleteKey(op string, bucket []byte, key string, msg app.Message) error {
	b := t.bucket(bucket)
	if key == "" || b.Get([]byte(key)) == nil {
		return app.E(op, app.KindNotFound, msg)
	}
	return wrapBolt(op, b.Delete([]byte(key)))
}

// all decodes every value of a bucket, in key order. For small buckets only.
func all[T any](t *tx, bucket []byte) ([]T, error) {
	var out []T
	err := t.bucket(bucket).ForEach(func(_, v []byte) error {
		var x T
		if err := decode(v, &x); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	})
	return out, err
}

// Office

var (
	keyAgency   = "agency"
	keySettings = "settings"
)

func (t *tx) Agency() (*app.Agency, error) {
	var a app.Agency
	if err := t.getJSON("Agency", bOffice, keyAgency, &a, app.M(app.MsgAgencyMissing)); err != nil {
		return nil, err
	}
	return &a, nil
}

func (t *tx) PutAgency(a *app.Agency) error {
	if a == nil {
		return app.E("PutAgency", app.KindInvalid, app.MsgAgencyNil)
	}
	return t.putJSON("PutAgency", bOffice, keyAgency, a)
}

func (t *tx) Settings() (app.Settings, error) {
	var s app.Settings
	err := t.getJSON("Settings", bOffice, keySettings, &s, app.Message{})
	if app.Is(err, app.KindNotFound) {
		return app.DefaultSettings(), nil
	}
	return s, err
}

func (t *tx) PutSettings(s app.Settings) error {
	return t.putJSON("PutSettings", bOffice, keySettings, s)
}

// Users

func (t *tx) User(username string) (*app.User, error) {
	var u app.User
	if err := t.getJSON("User", bUsers, username, &u, app.M(app.MsgUserNotFound, username)); err != nil {
		return nil, err
	}
	return &u, nil
}

func (t *tx) PutUser(u *app.User) error {
	if u == nil {
		return app.E("PutUser", app.KindInvalid, app.MsgUserNil)
	}
	return t.putJSON("PutUser", bUsers, u.Username, u)
}

// Users returns every user ordered by username.
func (t *tx) Users() ([]app.User, error) { return all[app.User](t, bUsers) }

// Procedures

func (t *tx) Procedure(code string) (*app.Procedure, error) {
	var p app.Procedure
	if err := t.getJSON("Procedure", bProcedures, code, &p, app.M(app.MsgProcNotFound, code)); err != nil {
		return nil, err
	}
	return &p, nil
}

func (t *tx) PutProcedure(p *app.Procedure) error {
	if p == nil {
		return app.E("PutProcedure", app.KindInvalid, app.MsgProcNil)
	}
	return t.putJSON("PutProcedure", bProcedures, p.Code, p)
}

func (t *tx) DeleteProcedure(code string) error {
	return t.deleteKey("DeleteProcedure", bProcedures, code, app.M(app.MsgProcNotFound, code))
}

// Procedures returns the catalogue ordered by code (byte order of the code).
func (t *tx) Procedures() ([]app.Procedure, error) { return all[app.Procedure](t, bProcedures) }

// Calendar

// CalendarEntries returns every override ordered by date (keys are YYYY-MM-DD).
func (t *tx) CalendarEntries() ([]app.CalendarEntry, error) {
	return all[app.CalendarEntry](t, bCalendar)
}

func (t *tx) PutCalendarEntry(e app.CalendarEntry) error {
	return t.putJSON("PutCalendarEntry", bCalendar, e.Date, e)
}

func (t *tx) DeleteCalendarEntry(date string) error {
	return t.deleteKey("DeleteCalendarEntry", bCalendar, date, app.M(app.MsgCalendarDayNotFound, date))
}

// Guidance

func (t *tx) PutGuidance(g *app.IntakeGuidance) error {
	if g == nil {
		return app.E("PutGuidance", app.KindInvalid, app.MsgGuidanceNil)
	}
	return t.putJSON("PutGuidance", bGuidance, g.ID, g)
}

func (t *tx) Guidance(id string) (*app.IntakeGuidance, error) {
	var g app.IntakeGuidance
	if err := t.getJSON("Guidance", bGuidance, id, &g, app.M(app.MsgGuidanceNotFound, id)); err != nil {
		return nil, err
	}
	return &g, nil
}

func (t *tx) Guidances() ([]app.IntakeGuidance, error) {
	return all[app.IntakeGuidance](t, bGuidance)
}

// Sequences

// NextSeq increments the named counter. Being inside the single write
// transaction makes it atomic: two desks never get the same number, and a
// rolled-back transaction gives its number back.
func (t *tx) NextSeq(name string) (int, error) {
	if name == "" {
		return 0, app.E("NextSeq", app.KindInvalid, app.MsgCounterName)
	}
	b := t.bucket(bSeq)
	n := getU64(b, []byte(name)) + 1
	if err := b.Put([]byte(name), u64(n)); err != nil {
		return 0, wrapBolt("NextSeq", err)
	}
	return int(n), nil
}

// Audit log

// AppendAudit adds the next entry of the administration log: e.Seq must be
// last+1 and e.PrevHash the last entry's Hash ("" for the first).
func (t *tx) AppendAudit(e app.AuditEntry) error {
	const op = "AppendAudit"
	b := t.bucket(bAudit)
	lastSeq, lastHash := 0, ""
	if k, v := b.Cursor().Last(); k != nil {
		var last app.AuditEntry
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
	b.FillPercent = 1 // append-only
	return wrapBolt(op, b.Put(u64(uint64(e.Seq)), raw))
}

// Audit returns up to limit entries with Seq > after, oldest first; with
// after < 0 it returns the last limit entries (after = -1, limit = 1: the
// tail). limit <= 0 means no limit.
func (t *tx) Audit(after, limit int) ([]app.AuditEntry, error) {
	c := t.bucket(bAudit).Cursor()
	var k, v []byte
	if after < 0 {
		k, v = c.Last()
		for n := 1; k != nil && (limit <= 0 || n < limit); n++ {
			pk, pv := c.Prev()
			if pk == nil {
				k, v = c.First()
				break
			}
			k, v = pk, pv
		}
	} else {
		k, v = c.Seek(u64(uint64(after) + 1))
	}
	var out []app.AuditEntry
	for ; k != nil; k, v = c.Next() {
		if limit > 0 && len(out) >= limit {
			break
		}
		var e app.AuditEntry
		if err := decode(v, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// checkChain enforces the rule shared by history and audit: the next entry
// follows the last one, and says so with its hash.
func checkChain(op string, lastSeq int, lastHash string, seq int, prevHash, hash string) error {
	if hash == "" {
		return app.E(op, app.KindInvalid, app.MsgAuditNoHash)
	}
	if seq != lastSeq+1 {
		return app.E(op, app.KindConflict, app.M(app.MsgAuditSeq, seq, lastSeq))
	}
	if prevHash != lastHash {
		return app.E(op, app.KindConflict, app.MsgAuditPrev)
	}
	return nil
}

func getU64(b *bolt.Bucket, k []byte) uint64 {
	if v := b.Get(k); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// addU64 adds d to the counter k, deleting it at zero.
func addU64(b *bolt.Bucket, k []byte, d int) error {
	n := int64(getU64(b, k)) + int64(d)
	if n <= 0 {
		return b.Delete(k)
	}
	return b.Put(k, u64(uint64(n)))
}

package storage

import (
	"bytes"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// Statistics counters (app/stats.go explains what they count and why).
//
//	stats_day    day(4, big-endian) field 0x00 procedure → NumStatCounters × uint32 big-endian
//	stats_facts  code → the marks the dossier added: field 0x00 procedure 0x00 (day(4) counter(1))…
//	stats_names  procedure → the name last seen on a counted dossier
//
// writeDossier calls updateStats after every dossier write: it compares the
// marks app.DossierStats gives now with the ones stored in stats_facts,
// subtracts the old ones and adds the new ones, in the same transaction. A
// write that changes no mark (most workflow steps) costs one Get; one that
// does costs a few small Get/Put pairs. Reading is a cursor walk of
// stats_day over the days asked for: ~10,000 keys for three years of the
// seed catalogue, whatever the number of dossiers.

var (
	bStatsDay   = []byte("stats_day")
	bStatsFacts = []byte("stats_facts")
	bStatsNames = []byte("stats_names")
)

const statsValueLen = 4 * int(app.NumStatCounters)

// statsDayKey is day, field 0x00, procedure. Days before 1970 are clamped to 0.
func statsDayKey(day app.Day, fieldName, proc string) []byte {
	k := make([]byte, 4, 4+len(fieldName)+1+len(proc))
	binary.BigEndian.PutUint32(k, uint32(max(day, 0)))
	k = append(k, fieldName...)
	k = append(k, sep)
	return append(k, proc...)
}

func encodeFacts(f *app.StatsFacts) []byte {
	b := make([]byte, 0, len(f.Field)+len(f.Procedure)+2+5*len(f.Marks))
	b = append(b, f.Field...)
	b = append(b, sep)
	b = append(b, f.Procedure...)
	b = append(b, sep)
	for _, m := range f.Marks {
		b = binary.BigEndian.AppendUint32(b, uint32(max(m.Day, 0)))
		b = append(b, byte(m.Counter))
	}
	return b
}

func decodeFacts(b []byte) (fieldName, proc string, marks []app.StatMark, ok bool) {
	i := bytes.IndexByte(b, sep)
	if i < 0 {
		return "", "", nil, false
	}
	j := bytes.IndexByte(b[i+1:], sep)
	if j < 0 {
		return "", "", nil, false
	}
	fieldName, proc = string(b[:i]), string(b[i+1:i+1+j])
	rest := b[i+2+j:]
	if len(rest)%5 != 0 {
		return "", "", nil, false
	}
	for ; len(rest) > 0; rest = rest[5:] {
		marks = append(marks, app.StatMark{Day: app.Day(binary.BigEndian.Uint32(rest)), Counter: app.StatCounter(rest[4])})
	}
	return fieldName, proc, marks, true
}

// updateStats moves d's marks from what stats_facts says it added before to
// what it adds now.
func (t *tx) updateStats(d *app.Dossier) error {
	fb := t.bucket(bStatsFacts)
	code := []byte(d.Code)
	old := fb.Get(code)
	nf, counted := app.DossierStats(d)
	var now []byte
	if counted {
		now = encodeFacts(&nf)
	}
	if bytes.Equal(old, now) {
		return nil
	}
	type delta struct {
		key []byte
		n   [app.NumStatCounters]int64
	}
	var deltas []*delta // a handful: linear search beats a map
	add := func(fieldName, proc string, marks []app.StatMark, sign int64) {
		for _, m := range marks {
			if m.Counter < 0 || m.Counter >= app.NumStatCounters {
				continue
			}
			k := statsDayKey(m.Day, fieldName, proc)
			var dl *delta
			for _, x := range deltas {
				if bytes.Equal(x.key, k) {
					dl = x
					break
				}
			}
			if dl == nil {
				dl = &delta{key: k}
				deltas = append(deltas, dl)
			}
			dl.n[m.Counter] += sign
		}
	}
	if old != nil {
		if f, p, marks, ok := decodeFacts(old); ok {
			add(f, p, marks, -1)
		}
	}
	if counted {
		add(nf.Field, nf.Procedure, nf.Marks, 1)
	}
	sb := t.bucket(bStatsDay)
	for _, dl := range deltas {
		if dl.n == ([app.NumStatCounters]int64{}) {
			continue
		}
		var cur [app.NumStatCounters]int64
		if v := sb.Get(dl.key); len(v) == statsValueLen {
			for i := range cur {
				cur[i] = int64(binary.BigEndian.Uint32(v[4*i:]))
			}
		}
		zero := true
		val := make([]byte, statsValueLen)
		for i := range cur {
			n := max(cur[i]+dl.n[i], 0)
			zero = zero && n == 0
			binary.BigEndian.PutUint32(val[4*i:], uint32(n))
		}
		var err error
		if zero {
			err = sb.Delete(dl.key)
		} else {
			err = sb.Put(dl.key, val)
		}
		if err != nil {
			return err
		}
	}
	if !counted {
		return fb.Delete(code)
	}
	fb.FillPercent = 0.9 // codes grow with the date
	if err := fb.Put(code, now); err != nil {
		return err
	}
	if nf.Procedure != "" && nf.ProcedureName != "" {
		nb := t.bucket(bStatsNames)
		if string(nb.Get([]byte(nf.Procedure))) != nf.ProcedureName {
			return nb.Put([]byte(nf.Procedure), []byte(nf.ProcedureName))
		}
	}
	return nil
}

// DailyStats calls fn with every counter row of the days [from, to), in day
// order (app.StatsTx).
func (t *tx) DailyStats(from, to app.Day, fn func(app.DayStats) error) error {
	if to <= from {
		return nil
	}
	c := t.bucket(bStatsDay).Cursor()
	start := statsDayKey(from, "", "")[:4]
	end := statsDayKey(to, "", "")[:4]
	for k, v := c.Seek(start); k != nil && bytes.Compare(k[:4], end) < 0; k, v = c.Next() {
		if len(k) < 5 || len(v) != statsValueLen {
			continue
		}
		rest := k[4:]
		i := bytes.IndexByte(rest, sep)
		if i < 0 {
			continue
		}
		r := app.DayStats{Day: app.Day(binary.BigEndian.Uint32(k)), Field: string(rest[:i]), Procedure: string(rest[i+1:])}
		for j := range r.N {
			r.N[j] = int64(binary.BigEndian.Uint32(v[4*j:]))
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// StatsProcedureNames returns procedure code → name (app.StatsTx).
func (t *tx) StatsProcedureNames() (map[string]string, error) {
	out := map[string]string{}
	err := t.bucket(bStatsNames).ForEach(func(k, v []byte) error {
		out[string(k)] = string(v)
		return nil
	})
	return out, err
}

var _ app.StatsTx = (*tx)(nil)

// rebuildStats recreates the statistics buckets from every stored dossier:
// the migration that introduces them (and a repair). It reads every dossier
// once (~1 s per 100,000).
func rebuildStats(btx *bolt.Tx) error {
	for _, b := range [][]byte{bStatsDay, bStatsFacts, bStatsNames} {
		if btx.Bucket(b) != nil {
			if err := btx.DeleteBucket(b); err != nil {
				return err
			}
		}
		if _, err := btx.CreateBucket(b); err != nil {
			return err
		}
	}
	t := &tx{btx}
	return btx.Bucket(bDossiers).ForEach(func(k, v []byte) error {
		var d app.Dossier
		if err := decode(v, &d); err != nil {
			return err
		}
		return t.updateStats(&d)
	})
}

// RebuildStats recomputes the statistics counters from the dossiers in one
// transaction (a repair; the migration does the same once).
func (db *DB) RebuildStats() error {
	return wrapBolt("storage.RebuildStats", db.bolt.Update(rebuildStats))
}

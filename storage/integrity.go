package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// Tamper evidence (app/seal.go, app/digest.go, app/integrity.go).
//
//	chain_days  day(4, big-endian) code → hex hash of the code's last history entry of that day
//	digests     YYYY-MM-DD → app.DailyDigest (JSON)
//
// AppendHistory keeps chain_days in step in the same transaction, so the
// heads of a day are one cursor range: sealing a day's digest reads only the
// dossiers that changed that day.

var (
	bChainDays = []byte("chain_days")
	bDigests   = []byte("digests")
)

func chainDayKey(day app.Day, code string) []byte {
	k := make([]byte, 4, 4+len(code))
	binary.BigEndian.PutUint32(k, uint32(day)^0x80000000) // sign bit flipped: byte order is day order
	return append(k, code...)
}

func splitChainDayKey(k []byte) (app.Day, string, bool) {
	if len(k) < 5 {
		return 0, "", false
	}
	return app.Day(int32(binary.BigEndian.Uint32(k) ^ 0x80000000)), string(k[4:]), true
}

// putChainHead records e as code's head of e's day.
func (t *tx) putChainHead(code string, e *app.HistoryEntry) error {
	b := t.bucket(bChainDays)
	if b == nil {
		return nil // before migration 4 (only while migrating)
	}
	return b.Put(chainDayKey(app.DayOf(e.At), code), []byte(e.Hash))
}

// ChainHeads implements app.DigestTx.
func (t *tx) ChainHeads(day app.Day, fn func(code, head string) error) error {
	p := chainDayKey(day, "")
	c := t.bucket(bChainDays).Cursor()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if err := fn(string(k[4:]), string(v)); err != nil {
			return err
		}
	}
	return nil
}

// NextChainDay implements app.DigestTx.
func (t *tx) NextChainDay(after app.Day) (app.Day, bool, error) {
	if after == app.Day(1<<31-1) {
		return 0, false, nil
	}
	k, _ := t.bucket(bChainDays).Cursor().Seek(chainDayKey(after+1, ""))
	d, _, ok := splitChainDayKey(k)
	return d, ok, nil
}

// ChainHead implements app.ChainScanTx.
func (t *tx) ChainHead(day app.Day, code string) (string, error) {
	return string(t.bucket(bChainDays).Get(chainDayKey(day, code))), nil
}

// ForEachChainHead implements app.ChainScanTx.
func (t *tx) ForEachChainHead(fn func(day app.Day, code, head string) error) error {
	return t.bucket(bChainDays).ForEach(func(k, v []byte) error {
		day, code, ok := splitChainDayKey(k)
		if !ok {
			return app.E("storage.ForEachChainHead", app.KindOther, fmt.Sprintf("khóa đầu chuỗi hỏng: %q", k))
		}
		return fn(day, code, string(v))
	})
}

// LastDigest implements app.DigestTx.
func (t *tx) LastDigest() (*app.DailyDigest, error) {
	k, v := t.bucket(bDigests).Cursor().Last()
	if k == nil {
		return nil, nil
	}
	var d app.DailyDigest
	if err := decode(v, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// PutDigest implements app.DigestTx.
func (t *tx) PutDigest(d *app.DailyDigest) error {
	if _, ok := app.ParseDay(d.Date); !ok {
		return app.E("PutDigest", app.KindInvalid, app.M(app.MsgInvalidDate, d.Date))
	}
	b := t.bucket(bDigests)
	b.FillPercent = 0.9
	return t.putJSON("PutDigest", bDigests, d.Date, d)
}

// Digests implements app.DigestTx.
func (t *tx) Digests(from, to string, fn func(app.DailyDigest) error) error {
	c := t.bucket(bDigests).Cursor()
	var k, v []byte
	if from == "" {
		k, v = c.First()
	} else {
		k, v = c.Seek([]byte(from))
	}
	for ; k != nil && (to == "" || string(k) <= to); k, v = c.Next() {
		var d app.DailyDigest
		if err := decode(v, &d); err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// ScanChains implements app.ChainScanTx: a merge of the dossiers bucket and
// the history bucket, both in code order (a history key is code 0x00 seq, so
// codes sort the same way in both). The records are decoded by two workers,
// a few chunks ahead of fn, which is called in code order from the caller's
// goroutine (the only one that uses the transaction).
func (t *tx) ScanChains(fn func(code string, d *app.Dossier, es []app.HistoryEntry) error) error {
	const chunkSize = 512
	type item struct {
		code string
		draw []byte   // the dossier record, nil when missing
		hraw [][]byte // the history entries
		d    *app.Dossier
		es   []app.HistoryEntry
		err  error
	}
	type chunk struct {
		items []item
		done  chan struct{}
	}
	// 1. Walk both buckets: raw values stay valid for the transaction.
	var chunks []*chunk
	cur := &chunk{done: make(chan struct{})}
	dc := t.bucket(bDossiers).Cursor()
	hc := t.bucket(bHistory).Cursor()
	dk, dv := dc.First()
	hk, hv := hc.First()
	for dk != nil || hk != nil {
		var hcode string
		if hk != nil {
			c, _, ok := splitHistoryKey(hk)
			if !ok {
				return app.E("storage.ScanChains", app.KindOther, fmt.Sprintf("khóa lịch sử hỏng: %q", hk))
			}
			hcode = c
		}
		it := item{}
		switch {
		case dk == nil:
			it.code = hcode
		case hk == nil:
			it.code = string(dk)
		default:
			it.code = min(string(dk), hcode)
		}
		if dk != nil && string(dk) == it.code {
			it.draw = dv
			dk, dv = dc.Next()
		}
		for hk != nil {
			c, _, ok := splitHistoryKey(hk)
			if !ok || c != it.code {
				break
			}
			it.hraw = append(it.hraw, hv)
			hk, hv = hc.Next()
		}
		cur.items = append(cur.items, it)
		if len(cur.items) == chunkSize {
			chunks = append(chunks, cur)
			cur = &chunk{done: make(chan struct{})}
		}
	}
	if len(cur.items) > 0 {
		chunks = append(chunks, cur)
	}
	// 2. Decode in two workers, at most four chunks ahead of fn.
	stop := make(chan struct{})
	ahead := make(chan struct{}, 4)
	work := make(chan *chunk)
	var wg sync.WaitGroup
	go func() {
		defer close(work)
		for _, c := range chunks {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case work <- c:
			case <-stop:
				return
			}
		}
	}()
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				for i := range c.items {
					it := &c.items[i]
					if it.draw != nil {
						if it.d, it.err = decodeChecked(it.draw); it.err != nil {
							continue
						}
					}
					if len(it.hraw) > 0 {
						it.es = make([]app.HistoryEntry, len(it.hraw))
					}
					for j, raw := range it.hraw {
						if it.err = decode(raw, &it.es[j]); it.err != nil {
							break
						}
					}
				}
				close(c.done)
			}
		}()
	}
	defer wg.Wait()
	defer close(stop)
	// 3. Hand them over in code order.
	for _, c := range chunks {
		<-c.done
		for i := range c.items {
			it := &c.items[i]
			if it.err != nil {
				return it.err
			}
			if err := fn(it.code, it.d, it.es); err != nil {
				return err
			}
		}
		c.items = nil
		<-ahead
	}
	return nil
}

// checkedDossier is the part of a dossier record the integrity check reads:
// what the seal and the statistics counters depend on. Decoding only these
// fields is about twice as fast as the whole record.
type checkedDossier struct {
	Code          string         `json:"code"`
	ProcedureCode string         `json:"procedure_code"`
	ProcedureName string         `json:"procedure_name"`
	Field         string         `json:"field"`
	Channel       app.Channel    `json:"channel"`
	SubmittedAt   time.Time      `json:"submitted_at"`
	ReceivedAt    time.Time      `json:"received_at"`
	DueAt         time.Time      `json:"due_at"`
	OriginalDue   time.Time      `json:"original_due_at"`
	StatsDue      time.Time      `json:"stats_due_at"`
	FinishedAt    time.Time      `json:"finished_at"`
	Outcome       app.Outcome    `json:"outcome"`
	ReturnedAt    time.Time      `json:"returned_at"`
	State         app.State      `json:"state"`
	Status        app.StatusCode `json:"status_code"`
	Handler       struct {
		Username string `json:"username"`
	} `json:"handler"`
	Supplements []app.SupplementRound `json:"supplements"`
	Delays      []app.Delay           `json:"delays"`
	Reference   string                `json:"reference"`
	UpdatedAt   time.Time             `json:"updated_at"`
}

func decodeChecked(raw []byte) (*app.Dossier, error) {
	var c checkedDossier
	if err := decode(raw, &c); err != nil {
		return nil, err
	}
	return &app.Dossier{Code: c.Code, ProcedureCode: c.ProcedureCode, ProcedureName: c.ProcedureName, Field: c.Field,
		Channel: c.Channel, SubmittedAt: c.SubmittedAt, ReceivedAt: c.ReceivedAt, DueAt: c.DueAt, OriginalDue: c.OriginalDue,
		StatsDue: c.StatsDue, FinishedAt: c.FinishedAt, Outcome: c.Outcome, ReturnedAt: c.ReturnedAt, State: c.State,
		Status: c.Status, Handler: app.UserRef{Username: c.Handler.Username}, Supplements: c.Supplements, Delays: c.Delays,
		Reference: c.Reference, UpdatedAt: c.UpdatedAt}, nil
}

var (
	_ app.DigestTx    = (*tx)(nil)
	_ app.ChainScanTx = (*tx)(nil)
)

// SealActor is the "user" of the entries and the audit entry written by the
// sealing migration.
var SealActor = app.UserRef{Username: "hethong", FullName: "Chương trình Một Cửa (nâng cấp dữ liệu)"}

// migrateSeal (schema 4) introduces tamper evidence on an existing file:
// the chain-heads index is built from every history, then every dossier
// whose chain does not yet commit to its current state gets one more history
// entry sealing it (action "seal", state unchanged), and one administration
// log entry says how many were sealed. Days before the migration get their
// digests when the app first seals (app.Service.SealDigests).
func migrateSeal(btx *bolt.Tx) error {
	for _, b := range [][]byte{bChainDays, bDigests} {
		if _, err := btx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	t := &tx{btx}
	now := time.Now().In(app.Vietnam)
	type seal struct {
		code string
		e    app.HistoryEntry
	}
	var seals []seal
	err := t.ScanChains(func(code string, d *app.Dossier, es []app.HistoryEntry) error {
		for i := range es {
			if err := t.putChainHead(code, &es[i]); err != nil {
				return err
			}
		}
		if d == nil {
			return nil
		}
		want := app.SealState(d)
		if n := len(es); n > 0 && es[n-1].Seal == want {
			return nil
		}
		e := app.HistoryEntry{Seq: len(es) + 1, At: now, User: SealActor, Action: app.ActSeal, From: d.State, To: d.State,
			Note: "Niêm phong trạng thái hồ sơ vào chuỗi lịch sử khi nâng cấp dữ liệu", Seal: want}
		if n := len(es); n > 0 {
			e.PrevHash = es[n-1].Hash
		}
		e.Hash = app.HashEntry(e)
		seals = append(seals, seal{code, e})
		return nil
	})
	if err != nil {
		return err
	}
	for _, s := range seals {
		if err := t.AppendHistory(s.code, s.e); err != nil {
			return err
		}
	}
	if len(seals) == 0 {
		return nil
	}
	last, err := t.Audit(-1, 1)
	if err != nil {
		return err
	}
	a := app.AuditEntry{Seq: 1, At: now, User: SealActor, Action: "integrity.seal", Target: fmt.Sprintf("lược đồ %d", 4),
		Note: fmt.Sprintf("Niêm phong trạng thái hiện tại của %d hồ sơ vào chuỗi lịch sử (nâng cấp dữ liệu: chuỗi lịch sử từ nay cam kết cả trạng thái hồ sơ)", len(seals))}
	if len(last) == 1 {
		a.Seq, a.PrevHash = last[0].Seq+1, last[0].Hash
	}
	a.Hash = app.HashAudit(a)
	return t.AppendAudit(a)
}

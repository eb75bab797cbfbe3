package client_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"motcua/app"
)

// arrivals records when each dossier's incoming transfer was committed at
// the recipient: a Store wrapper whose transactions note PutIncoming.
type arrivals struct {
	app.Store
	mu sync.Mutex
	at map[string]time.Time // sender's dossier code → commit time
}

type arrivalTx struct {
	app.Tx
	codes *[]string
}

func (t arrivalTx) PutIncoming(in *app.IncomingTransfer) error {
	if err := t.Tx.PutIncoming(in); err != nil {
		return err
	}
	*t.codes = append(*t.codes, in.Dossier.Code)
	return nil
}

func (a *arrivals) Update(fn func(app.Tx) error) error {
	var codes []string
	err := a.Store.Update(func(tx app.Tx) error { codes = codes[:0]; return fn(arrivalTx{tx, &codes}) })
	if err == nil && len(codes) > 0 {
		now := time.Now()
		a.mu.Lock()
		for _, c := range codes {
			if _, ok := a.at[c]; !ok {
				a.at[c] = now
			}
		}
		a.mu.Unlock()
	}
	return err
}

func (a *arrivals) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.at)
}

// BenchmarkTransfers1000 hands 1,000 dossiers from the commune to the
// department through a real hub on loopback (in process, no rate limit,
// fsync on every side) and reports throughput and the p50/p99 latency from
// Service.Transfer returning at the commune to the incoming transfer being
// committed at the department. Run with -benchtime=1x.
func BenchmarkTransfers1000(b *testing.B) {
	for b.Loop() {
		runTransfers(b, 1000)
	}
}

func runTransfers(b *testing.B, n int) {
	b.StopTimer()
	th := newHubDir(b)
	th.startInProcess()
	com := newOffice(b, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
	arr := &arrivals{at: map[string]time.Time{}}
	newOfficeWith(b, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode], func(st app.Store) app.Store { arr.Store = st; return arr })
	codes := make([]string, n)
	for i := range codes {
		d, err := com.svc.Receive(com.rec, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
			Applicant: app.Person{FullName: fmt.Sprintf("Người nộp %d", i), IDType: app.IDCCCD, IDNumber: "038190001234"},
			Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
		if err != nil {
			b.Fatal(err)
		}
		codes[i] = d.Code
	}
	b.StartTimer()
	sent := make(map[string]time.Time, n)
	start := time.Now()
	for _, code := range codes {
		if _, err := com.svc.Transfer(com.rec, code, app.TransferInput{ToAgency: deptCode}); err != nil {
			b.Fatal(err)
		}
		sent[code] = time.Now()
		com.cl.Kick()
	}
	eventually(b, 10*time.Minute, "every transfer to arrive", func() bool { return arr.count() == n })
	total := time.Since(start)
	b.StopTimer()
	lat := make([]time.Duration, 0, n)
	arr.mu.Lock()
	for code, t0 := range sent {
		lat = append(lat, arr.at[code].Sub(t0))
	}
	arr.mu.Unlock()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(float64(n)/total.Seconds(), "transfers/s")
	b.ReportMetric(ms(lat[n/2]), "p50-ms")
	b.ReportMetric(ms(lat[n*99/100]), "p99-ms")
	b.ReportMetric(total.Seconds(), "total-s")
	b.ReportMetric(0, "ns/op")
	b.StartTimer()
}

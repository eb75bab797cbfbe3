package storetest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
)

// Side-by-side benchmarks: the same measurements on every store, over the
// same generated office of BenchN dossiers (MOTCUA_BENCH_N, default 10,000):
//
//	MOTCUA_BENCH_N=100000 go test ./storage ./storage/postgres -run x -bench Stores -benchtime 200x
//
// Latencies are reported as percentiles (p50-ms, p95-ms, p99-ms) beside
// Go's mean ns/op; receipts with 4 desks also report receipts/s in total.

// BenchN is the dataset size.
func BenchN() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// BenchData is the generated dataset (same seed for every store).
var BenchData = sync.OnceValue(func() []app.Dossier { return testgen.Dossiers(BenchN(), 20250115, Agency) })

// BenchBackend is a store under benchmark.
type BenchBackend struct {
	// Open returns the store holding BenchData, set up as an office
	// (SetUpBenchOffice), shared by every benchmark of the run.
	Open func(b *testing.B) app.Store
	// Desk opens another connection to the same store, as a second desk
	// does, and the func that closes it (the same store and a no-op when the
	// store is one process's file).
	Desk func(b *testing.B) (app.Store, func())
}

// SetUpBenchOffice configures the office of a benchmark store (agency,
// admin, receiver, seeded catalogue) so that receipts can be taken.
func SetUpBenchOffice(s app.Store) error {
	svc := app.NewService(s, &app.FixedClock{T: testgen.End})
	admin, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: Agency, Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH QUẢNG NINH", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài"},
	})
	if err != nil {
		return err
	}
	return svc.SaveUser(admin, app.UserInput{Username: "tiepnhan", FullName: "Cán bộ tiếp nhận", Roles: []app.Role{app.RoleReceiver}, Password: "12345678"})
}

// latencies collects per-operation times and reports percentiles.
type latencies []time.Duration

func (l *latencies) time(fn func()) {
	t := time.Now()
	fn()
	*l = append(*l, time.Since(t))
}

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	p := func(q float64) float64 {
		return float64(s[min(len(s)-1, int(q*float64(len(s))))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}

func view(b *testing.B, s app.Store, fn func(app.Tx) error) {
	if err := s.View(fn); err != nil {
		b.Fatal(err)
	}
}

// Bench runs every benchmark of the comparison on bb.
func Bench(b *testing.B, bb BenchBackend) {
	ds := BenchData()
	s := bb.Open(b)
	b.Run("LookupByCode", func(b *testing.B) {
		r := rand.New(rand.NewPCG(1, 2))
		var l latencies
		for b.Loop() {
			code := ds[r.IntN(len(ds))].Code
			l.time(func() {
				view(b, s, func(tx app.Tx) error { _, err := tx.Dossier(code); return err })
			})
		}
		l.report(b)
	})
	b.Run("NameSearchNoDiacritics", func(b *testing.B) {
		r := rand.New(rand.NewPCG(3, 4))
		var l latencies
		for b.Loop() {
			// "nguyen van" + the first letters of a given name: a screen's search as typed.
			w := app.Words(ds[r.IntN(len(ds))].Applicant.FullName)
			text := strings.Join(w[:len(w)-1], " ") + " " + w[len(w)-1][:min(2, len(w[len(w)-1]))]
			l.time(func() {
				view(b, s, func(tx app.Tx) error { _, err := tx.ListDossiers(app.Query{Text: text}); return err })
			})
		}
		l.report(b)
	})
	b.Run("SearchByPhone", func(b *testing.B) {
		r := rand.New(rand.NewPCG(5, 6))
		var l latencies
		for b.Loop() {
			text := ds[r.IntN(len(ds))].Applicant.Phone
			l.time(func() {
				view(b, s, func(tx app.Tx) error { _, err := tx.ListDossiers(app.Query{Text: text}); return err })
			})
		}
		l.report(b)
	})
	now := testgen.End
	queues := []struct {
		name string
		q    app.Query
	}{
		{"Overdue", app.Query{OpenOnly: true, DueBefore: now}},
		{"DueSoon", app.Query{OpenOnly: true, DueFrom: now, DueBefore: now.AddDate(0, 0, 3)}},
		{"Received", app.Query{States: []app.State{app.StateReceived}}},
		{"Processing", app.Query{States: []app.State{app.StateProcessing}}},
		{"Returned", app.Query{States: []app.State{app.StateReturned}}},
		{"AllNewest", app.Query{}},
		{"ProcedureThisYear", app.Query{ProcedureCode: "2.000815", From: now.AddDate(-1, 0, 0)}},
	}
	b.Run("FirstPageOfEveryQueue", func(b *testing.B) {
		var l latencies
		for b.Loop() {
			l.time(func() {
				view(b, s, func(tx app.Tx) error {
					for _, q := range queues {
						if _, err := tx.ListDossiers(q.q); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
		l.report(b)
		b.ReportMetric(float64(len(queues)), "queues")
	})
	b.Run("CountByState", func(b *testing.B) {
		for b.Loop() {
			view(b, s, func(tx app.Tx) error { _, err := tx.CountByState(); return err })
		}
	})
	b.Run("YearStatistics", func(b *testing.B) {
		svc := app.NewService(s, &app.FixedClock{T: now})
		var l latencies
		for b.Loop() {
			l.time(func() {
				if _, err := svc.Report(app.PeriodYear(2025, 1), app.ByField); err != nil {
					b.Fatal(err)
				}
			})
		}
		l.report(b)
	})
	// Receipts back to back (each desk starts the next as soon as one
	// returns: the store's capacity), and 4 desks paced at 200 receipts/s in
	// all (the goal rate): each receipt is timed from when it was
	// due to start, so one that had to wait for a slow one counts its wait.
	for _, c := range []struct {
		desks int
		every time.Duration // one receipt per desk every …; 0: back to back
	}{{1, 0}, {4, 0}, {4, 20 * time.Millisecond}} {
		desks := c.desks
		name := fmt.Sprintf("Receive%dDesks", desks)
		if c.every > 0 {
			name += fmt.Sprintf("At%dPerSecond", desks*int(time.Second/c.every))
		}
		b.Run(name, func(b *testing.B) {
			var mu sync.Mutex
			var l latencies
			svcs := make([]*app.Service, desks)
			users := make([]*app.User, desks)
			for i := range svcs {
				st := s
				if i > 0 {
					var done func()
					st, done = bb.Desk(b)
					defer done()
				}
				svcs[i] = app.NewService(st, &app.FixedClock{T: now.AddDate(0, 0, 7+desks)})
				u, err := svcs[i].User("tiepnhan")
				if err != nil {
					b.Fatal(err)
				}
				users[i] = u
			}
			in := app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
				Applicant: app.Person{FullName: "Nguyễn Thị Ánh Hằng", IDType: app.IDCCCD, IDNumber: "022190001234", Phone: "0912345678"},
				Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}}
			n := b.N
			start := time.Now()
			b.ResetTimer()
			var wg sync.WaitGroup
			for i := range desks {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var mine latencies
					for k, j := 0, i; j < n; k, j = k+1, j+desks {
						due := time.Now()
						if c.every > 0 {
							due = start.Add(time.Duration(k)*c.every + time.Duration(i)*c.every/time.Duration(desks))
							time.Sleep(time.Until(due))
						}
						if _, err := svcs[i].Receive(users[i], in); err != nil {
							b.Error(err)
						}
						mine = append(mine, time.Since(due))
					}
					mu.Lock()
					l = append(l, mine...)
					mu.Unlock()
				}()
			}
			wg.Wait()
			b.StopTimer()
			l.report(b)
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "receipts/s")
		})
	}
	b.Run("DeskStartToHome", func(b *testing.B) {
		var l latencies
		for b.Loop() {
			l.time(func() {
				st, done := bb.Desk(b)
				defer done()
				svc := app.NewService(st, &app.FixedClock{T: now})
				if ok, err := svc.IsSetUp(); err != nil || !ok {
					b.Fatal("not set up", err)
				}
				if _, err := svc.Counts(); err != nil {
					b.Fatal(err)
				}
				if _, err := svc.Overdue(50); err != nil {
					b.Fatal(err)
				}
				if _, err := svc.DueSoon(50); err != nil {
					b.Fatal(err)
				}
			})
		}
		l.report(b)
	})
}

package app_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
	"motcua/storage"
)

// Service-level benchmarks: what an official waits for, on a dataset of
// MOTCUA_BENCH_N generated dossiers (default 10,000) of one office, built once
// per size by testgen.Dossiers + BulkLoad after Setup, and cached
// under the system temp folder (with a side file of sample codes and names).
// Benchmarks that write use a working copy of it (…-work.db, refreshed once
// per process). scripts/bench.sh runs the whole table at 10k, 100k and 1M.
//
//	MOTCUA_BENCH_N=100000 go test ./app -run '^$' -bench . -benchtime 200x

const (
	benchAgency = "000.00.01.H56"
	benchSeed   = 20250701
	benchGen    = 1 // bump when the dataset recipe changes
)

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// benchNow is "now" in the benchmarks: the first working day after the
// generated data (GenEnd is 1/1/2026, a holiday), so that new codes never
// collide with generated ones and the queues are full.
var benchNow = time.Date(2026, 1, 2, 9, 0, 0, 0, app.Vietnam)

type benchSamples struct {
	Codes []string `json:"codes"`
	Names []string `json:"names"` // search texts without diacritics
}

var (
	benchOnce    sync.Once
	benchPath    string
	benchWork    string
	benchSample  benchSamples
	benchErr     error
	benchWorkErr error
	benchWorkOne sync.Once
)

func benchFile() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("motcua-appbench-%d-g%d-s%d.db", benchN(), benchGen, storage.SchemaVersion()))
}

// buildBenchDataset writes the dataset file and its samples.
func buildBenchDataset(path string, n int) error {
	start := time.Now()
	tmp := path + ".building"
	os.Remove(tmp)
	db, err := storage.Open(tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := app.NewService(db, &app.FixedClock{T: benchNow.Add(-time.Hour)})
	admin, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: benchAgency, Name: "UBND xã Tân Lập", GoverningBody: "UBND tỉnh Thanh Hóa", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài"},
	})
	if err != nil {
		return err
	}
	if err := svc.SaveUser(admin, app.UserInput{Username: "tiepnhan", FullName: "Trần Thị Mai", Roles: []app.Role{app.RoleReceiver}, Password: "12345678"}); err != nil {
		return err
	}
	ds := testgen.Dossiers(n, benchSeed, benchAgency)
	if err := db.BulkLoad(ds, 5000); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(benchSeed, 1))
	var s benchSamples
	for range 2000 {
		d := &ds[r.IntN(len(ds))]
		s.Codes = append(s.Codes, d.Code)
		w := strings.Fields(app.Fold(d.Applicant.FullName))
		switch len(s.Names) % 4 {
		case 0: // the whole name
			s.Names = append(s.Names, strings.Join(w, " "))
		case 1: // family and given name
			s.Names = append(s.Names, w[0]+" "+w[len(w)-1])
		case 2: // middle and given name
			s.Names = append(s.Names, strings.Join(w[1:], " "))
		case 3: // family, middle and the start of the given name, as typed
			g := w[len(w)-1]
			s.Names = append(s.Names, strings.Join(w[:len(w)-1], " ")+" "+g[:min(2, len(g))])
		}
	}
	ds = nil
	raw, _ := json.Marshal(s)
	if err := os.WriteFile(path+".json", raw, 0o600); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	fi, _ := os.Stat(path)
	fmt.Fprintf(os.Stderr, "built %s: %d dossiers, %.0f MB, in %v\n", path, n, float64(fi.Size())/1e6, time.Since(start).Round(time.Second))
	return nil
}

// benchDataset returns the cached dataset, building it when missing.
func benchDataset(tb testing.TB) (string, benchSamples) {
	tb.Helper()
	benchOnce.Do(func() {
		benchPath = benchFile()
		if _, err := os.Stat(benchPath); err != nil {
			if benchErr = buildBenchDataset(benchPath, benchN()); benchErr != nil {
				return
			}
		}
		raw, err := os.ReadFile(benchPath + ".json")
		if err != nil {
			benchErr = err
			return
		}
		benchErr = json.Unmarshal(raw, &benchSample)
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchPath, benchSample
}

// TestBuildBenchDataset builds the dataset ahead of the benchmarks, so that
// the memory benchmark's process never held the generated dossiers
// (scripts/bench.sh). Skipped unless MOTCUA_BENCH_BUILD=1.
func TestBuildBenchDataset(t *testing.T) {
	if os.Getenv("MOTCUA_BENCH_BUILD") != "1" {
		t.Skip("set MOTCUA_BENCH_BUILD=1")
	}
	benchDataset(t)
}

// workCopy copies the dataset to …-work.db once per process: the file the
// benchmarks open read-write.
func workCopy(b *testing.B) string {
	b.Helper()
	path, _ := benchDataset(b)
	benchWorkOne.Do(func() {
		benchWork = strings.TrimSuffix(path, ".db") + "-work.db"
		src, err := os.Open(path)
		if err != nil {
			benchWorkErr = err
			return
		}
		defer src.Close()
		dst, err := os.Create(benchWork)
		if err != nil {
			benchWorkErr = err
			return
		}
		if _, err := io.Copy(dst, src); err != nil {
			benchWorkErr = err
		}
		if err := dst.Close(); err != nil && benchWorkErr == nil {
			benchWorkErr = err
		}
	})
	if benchWorkErr != nil {
		b.Fatal(benchWorkErr)
	}
	return benchWork
}

// benchService opens the dataset with a service at benchNow: read-only, or
// the working copy read-write for the benchmarks that write.
func benchService(b *testing.B, write bool) (*storage.DB, *app.Service, *app.FixedClock, benchSamples) {
	b.Helper()
	path, s := benchDataset(b)
	opts := []storage.Option{storage.WithTimeout(5 * time.Second)}
	if write {
		path = workCopy(b)
	} else {
		opts = append(opts, storage.ReadOnly())
	}
	db, err := storage.Open(path, opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	clk := &app.FixedClock{T: benchNow}
	return db, app.NewService(db, clk), clk, s
}

// latencies records one duration per operation and reports percentiles.
type latencies []time.Duration

func (l latencies) report(b *testing.B, unit string, ps ...float64) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	div := float64(time.Millisecond)
	if unit == "µs" {
		div = float64(time.Microsecond)
	}
	for _, p := range ps {
		i := min(len(s)-1, int(float64(len(s))*p/100))
		b.ReportMetric(float64(s[i])/div, fmt.Sprintf("p%g-%s", p, unit))
	}
}

func timed(l *latencies, fn func()) {
	t := time.Now()
	fn()
	*l = append(*l, time.Since(t))
}

func benchReceiveInput(p app.Procedure, i int) app.ReceiveInput {
	in := app.ReceiveInput{ProcedureCode: p.Code, Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: []string{"Nguyễn Thị Ánh Hằng", "Trần Văn Dũng", "Lê Hoàng Phúc", "Phạm Thu Trang"}[i%4],
			IDType: app.IDCCCD, IDNumber: fmt.Sprintf("0381%08d", i%100000000), Phone: fmt.Sprintf("091%07d", i%10000000), Address: "Thôn Đông, xã Tân Lập"}}
	for _, d := range p.Documents {
		if d.Required {
			in.Documents = append(in.Documents, app.SubmittedDocument{Name: d.Name, Originals: 1})
		}
	}
	return in
}

// BenchmarkReceive is a receipt at the counter through the use case: code,
// appointment date, register row, every index and counter, the history
// entry, one fsync'd transaction.
func BenchmarkReceive(b *testing.B) {
	_, svc, clk, _ := benchService(b, true)
	rec, err := svc.User("tiepnhan")
	if err != nil {
		b.Fatal(err)
	}
	ps, err := svc.Procedures()
	if err != nil {
		b.Fatal(err)
	}
	var l latencies
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clk.Advance(3 * time.Second)
		in := benchReceiveInput(ps[i%len(ps)], i)
		timed(&l, func() {
			if _, err := svc.Receive(rec, in); err != nil {
				b.Fatal(err)
			}
		})
	}
	l.report(b, "ms", 50, 99)
}

// BenchmarkLookupByCode opens a dossier by its code (with its history).
func BenchmarkLookupByCode(b *testing.B) {
	_, svc, _, s := benchService(b, false)
	var l latencies
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code := s.Codes[i%len(s.Codes)]
		timed(&l, func() {
			if _, err := svc.Dossier(code); err != nil {
				b.Fatal(err)
			}
		})
	}
	l.report(b, "µs", 50, 99)
}

// BenchmarkNameSearch is the first page (50) of a search by name typed
// without diacritics: whole names, family + given, middle + given, and a
// half-typed given name.
func BenchmarkNameSearch(b *testing.B) {
	_, svc, _, s := benchService(b, false)
	var l latencies
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := app.Query{Text: s.Names[i%len(s.Names)], Limit: 50}
		timed(&l, func() {
			p, err := svc.List(q)
			if err != nil || len(p.Items) == 0 {
				b.Fatalf("%q: %d rows, %v", q.Text, len(p.Items), err)
			}
		})
	}
	l.report(b, "ms", 50, 95, 99)
}

// BenchmarkQueue is the first page (50) of each work queue.
func BenchmarkQueue(b *testing.B) {
	_, svc, _, _ := benchService(b, false)
	for _, c := range []struct {
		name string
		fn   func() (int, error)
	}{
		{"overdue", func() (int, error) { r, err := svc.Overdue(50); return len(r), err }},
		{"due-soon", func() (int, error) { r, err := svc.DueSoon(50); return len(r), err }},
		{"processing", func() (int, error) {
			p, err := svc.List(app.Query{States: []app.State{app.StateProcessing}, Limit: 50})
			return len(p.Items), err
		}},
		{"supplement", func() (int, error) {
			p, err := svc.List(app.Query{States: []app.State{app.StateSupplement}, Limit: 50})
			return len(p.Items), err
		}},
		{"open", func() (int, error) {
			p, err := svc.List(app.Query{OpenOnly: true, Limit: 50})
			return len(p.Items), err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var l latencies
			for i := 0; i < b.N; i++ {
				timed(&l, func() {
					if n, err := c.fn(); err != nil || n == 0 {
						b.Fatalf("%d rows, %v", n, err)
					}
				})
			}
			l.report(b, "ms", 99)
		})
	}
}

// BenchmarkStatistics is the periodic report by procedure, from the counters.
func BenchmarkStatistics(b *testing.B) {
	_, svc, _, _ := benchService(b, false)
	for _, c := range []struct {
		name string
		p    app.Period
	}{
		{"quarter", app.PeriodQuarter(2025, 4, 15)},
		{"year", app.PeriodYear(2025, 15)},
	} {
		b.Run(c.name, func(b *testing.B) {
			var l latencies
			for i := 0; i < b.N; i++ {
				timed(&l, func() {
					rep, err := svc.Report(c.p, app.ByProcedure)
					if err != nil || rep.Total.Received() == 0 {
						b.Fatalf("%+v, %v", rep, err)
					}
				})
			}
			l.report(b, "ms", 99)
		})
	}
}

// home is what the home screen loads: counts per state, the first 20 of the
// overdue and due-soon queues, and the weekly chart.
func home(b *testing.B, svc *app.Service) {
	if _, err := svc.Counts(); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Overdue(20); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.DueSoon(20); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Weekly(12); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOpenHome opens the database read-write (as the program does at
// start, schema check included) and loads the home screen.
func BenchmarkOpenHome(b *testing.B) {
	path := workCopy(b)
	var l latencies
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		timed(&l, func() {
			db, err := storage.Open(path, storage.WithTimeout(5*time.Second))
			if err != nil {
				b.Fatal(err)
			}
			home(b, app.NewService(db, &app.FixedClock{T: benchNow}))
			db.Close()
		})
	}
	l.report(b, "ms", 99)
}

// BenchmarkBoltFloor is bare bbolt under the same file: a Get of a dossier's
// bytes, and a Put of those bytes with an fsync'd commit (no index, no JSON).
func BenchmarkBoltFloor(b *testing.B) {
	db, _, _, s := benchService(b, true)
	raw, err := db.RawGet([]byte("dossiers"), []byte(s.Codes[0]))
	if err != nil || raw == nil {
		b.Fatalf("%v", err)
	}
	b.Run("get", func(b *testing.B) {
		var l latencies
		for i := 0; i < b.N; i++ {
			code := []byte(s.Codes[i%len(s.Codes)])
			timed(&l, func() {
				if v, err := db.RawGet([]byte("dossiers"), code); err != nil || v == nil {
					b.Fatal("missing")
				}
			})
		}
		l.report(b, "µs", 99)
	})
	b.Run("put-commit", func(b *testing.B) {
		var l latencies
		for i := 0; i < b.N; i++ {
			key := []byte(fmt.Sprintf("floor-%d-%d", time.Now().UnixNano(), i))
			timed(&l, func() {
				if err := db.RawPut([]byte("bench_floor"), key, raw); err != nil {
					b.Fatal(err)
				}
			})
		}
		l.report(b, "ms", 50, 99)
	})
}

// procStatus reads a field of /proc/self/status in MB (0 where there is none).
func procStatus(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkMemory runs a working session (open, home, a year's report,
// searches, lookups, receipts) and reports the Go heap in use at its peak,
// the process's anonymous memory (what the program itself holds), its peak
// resident memory (VmHWM) and the resident memory after each phase. Resident
// memory also counts the file pages bbolt's read-only memory map has touched:
// those are the kernel's page cache, shared and reclaimable, and Linux maps
// them 64 KB around each fault (fault-around), so a walk over scattered rows
// shows up as far more "memory" than it reads. Run it in a process of its own
// (scripts/bench.sh) so that nothing else is counted.
func BenchmarkMemory(b *testing.B) {
	path := workCopy(b)
	_, s := benchDataset(b)
	var peak uint64
	rss := map[string]float64{} // VmRSS after each phase: which one maps file pages in
	phase := func(name string) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
		rss[name] = procStatus("VmRSS")
	}
	for i := 0; i < b.N; i++ {
		db, err := storage.Open(path, storage.WithTimeout(5*time.Second))
		if err != nil {
			b.Fatal(err)
		}
		clk := &app.FixedClock{T: benchNow}
		svc := app.NewService(db, clk)
		phase("0-open")
		home(b, svc)
		phase("1-home")
		for _, p := range []app.Period{app.PeriodYear(2025, 15), app.PeriodQuarter(2025, 4, 15)} {
			if _, err := svc.Report(p, app.ByProcedure); err != nil {
				b.Fatal(err)
			}
		}
		phase("2-stats")
		for k := range 200 {
			if _, err := svc.List(app.Query{Text: s.Names[k], Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
		phase("3-search")
		for k := range 200 {
			if _, err := svc.Dossier(s.Codes[k]); err != nil {
				b.Fatal(err)
			}
		}
		phase("4-lookup")
		rec, _ := svc.User("tiepnhan")
		ps, _ := svc.Procedures()
		for k := range 20 {
			clk.Advance(time.Minute)
			if _, err := svc.Receive(rec, benchReceiveInput(ps[k%len(ps)], k)); err != nil {
				b.Fatal(err)
			}
		}
		phase("5-receive")
		db.Close()
	}
	for name, v := range rss {
		b.ReportMetric(v, "rss-"+name+"-MB")
	}
	b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
	b.ReportMetric(procStatus("VmHWM"), "hwm-MB")
	b.ReportMetric(procStatus("RssAnon"), "anon-MB")
}

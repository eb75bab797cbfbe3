package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
	"motcua/internal/testgen"
)

// The integrity check on MOTCUA_BENCH_N generated dossiers, each with a
// realistic sealed history (4–7 entries as its state implies), cached like
// the other datasets:
//
//	MOTCUA_BENCH_N=100000 go test ./storage -run '^$' -bench Integrity -benchtime 1x

// withHistory gives each generated dossier the chain its state implies, the
// last entry sealing its state.
func withHistory(ds []app.Dossier) {
	clerk := app.UserRef{Username: "tiepnhan", FullName: "Nguyễn Thị Hằng"}
	for i := range ds {
		d := &ds[i]
		at := d.ReceivedAt
		seal := app.SealState(d)
		var es []app.HistoryEntry
		add := func(a app.Action, from, to app.State, t time.Time) {
			if t.Before(at) {
				t = at
			}
			at = t
			e := app.HistoryEntry{Seq: len(es) + 1, At: t, User: clerk, Action: a, From: from, To: to, Note: a.Label(), Seal: seal}
			if n := len(es); n > 0 {
				e.PrevHash = es[n-1].Hash
			}
			e.Hash = app.HashEntry(e)
			es = append(es, e)
		}
		add(app.ActReceive, "", app.StateReceived, d.ReceivedAt)
		switch s := d.State; {
		case s == app.StateSubmitted || s == app.StateRefused || s == app.StateReceived:
			es[0].To = s
			es[0].Hash = app.HashEntry(es[0])
		default:
			add(app.ActHandover, app.StateReceived, app.StateProcessing, at.Add(time.Hour))
			if s.Finished() {
				add(app.ActSubmitApproval, app.StateProcessing, app.StateAwaitingApproval, at.Add(2*time.Hour))
				add(app.ActApprove, app.StateAwaitingApproval, app.StateApproved, at.Add(3*time.Hour))
				add(app.ActRecordResult, app.StateApproved, app.StateResolved, d.FinishedAt)
				if s == app.StateReturned {
					add(app.ActReturn, app.StateResolved, app.StateReturned, d.ReturnedAt)
				}
			} else if s != app.StateProcessing {
				add(app.ActNote, app.StateProcessing, s, at.Add(time.Hour))
			}
		}
		d.History = es
	}
}

func integrityDataset(b *testing.B) string {
	b.Helper()
	n := benchN()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("motcua-bench-integrity-%d-g%d-s%d.db", n, benchGen, SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	start := time.Now()
	tmp := path + ".building"
	os.Remove(tmp)
	db, err := Open(tmp, withNoSync())
	if err != nil {
		b.Fatal(err)
	}
	ds := testgen.Dossiers(n, benchSeed, testAgency)
	withHistory(ds)
	if err := db.BulkLoad(ds, 2000); err != nil {
		b.Fatal(err)
	}
	svc := app.NewService(db, &app.FixedClock{T: testgen.End.AddDate(0, 0, 1)})
	if _, err := svc.SealDigests(); err != nil {
		b.Fatal(err)
	}
	if err := db.bolt.Sync(); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	fmt.Fprintf(os.Stderr, "built %s: %d dossiers, %.1f MB in %v\n", path, n, float64(fi.Size())/1e6, time.Since(start).Round(time.Millisecond))
	return path
}

// BenchmarkIntegrityFull is the full check (chains, seals, chain heads,
// counters rebuilt, digests recomputed) of the whole dataset.
func BenchmarkIntegrityFull(b *testing.B) {
	db, err := Open(integrityDataset(b), ReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := app.NewService(db, &app.FixedClock{T: testgen.End})
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		calls := 0
		rep, err := svc.CheckIntegrityWith(app.CheckOptions{Full: true, Progress: func(done, total int) { calls++ }})
		if err != nil {
			b.Fatal(err)
		}
		if !rep.OK() || rep.Dossiers != benchN() || calls < benchN()/1000 {
			b.Fatalf("%d dossiers, %d progress calls, breaks %v", rep.Dossiers, calls, rep.Breaks[:min(len(rep.Breaks), 5)])
		}
		b.ReportMetric(float64(rep.Digests), "digests")
		b.ReportMetric(float64(rep.StatsDays), "stat-days")
	}
	// CPU time used, what the wall time would be on an idle machine (the
	// shared CI machine is often loaded several times over).
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the process's user + system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIntegrityQuick is the start-up check (administration log and the
// 200 most recent dossiers).
func BenchmarkIntegrityQuick(b *testing.B) {
	db, err := Open(integrityDataset(b), ReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := app.NewService(db, &app.FixedClock{T: testgen.End})
	b.ResetTimer()
	for b.Loop() {
		rep, err := svc.CheckIntegrity(false)
		if err != nil || !rep.OK() || rep.Dossiers != 200 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}

// BenchmarkMigrateSeal is the one-time migration of an existing file to
// schema 4: MOTCUA_BENCH_N dossiers, each with a one-entry history written
// before seals existed, get their sealing entry and the chain-heads index.
func BenchmarkMigrateSeal(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "legacy.db")
		db, err := Open(path, withNoSync())
		if err != nil {
			b.Fatal(err)
		}
		ds := testgen.Dossiers(benchN(), benchSeed, testAgency)
		withHistory(ds)
		for i := range ds { // as written before schema 4: no seals
			es := ds[i].History
			for j := range es {
				es[j].Seal = ""
				if j > 0 {
					es[j].PrevHash = es[j-1].Hash
				}
				es[j].Hash = app.HashEntry(es[j])
			}
		}
		if err := db.BulkLoad(ds, 2000); err != nil {
			b.Fatal(err)
		}
		if err := db.bolt.Update(func(btx *bolt.Tx) error {
			return btx.Bucket(bMeta).Put(keySchema, u64(3))
		}); err != nil {
			b.Fatal(err)
		}
		db.Close()
		b.StartTimer()
		db, err = Open(path, WithTimeout(5*time.Second))
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		rep, err := app.NewService(db, &app.FixedClock{T: testgen.End}).CheckIntegrityWith(app.CheckOptions{Full: true})
		if err != nil || rep.Dossiers != benchN() {
			b.Fatalf("%+v %v", rep, err)
		}
		for _, br := range rep.Breaks {
			if br.Kind != app.BreakDigest { // the days before the migration are sealed after it: fine
				b.Fatalf("after migration: %v", br)
			}
		}
		db.Close()
		b.StartTimer()
	}
}

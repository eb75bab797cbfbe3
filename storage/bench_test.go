package storage

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
	"motcua/internal/testgen"
)

// The benchmarks run on a dataset of MOTCUA_BENCH_N generated dossiers
// (default 10,000), built once per size into a file under the system temp
// folder and reused by later runs: building 100,000 takes a while.
//
//	go test ./storage -run x -bench . -benchmem
//	MOTCUA_BENCH_N=100000 go test ./storage -run x -bench . -benchmem

const benchSeed = 20250115

// benchGen changes whenever the generator or the layout changes, so that a
// stale cached dataset is never used.
const benchGen = 3

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

var (
	datasetOnce sync.Once
	datasetPath string
	datasetErr  error
)

// dataset returns the path of the cached dataset file (read it, do not write).
func dataset(b *testing.B) string {
	b.Helper()
	datasetOnce.Do(func() {
		n := benchN()
		datasetPath = filepath.Join(os.TempDir(), fmt.Sprintf("motcua-bench-%d-g%d-s%d.db", n, benchGen, SchemaVersion()))
		if _, err := os.Stat(datasetPath); err == nil {
			return
		}
		start := time.Now()
		tmp := datasetPath + ".building"
		os.Remove(tmp)
		db, err := Open(tmp, withNoSync())
		if err != nil {
			datasetErr = err
			return
		}
		if err := db.BulkLoad(testgen.Dossiers(n, benchSeed, testAgency), 2000); err != nil {
			db.Close()
			datasetErr = err
			return
		}
		if err := db.bolt.Sync(); err != nil {
			datasetErr = err
		}
		db.Close()
		if datasetErr == nil {
			datasetErr = os.Rename(tmp, datasetPath)
		}
		fi, _ := os.Stat(datasetPath)
		fmt.Fprintf(os.Stderr, "built %s: %d dossiers, %.1f MB in %v\n", datasetPath, n, float64(fi.Size())/1e6, time.Since(start).Round(time.Millisecond))
	})
	if datasetErr != nil {
		b.Fatal(datasetErr)
	}
	return datasetPath
}

// openDataset opens the cached dataset read-only.
func openDataset(b *testing.B) *DB {
	b.Helper()
	db, err := Open(dataset(b), ReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// copyDataset copies the dataset into b.TempDir() for benchmarks that write.
func copyDataset(b *testing.B) string {
	b.Helper()
	src, err := os.Open(dataset(b))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(b.TempDir(), "motcua.db")
	dst, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	dst.Close()
	return path
}

func allCodes(b *testing.B, db *DB) []string {
	var out []string
	db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bDossiers).ForEach(func(k, _ []byte) error { out = append(out, string(k)); return nil })
	})
	if len(out) == 0 {
		b.Fatal("empty dataset")
	}
	return out
}

func list(b *testing.B, db *DB, q app.Query) app.Page {
	var p app.Page
	if err := db.View(func(tx app.Tx) (err error) { p, err = tx.ListDossiers(q); return }); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkPutDossier inserts one dossier per fsync'd transaction into the
// full dataset, with every index and counter.
func BenchmarkPutDossier(b *testing.B) {
	db, err := Open(copyDataset(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ds := testgen.Dossiers(b.N, 1, "000.00.09.H22")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.Update(func(tx app.Tx) error { return tx.PutDossier(&ds[i]) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateDossier replaces a dossier (new state): old index keys out,
// new ones in, counters moved, one fsync'd transaction each.
func BenchmarkUpdateDossier(b *testing.B) {
	db, err := Open(copyDataset(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	codes := allCodes(b, db)
	r := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code := codes[r.IntN(len(codes))]
		err := db.Update(func(tx app.Tx) error {
			d, err := tx.Dossier(code)
			if err != nil {
				return err
			}
			d.Version++
			if d.State == app.StateProcessing {
				d.State = app.StateSupplement
			} else {
				d.State = app.StateProcessing
			}
			d.Status = d.State.Code()
			return tx.PutDossier(d)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetByCode(b *testing.B) {
	db := openDataset(b)
	codes := allCodes(b, db)
	r := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code := codes[r.IntN(len(codes))]
		if err := db.View(func(tx app.Tx) error { _, err := tx.Dossier(code); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNameSearchNoDiacritics(b *testing.B) {
	db := openDataset(b)
	queries := []string{"nguyen van", "tran thi h", "le minh", "pham", "hoang thu trang", "dang duc", "vo thi", "nguyen thi a"}
	for _, q := range queries { // a search that finds nothing measures nothing
		if len(list(b, db, app.Query{Text: q, Limit: 50}).Items) == 0 {
			b.Fatalf("%q finds nothing", q)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		list(b, db, app.Query{Text: queries[i%len(queries)], Limit: 50})
	}
}

func BenchmarkSearchByPhone(b *testing.B) {
	db := openDataset(b)
	var phones []string
	p := list(b, db, app.Query{Limit: 500})
	for _, it := range p.Items {
		phones = append(phones, it.Phone)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(list(b, db, app.Query{Text: phones[i%len(phones)]}).Items) == 0 {
			b.Fatal("phone not found")
		}
	}
}

func BenchmarkQueueOverdueFirstPage(b *testing.B) {
	db := openDataset(b)
	// As app.Overdue asks: running clocks only (§5.4).
	q := app.Query{OpenOnly: true, States: app.Running(), DueBefore: testgen.End, Sort: app.SortDueAsc, Limit: 50}
	if n := len(list(b, db, q).Items); n == 0 {
		b.Fatal("no overdue dossier")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		list(b, db, q)
	}
}

func BenchmarkListByStateFirstPage(b *testing.B) {
	db := openDataset(b)
	for _, c := range []struct {
		name string
		q    app.Query
	}{
		{"returned", app.Query{States: []app.State{app.StateReturned}, Limit: 50}},
		{"processing", app.Query{States: []app.State{app.StateProcessing}, Limit: 50}},
		{"open", app.Query{OpenOnly: true, Limit: 50}},
		{"procedure+year", app.Query{ProcedureCode: "2.000815", From: testgen.End.AddDate(-1, 0, 0), Limit: 50}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				list(b, db, c.q)
			}
		})
	}
}

func BenchmarkCountByState(b *testing.B) {
	db := openDataset(b)
	for i := 0; i < b.N; i++ {
		db.View(func(tx app.Tx) error { _, err := tx.CountByState(); return err })
	}
}

// BenchmarkOpen opens and closes the dataset: what the program pays at start.
func BenchmarkOpen(b *testing.B) {
	path := dataset(b)
	for i := 0; i < b.N; i++ {
		db, err := Open(path, ReadOnly())
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkBoltGet is the floor under GetByCode: the same bytes fetched from
// bare bbolt, no JSON, no history.
func BenchmarkBoltGet(b *testing.B) {
	db := openDataset(b)
	codes := allCodes(b, db)
	r := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code := []byte(codes[r.IntN(len(codes))])
		db.bolt.View(func(tx *bolt.Tx) error {
			if tx.Bucket(bDossiers).Get(code) == nil {
				b.Fatal("missing")
			}
			return nil
		})
	}
}

// BenchmarkBoltPutCommit is the floor under PutDossier: the same dossier
// bytes put in one bucket, one fsync'd commit each, no index.
func BenchmarkBoltPutCommit(b *testing.B) {
	db, err := Open(copyDataset(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ds := testgen.Dossiers(b.N, 1, "000.00.09.H22")
	raws := make([][]byte, len(ds))
	for i := range ds {
		raws[i], _ = encode(&ds[i])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bDossiers).Put([]byte(ds[i].Code), raws[i])
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBulkLoad1000(b *testing.B) {
	ds := testgen.Dossiers(1000, 5, testAgency)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openTemp(b)
		b.StartTimer()
		if err := db.BulkLoad(ds, 1000); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

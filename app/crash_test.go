package app_test

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"motcua/app"
	"motcua/storage"
)

// TestConcurrentReceiptsGiveDistinctGaplessCodes: 8 desks × 500 receipts on
// the same day get 4,000 distinct codes numbered 0001…4000 without a gap.
func TestConcurrentReceiptsGiveDistinctGaplessCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("4,000 fsync'd receipts")
	}
	o := newOffice(t)
	const desks, each = 8, 500
	codes := make(chan string, desks*each)
	var wg sync.WaitGroup
	errs := make(chan error, desks)
	for i := 0; i < desks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				d, err := o.svc.Receive(o.rec, receiptInput("1.004873"))
				if err != nil {
					errs <- err
					return
				}
				codes <- d.Code
			}
		}()
	}
	wg.Wait()
	close(codes)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for c := range codes {
		if seen[c] {
			t.Fatalf("duplicate code %s", c)
		}
		seen[c] = true
	}
	for n := 1; n <= desks*each; n++ {
		if c := app.DossierCode("000.00.01.H22", o.clk.T, n); !seen[c] {
			t.Fatalf("gap: %s missing", c)
		}
	}
}

const crashChildEnv = "MOTCUA_CRASH_CHILD"

// crashChild is the child process: it writes receipts, hand-overs and
// (through a transferred dossier) outbox items as fast as it can and prints
// each acknowledged write, until it is killed.
func crashChild(path string) {
	db, err := storage.Open(path)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	svc := app.NewService(db, app.SystemClock{})
	rec, _ := svc.User("tiepnhan")
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		d, err := svc.Receive(rec, receiptInput("1.004873"))
		if err != nil {
			fmt.Fprintln(w, "ERR", err)
			w.Flush()
			os.Exit(4)
		}
		fmt.Fprintln(w, "R", d.Code)
		w.Flush()
		switch i % 3 {
		case 1:
			if _, err := svc.Handover(rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
				fmt.Fprintln(w, "ERR", err)
				w.Flush()
				os.Exit(5)
			}
			fmt.Fprintln(w, "H", d.Code)
			w.Flush()
		case 2: // the transfer and its outbox item are one write
			if _, err := svc.Transfer(rec, d.Code, app.TransferInput{ToAgency: "000.00.00.H56", ToName: "Sở Tư pháp", Purpose: "process"}); err != nil {
				fmt.Fprintln(w, "ERR", err)
				w.Flush()
				os.Exit(6)
			}
			fmt.Fprintln(w, "T", d.Code)
			w.Flush()
		}
	}
}

func TestMain(m *testing.M) {
	if p := os.Getenv(crashChildEnv); p != "" {
		crashChild(p)
		return
	}
	os.Exit(m.Run())
}

// TestKilledMidWriteLosesNothing runs receipts and hand-overs in a child
// process and kills it with SIGKILL at random moments, many times: the
// database always opens, every acknowledged write is there, codes are unique
// and every history chain verifies.
func TestKilledMidWriteLosesNothing(t *testing.T) {
	rounds := 50
	if testing.Short() {
		rounds = 5
	}
	o := newOffice(t) // creates users and catalogue
	path := o.db.Path()
	o.db.Close()
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	acked := map[string]string{} // code → last acknowledged step (R or H)
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		target := 1 + r.Intn(30)
		n := 0
		for n < target && sc.Scan() {
			f := strings.Fields(sc.Text())
			if f[0] == "ERR" {
				t.Fatalf("child: %s", sc.Text())
			}
			acked[f[1]] = f[0]
			n++
		}
		// Kill at a random moment after the target: the child is mid-write.
		time.Sleep(time.Duration(r.Intn(3000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() { // lines printed before death were acknowledged too
			if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] != "ERR" {
				acked[f[1]] = f[0]
			}
		}
		cmd.Wait()
	}
	db, err := storage.Open(path)
	if err != nil {
		t.Fatalf("database does not open after %d kills: %v", rounds, err)
	}
	defer db.Close()
	svc := app.NewService(db, app.SystemClock{})
	transfers := 0
	for code, step := range acked {
		d, err := svc.Dossier(code)
		if err != nil {
			t.Fatalf("acknowledged dossier %s lost: %v", code, err)
		}
		if step == "H" && d.State != app.StateProcessing {
			t.Errorf("%s: acknowledged hand-over lost (state %s)", code, d.State)
		}
		if step == "T" {
			transfers++
			if d.State != app.StateTransferred || len(d.Transfers) != 1 {
				t.Errorf("%s: acknowledged transfer lost (state %s)", code, d.State)
			}
		}
	}
	// Every transferred dossier has exactly one outbox item, and nothing else does.
	var items []app.OutboxItem
	if err := db.View(func(tx app.Tx) (err error) { items, err = tx.OutboxItems(100000); return }); err != nil {
		t.Fatal(err)
	}
	queues := map[string]int{}
	for _, it := range items {
		queues[it.Queue]++
	}
	if n, _ := svc.Counts(); len(queues) != n[app.StateTransferred] || len(items) != len(queues) || transfers > len(items) {
		t.Errorf("%d outbox items in %d queues for %d transferred dossiers (%d acknowledged)", len(items), len(queues), n[app.StateTransferred], transfers)
	}
	n := 0
	err = db.ForEachHistory(func(code string, es []app.HistoryEntry) error {
		n++
		if b := app.VerifyHistory(code, es); b != nil {
			t.Errorf("chain broken: %v", b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	counts, _ := svc.Counts()
	if total := counts[app.StateReceived] + counts[app.StateProcessing] + counts[app.StateTransferred]; total != n || n < len(acked) {
		t.Errorf("%d dossiers counted, %d histories, %d acknowledged", total, n, len(acked))
	}
	t.Logf("%d kills, %d acknowledged dossiers (%d transferred), all intact", rounds, len(acked), transfers)
}

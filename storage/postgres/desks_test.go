package postgres_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/storage/postgres"
)

// Several desks on one database: each desk is its own connection pool (and,
// in TestReceiptsFromThreeProcesses, its own OS process), as two PCs are.

var deskDay = time.Date(2025, 4, 28, 9, 0, 0, 0, app.Vietnam)

// openDSN opens one desk's connection to dsn.
func openDSN(t testing.TB, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// setUpOffice configures the office with two of each role.
func setUpOffice(t testing.TB, db app.Store) {
	t.Helper()
	svc := app.NewService(db, &app.FixedClock{T: deskDay})
	admin, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.01.H22", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH QUẢNG NINH", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		role app.Role
	}{{"tiepnhan", app.RoleReceiver}, {"tiepnhan2", app.RoleReceiver}, {"chuyenvien", app.RoleSpecialist},
		{"chuyenvien2", app.RoleSpecialist}, {"lanhdao", app.RoleLeader}, {"lanhdao2", app.RoleLeader}} {
		err := svc.SaveUser(admin, app.UserInput{Username: u.name, FullName: "Cán bộ " + u.name, Unit: "Tư pháp - Hộ tịch",
			Roles: []app.Role{u.role}, Password: "12345678"})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func user(t testing.TB, svc *app.Service, name string) *app.User {
	t.Helper()
	u, err := svc.User(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func receiptInput(name string) app.ReceiveInput {
	return app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: name, IDType: app.IDCCCD, IDNumber: "022190001234", Phone: "0912 345 678",
			Address: "Thôn Đông, xã Tân Lập"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}}
}

// allDossiers lists every dossier (a test-only full walk).
func allDossiers(t testing.TB, db app.Store) []app.DossierSummary {
	t.Helper()
	var out []app.DossierSummary
	q := app.Query{Limit: 500}
	for {
		var p app.Page
		if err := db.View(func(tx app.Tx) (err error) { p, err = tx.ListDossiers(q); return }); err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out
		}
		q.After = p.Next
	}
}

// checkCodes asserts that the day's codes are exactly 1..n and the register
// rows of the dossiers are n distinct numbers 1..n.
func checkCodes(t *testing.T, db app.Store, n int) {
	t.Helper()
	rows := allDossiers(t, db)
	if len(rows) != n {
		t.Fatalf("%d dossiers, want %d", len(rows), n)
	}
	var seqs, reg []int
	err := db.View(func(tx app.Tx) error {
		for _, r := range rows {
			i := strings.LastIndexByte(r.Code, '-')
			s, _ := strconv.Atoi(r.Code[i+1:])
			seqs = append(seqs, s)
			d, err := tx.Dossier(r.Code)
			if err != nil {
				return err
			}
			reg = append(reg, d.RegisterRow)
			if len(d.History) != 1 || app.VerifyHistory(d.Code, d.History) != nil {
				t.Errorf("%s: history %+v", d.Code, d.History)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(seqs)
	slices.Sort(reg)
	for i := range n {
		if seqs[i] != i+1 || reg[i] != i+1 {
			t.Fatalf("code numbers or register rows are not 1..%d: at %d code %d row %d", n, i, seqs[i], reg[i])
		}
	}
}

// TestReceiptsFromThreeProcesses: three OS processes (this test binary run
// again as TestReceiptsChild) receive 300 dossiers each at the same time
// into one database: 900 distinct codes, gapless for the day, 900 distinct
// register rows.
func TestReceiptsFromThreeProcesses(t *testing.T) {
	if os.Getenv(pgtest.EnvDSN) != "" {
		t.Skip("child")
	}
	dsn := pgtest.DSN(t)
	db := openDSN(t, dsn)
	setUpOffice(t, db)
	const procs, each = 3, 300
	start := time.Now()
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for i := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReceiptsChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), pgtest.EnvDSN+"="+dsn, "MOTCUA_DESK="+strconv.Itoa(i), "MOTCUA_DESK_N="+strconv.Itoa(each))
		out := new(strings.Builder)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("desk %d: %v\n%s", i, err, outs[i])
		}
		if !strings.Contains(outs[i].String(), fmt.Sprintf("desk %d received %d", i, each)) {
			t.Fatalf("desk %d did not report its receipts:\n%s", i, outs[i])
		}
	}
	el := time.Since(start)
	t.Logf("%d processes × %d receipts in %v: %.0f receipts/s", procs, each, el, float64(procs*each)/el.Seconds())
	checkCodes(t, db, procs*each)
	db.View(func(tx app.Tx) error {
		c, _ := tx.CountByState()
		if c[app.StateReceived] != procs*each {
			t.Errorf("CountByState = %v", c)
		}
		return nil
	})
}

// TestReceiptsChild is one desk of TestReceiptsFromThreeProcesses.
func TestReceiptsChild(t *testing.T) {
	desk := os.Getenv("MOTCUA_DESK")
	if desk == "" {
		t.Skip("run by TestReceiptsFromThreeProcesses")
	}
	n, _ := strconv.Atoi(os.Getenv("MOTCUA_DESK_N"))
	db := openDSN(t, pgtest.DSN(t))
	clk := &app.FixedClock{T: deskDay}
	svc := app.NewService(db, clk)
	rec := user(t, svc, "tiepnhan")
	for i := range n {
		if _, err := svc.Receive(rec, receiptInput(fmt.Sprintf("Nguyễn Văn Bàn %s %d", desk, i))); err != nil {
			t.Fatalf("receipt %d: %v", i, err)
		}
	}
	fmt.Printf("desk %s received %d\n", desk, n)
}

// gate holds a use case right after it has read the dossier, until the
// other desk has read it too: the two desks then act on the same version,
// which is the collision this test is about. It wraps the real store.
type gate struct {
	app.Store
	arrive func()
}

func (g gate) Update(fn func(app.Tx) error) error {
	return g.Store.Update(func(tx app.Tx) error { return fn(gatedTx{tx, g.arrive}) })
}

type gatedTx struct {
	app.Tx
	arrive func()
}

func (t gatedTx) Dossier(code string) (*app.Dossier, error) {
	d, err := t.Tx.Dossier(code)
	t.arrive()
	return d, err
}

// barrier returns an arrive func for n parties: each call waits until n
// calls were made (or a second passed: a retried or lone use case goes on).
func barrier(n int) func() {
	var mu sync.Mutex
	count := 0
	all := make(chan struct{})
	return func() {
		mu.Lock()
		count++
		if count == n {
			close(all)
		}
		mu.Unlock()
		select {
		case <-all:
		case <-time.After(time.Second):
		}
	}
}

// TestTwoDesksSameDossier: two desks (two connection pools, two services)
// act on the same dossier at the same moment. One wins; the other gets
// KindConflict with "Hồ sơ vừa được cập nhật ở máy khác"; the winner's
// change is stored once, the loser's not at all.
func TestTwoDesksSameDossier(t *testing.T) {
	type action func(svc *app.Service, code string) (*app.Dossier, error)
	dsn := pgtest.DSN(t)
	setUpOffice(t, openDSN(t, dsn))
	deskA, deskB := openDSN(t, dsn), openDSN(t, dsn)
	clk := &app.FixedClock{T: deskDay}
	prep := app.NewService(deskA, clk)
	as := func(name string, f func(*app.Service, *app.User, string) (*app.Dossier, error)) action {
		return func(svc *app.Service, code string) (*app.Dossier, error) { return f(svc, user(t, svc, name), code) }
	}
	handover := as("tiepnhan", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.Handover(u, c, app.HandoverInput{ToUser: "chuyenvien2", Note: "Chuyển chuyên viên khác"})
	})
	supplement := as("chuyenvien", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.RequestSupplement(u, c, app.SupplementInput{Items: []string{"Bản sao giấy khai sinh"}, Reason: "Thiếu giấy tờ"})
	})
	approve := as("lanhdao", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.Approve(u, c, "Đồng ý")
	})
	sendBack := as("lanhdao2", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.SendBack(u, c, "Xác minh thêm")
	})
	result := as("chuyenvien", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.RecordResult(u, c, app.ResultInput{Kind: "Giấy xác nhận", Number: "12/2025/XN", Date: "2025-04-28", Signer: "Phạm Quốc Việt"})
	})
	withdraw := as("tiepnhan2", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.Withdraw(u, c, "Công dân xin rút hồ sơ")
	})
	ret := as("tiepnhan", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.Return(u, c, app.ReturnInput{Method: app.ReturnInPerson, To: "Nguyễn Thị Ánh Hằng", ToID: "022190001234"})
	})

	// Bring a fresh dossier to the state where the pair collides.
	toProcessing := []action{as("tiepnhan", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.Handover(u, c, app.HandoverInput{ToUser: "chuyenvien"})
	})}
	toAwaiting := append(slices.Clone(toProcessing), as("chuyenvien", func(s *app.Service, u *app.User, c string) (*app.Dossier, error) {
		return s.SubmitForApproval(u, c, "Đủ điều kiện")
	}))
	toApproved := append(slices.Clone(toAwaiting), approve)
	toResolved := append(slices.Clone(toApproved), result)

	for _, c := range []struct {
		name      string
		setup     []action
		a, b      action
		onlyOneOK bool // the workflow alone lets only one of the two run in this state
	}{
		{"hand-over vs supplement", toProcessing, handover, supplement, false},
		{"approve vs send back", toAwaiting, approve, sendBack, false},
		{"record result vs withdraw", toApproved, result, withdraw, false},
		{"return vs withdraw", toResolved, ret, withdraw, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := prep.Receive(user(t, prep, "tiepnhan"), receiptInput("Nguyễn Thị Ánh Hằng"))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range c.setup {
				if d, err = s(prep, d.Code); err != nil {
					t.Fatal(err)
				}
			}
			before := d.Version
			arrive := barrier(2)
			svcA := app.NewService(gate{deskA, arrive}, clk)
			svcB := app.NewService(gate{deskB, arrive}, clk)
			var wg sync.WaitGroup
			var resA, resB *app.Dossier
			var errA, errB error
			wg.Add(2)
			go func() { defer wg.Done(); resA, errA = c.a(svcA, d.Code) }()
			go func() { defer wg.Done(); resB, errB = c.b(svcB, d.Code) }()
			wg.Wait()
			if (errA == nil) == (errB == nil) {
				t.Fatalf("want exactly one winner: A %v, B %v", errA, errB)
			}
			win, lose := resA, errB
			if errA != nil {
				win, lose = resB, errA
			}
			if !app.Is(lose, app.KindConflict) {
				t.Fatalf("loser's error %v: want KindConflict", lose)
			}
			if !c.onlyOneOK && !strings.Contains(lose.Error(), postgres.ConflictMsg) {
				t.Errorf("loser's message %q does not say %q", lose.Error(), postgres.ConflictMsg)
			}
			got, err := prep.Dossier(d.Code)
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != before+1 || got.State != win.State || len(got.History) != len(d.History)+1 ||
				app.VerifyHistory(got.Code, got.History) != nil {
				t.Errorf("stored v%d %s with %d history entries; want v%d %s with %d", got.Version, got.State,
					len(got.History), before+1, win.State, len(d.History)+1)
			}
			t.Logf("winner → %s; loser: %v", win.State, lose)
		})
	}
}

// TestServerRestartDuringReceipts: four desks receive in a burst while the
// server is restarted twice (a fast shutdown, then a crash-like immediate
// one). Update re-runs the receipts that failed before COMMIT; every receipt
// acknowledged to its desk is stored exactly once, and the day's codes stay
// gapless.
func TestServerRestartDuringReceipts(t *testing.T) {
	c := pgtest.Shared()
	if c == nil {
		t.Skip(pgtest.Banner + ": no private cluster to restart")
	}
	dsn := pgtest.DSN(t)
	setUpOffice(t, openDSN(t, dsn))
	const desks = 4
	var acked sync.Map // applicant name → code
	var retries, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range desks {
		db := openDSN(t, dsn)
		db.OnRetry = func(int, error) { retries.Add(1) }
		svc := app.NewService(db, &app.FixedClock{T: deskDay})
		rec := user(t, svc, "tiepnhan")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Trần Văn Lượt %d %d", i, n)
				d, err := svc.Receive(rec, receiptInput(name))
				if err != nil {
					failed.Add(1) // not acknowledged: the desk shows an error
					time.Sleep(50 * time.Millisecond)
					continue
				}
				acked.Store(name, d.Code)
			}
		}()
	}
	stopped := false
	stopDesks := func() {
		if !stopped {
			stopped = true
			close(stop)
			wg.Wait()
		}
	}
	defer stopDesks() // before the stores close, even when the test fails
	count := func() (n int) { acked.Range(func(any, any) bool { n++; return true }); return }
	time.Sleep(700 * time.Millisecond)
	for _, mode := range []string{"fast", "immediate"} {
		before := count()
		if err := c.StopServer(mode); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if err := c.StartServer(); err != nil {
			t.Fatal(err)
		}
		// Receipts resume (a loaded machine may need a few seconds).
		for deadline := time.Now().Add(15 * time.Second); count() <= before+desks; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("receipts did not resume after the %s restart", mode)
			}
		}
	}
	stopDesks()

	db := openDSN(t, dsn)
	rows := allDossiers(t, db)
	byName := map[string][]string{}
	for _, r := range rows {
		byName[r.ApplicantName] = append(byName[r.ApplicantName], r.Code)
	}
	n := 0
	acked.Range(func(k, v any) bool {
		n++
		if codes := byName[k.(string)]; len(codes) != 1 || codes[0] != v.(string) {
			t.Errorf("%s acknowledged as %s, stored as %v", k, v, codes)
		}
		return true
	})
	for name, codes := range byName {
		if len(codes) > 1 {
			t.Errorf("%s stored %d times: %v", name, len(codes), codes)
		}
	}
	t.Logf("%d acknowledged, %d stored, %d refused to the desk, %d transactions re-run", n, len(rows), failed.Load(), retries.Load())
	if retries.Load() == 0 {
		t.Error("no transaction was re-run: the restarts did not hit a transaction")
	}
	checkCodes(t, db, len(rows))
}

// TestDeskKilledMidReceipts: a desk process receiving as fast as it can is
// killed with SIGKILL, three times; what it left is whole: the day's codes
// and register rows are gapless, every dossier has its history entry, and
// another desk goes on numbering from there.
func TestDeskKilledMidReceipts(t *testing.T) {
	if os.Getenv(pgtest.EnvDSN) != "" {
		t.Skip("child")
	}
	dsn := pgtest.DSN(t)
	db := openDSN(t, dsn)
	setUpOffice(t, db)
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReceiptsChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), pgtest.EnvDSN+"="+dsn, "MOTCUA_DESK=k"+strconv.Itoa(round), "MOTCUA_DESK_N=100000")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		before := len(allDossiers(t, db))
		for deadline := time.Now().Add(20 * time.Second); len(allDossiers(t, db)) < before+20; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("the desk received nothing")
			}
		}
		time.Sleep(time.Duration(137*(round+1)) * time.Millisecond) // somewhere inside a receipt
		if err := cmd.Process.Signal(os.Kill); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
	}
	// A COMMIT the desk sent just before it died still completes in its
	// server process after the kill: count once that has settled.
	n := len(allDossiers(t, db))
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		time.Sleep(300 * time.Millisecond)
		m := len(allDossiers(t, db))
		if m == n {
			break
		}
		n = m
	}
	checkCodes(t, db, n)
	svc := app.NewService(db, &app.FixedClock{T: deskDay})
	d, err := svc.Receive(user(t, svc, "tiepnhan2"), receiptInput("Người sau cùng"))
	if err != nil {
		t.Fatal(err)
	}
	if want := app.DossierCode("000.00.01.H22", deskDay, n+1); d.Code != want || d.RegisterRow != n+1 {
		t.Errorf("after the kills: code %s row %d, want %s row %d", d.Code, d.RegisterRow, want, n+1)
	}
	t.Logf("%d receipts survived 3 SIGKILLs, all whole", n)
}

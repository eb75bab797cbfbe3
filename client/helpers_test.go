package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/api"
	"motcua/app"
	"motcua/client"
	"motcua/hub"
	"motcua/storage"
)

const (
	communeCode = "000.00.31.H56" // UBND xã Tân Lập: receives from the citizen, sends
	deptCode    = "000.00.01.H56" // Sở Tư pháp: receives the transfer, processes
)

func quietLogger() *logrus.Logger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return l
}

// testHub is a real hub on a loopback address: in process (httptest) or a
// child process of the built cmd/hub binary, so that it can be SIGKILLed.
type testHub struct {
	t    testing.TB
	dir  string
	addr string // 127.0.0.1:port, the same across restarts
	keys map[string]string

	opts   hub.Options // for in-process starts; Logger and RateLimit are set
	args   []string    // extra flags of the child process
	h      *hub.Hub
	srv    *httptest.Server
	cmd    *exec.Cmd
	exited chan struct{} // closed when the child process is reaped
}

func (th *testHub) URL() string { return "http://" + th.addr }

// newHubDir creates a hub data folder with the two agencies and their keys.
func newHubDir(t testing.TB) *testHub {
	t.Helper()
	th := &testHub{t: t, dir: t.TempDir(), keys: map[string]string{}}
	h, err := hub.OpenWith(th.dir, hub.Options{Logger: quietLogger(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		code, name string
		level      api.AgencyLevel
	}{{communeCode, "UBND xã Tân Lập", api.LevelCommune}, {deptCode, "Sở Tư pháp", api.LevelDepartment}} {
		k, err := h.AddAgencyLevel(a.code, a.name, "000.00.00.H56", a.level)
		if err != nil {
			t.Fatal(err)
		}
		th.keys[a.code] = k
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	th.addr = l.Addr().String()
	l.Close()
	return th
}

// startInProcess serves the hub from this process.
func (th *testHub) startInProcess() {
	th.t.Helper()
	o := th.opts
	o.Logger, o.RateLimit = quietLogger(), -1
	h, err := hub.OpenWith(th.dir, o)
	if err != nil {
		th.t.Fatal(err)
	}
	var l net.Listener
	eventually(th.t, 10*time.Second, "the hub's port to be free", func() bool {
		l, err = net.Listen("tcp", th.addr)
		return err == nil
	})
	srv := httptest.NewUnstartedServer(h.Handler())
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	th.h, th.srv = h, srv
	th.t.Cleanup(th.stop)
}

// stop takes an in-process hub down (connections cut, file closed).
func (th *testHub) stop() {
	if th.srv != nil {
		th.h.StopLongPolls()
		th.srv.CloseClientConnections()
		th.srv.Close()
		th.h.Close()
		th.srv, th.h = nil, nil
	}
}

var (
	hubBinOnce sync.Once
	hubBin     string
	hubBinErr  error
)

// buildHub builds cmd/hub once per test binary.
func buildHub(t testing.TB) string {
	t.Helper()
	hubBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "motcua-hub-bin")
		if err != nil {
			hubBinErr = err
			return
		}
		hubBin = filepath.Join(dir, "motcua-hub")
		out, err := exec.Command("go", "build", "-o", hubBin, "motcua/cmd/hub").CombinedOutput()
		if err != nil {
			hubBinErr = fmt.Errorf("go build cmd/hub: %v\n%s", err, out)
		}
	})
	if hubBinErr != nil {
		t.Fatal(hubBinErr)
	}
	return hubBin
}

// startChild runs the hub binary as a child process and waits for health.
func (th *testHub) startChild() {
	th.t.Helper()
	bin := buildHub(th.t)
	var lastErr error
	eventually(th.t, 20*time.Second, "the hub child process to serve", func() bool {
		if th.cmd == nil {
			cmd := exec.Command(bin, append([]string{"serve", "--data", th.dir, "--addr", th.addr, "--rate", "0"}, th.args...)...)
			cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
			if lastErr = cmd.Start(); lastErr != nil {
				return false
			}
			th.cmd, th.exited = cmd, make(chan struct{})
			go func(done chan struct{}) { _ = cmd.Wait(); close(done) }(th.exited)
		}
		resp, err := http.Get(th.URL() + "/v1/health")
		if err != nil {
			lastErr = err
			select {
			case <-th.exited: // exited (port or file lock still busy): start again
				th.cmd = nil
			default:
			}
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	th.t.Cleanup(th.kill)
}

// kill SIGKILLs the child: no graceful shutdown, no flush.
func (th *testHub) kill() {
	if th.cmd == nil || th.cmd.Process == nil {
		return
	}
	_ = th.cmd.Process.Signal(syscall.SIGKILL)
	th.cmd = nil
	select {
	case <-th.exited:
	case <-time.After(10 * time.Second):
		th.t.Error("the hub child did not exit after SIGKILL")
	}
}

// get calls the hub directly as an agency (to check what it holds).
func (th *testHub) get(agency, path string, out any) {
	th.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, th.URL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+th.keys[agency])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		th.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		th.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		th.t.Fatal(err)
	}
}

// office is one agency's desktop: its store (with the scans), use cases and client.
type office struct {
	t               testing.TB
	code            string
	dir             string
	db              *storage.DB
	svc             *app.Service
	store           app.Store
	cl              *client.Client
	rec, spec, lead *app.User
	cancel          context.CancelFunc
	clk             *skewClock // the service's clock: the wall clock, moved forward by a test
}

// skewClock is the wall clock plus an offset a test sets (to look at the
// queues and statistics days later); safe for the client's goroutines.
type skewClock struct{ off atomic.Int64 }

func (c *skewClock) Now() time.Time       { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *skewClock) Skip(d time.Duration) { c.off.Store(int64(d)) }

func newOffice(t testing.TB, code, name, hubURL, key string) *office {
	t.Helper()
	return newOfficeWith(t, code, name, hubURL, key, nil)
}

// newOfficeWith is newOffice with the service's store wrapped (benchmarks
// watch commits).
func newOfficeWith(t testing.TB, code, name, hubURL, key string, wrap func(app.Store) app.Store) *office {
	t.Helper()
	return newOfficeConfig(t, code, name, hubURL, key, wrap, client.Config{Logger: quietLogger(), MinBackoff: 20 * time.Millisecond,
		MaxBackoff: 300 * time.Millisecond, Idle: 50 * time.Millisecond, PollWait: 5 * time.Second, CallTimeout: 5 * time.Second})
}

// newOfficeConfig is newOfficeWith with the client's configuration given
// (zero values: the program's defaults). The client opens its transactions
// through the service's announcing store, as main gives it.
func newOfficeConfig(t testing.TB, code, name, hubURL, key string, wrap func(app.Store) app.Store, cfg client.Config) *office {
	t.Helper()
	dir := t.TempDir()
	db, err := storage.Open(filepath.Join(dir, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	var st app.Store = db
	if wrap != nil {
		st = wrap(db)
	}
	clk := &skewClock{}
	o := &office{t: t, code: code, dir: dir, db: db, store: st, svc: app.NewService(st, clk), clk: clk}
	users := seedOffice(t, db, code, name, hubURL, key)
	o.rec, o.spec, o.lead = &users[0], &users[1], &users[2]
	o.cl, err = client.New(o.svc, o.svc.Store(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	o.cancel = cancel
	o.cl.Start(ctx)
	t.Cleanup(func() { o.cl.Stop(); cancel(); db.Close() })
	return o
}

// seedOffice sets the office up in db (agency, the three officers, the
// catalogue, the hub settings) and returns the officers.
func seedOffice(t testing.TB, db app.Store, code, name, hubURL, key string) []app.User {
	t.Helper()
	users := []app.User{
		{Username: "tiepnhan", FullName: "Nguyễn Thị Hằng", Title: "Công chức Một cửa", Unit: "Bộ phận Một cửa", Roles: []app.Role{app.RoleReceiver}},
		{Username: "chuyenvien", FullName: "Trần Đức Thắng", Title: "Chuyên viên", Unit: "Phòng Hộ tịch", Roles: []app.Role{app.RoleSpecialist}},
		{Username: "lanhdao", FullName: "Phạm Quốc Việt", Title: "Phó Giám đốc", Unit: "Lãnh đạo", Roles: []app.Role{app.RoleLeader}},
	}
	procs, err := app.SeedCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx app.Tx) error {
		if err := tx.PutAgency(&app.Agency{Code: code, Name: name, GoverningBody: "UBND TỈNH THANH HÓA", Place: "Thanh Hóa",
			Level: app.LevelCommune, Hours: app.DefaultOfficeHours()}); err != nil {
			return err
		}
		for i := range users {
			if err := tx.PutUser(&users[i]); err != nil {
				return err
			}
		}
		for i := range procs {
			if err := tx.PutProcedure(&procs[i]); err != nil {
				return err
			}
		}
		st := app.DefaultSettings()
		st.HubURL, st.HubKey = hubURL, key
		return tx.PutSettings(st)
	})
	if err != nil {
		t.Fatal(err)
	}
	return users
}

// restartClient replaces the office's client by a fresh one (as after the
// app was closed and opened again).
func (o *office) restartClient() {
	o.t.Helper()
	o.cl.Stop()
	cl, err := client.New(o.svc, o.store, client.Config{Logger: quietLogger(), MinBackoff: 20 * time.Millisecond,
		MaxBackoff: 300 * time.Millisecond, Idle: 50 * time.Millisecond, PollWait: 5 * time.Second, CallTimeout: 5 * time.Second})
	if err != nil {
		o.t.Fatal(err)
	}
	o.cl = cl
	cl.Start(context.Background())
	o.t.Cleanup(cl.Stop)
}

func (o *office) receive(name string) *app.Dossier {
	o.t.Helper()
	d, err := o.svc.Receive(o.rec, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: name, IDType: app.IDCCCD, IDNumber: "038190001234", Address: "Thôn Đông, xã Tân Lập"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
	if err != nil {
		o.t.Fatal(err)
	}
	return d
}

func (o *office) putBlob(content string) (string, int64) {
	o.t.Helper()
	f, err := app.NewScanFile("scan.pdf", []byte(content))
	if err != nil {
		o.t.Fatal(err)
	}
	sha := f.SHA256()
	if err := o.store.Update(func(tx app.Tx) error { return tx.PutScan(sha, f.Data) }); err != nil {
		o.t.Fatal(err)
	}
	return sha, int64(len(f.Data))
}

func (o *office) dossier(code string) *app.Dossier {
	o.t.Helper()
	d, err := o.svc.Dossier(code)
	if err != nil {
		o.t.Fatal(err)
	}
	return d
}

func (o *office) incoming(id string) *app.IncomingTransfer {
	var in *app.IncomingTransfer
	_ = o.store.View(func(tx app.Tx) (err error) {
		in, err = tx.Incoming(id)
		return err
	})
	return in
}

func (o *office) pendingIncoming() []app.IncomingTransfer {
	o.t.Helper()
	list, err := o.svc.Incoming(true)
	if err != nil {
		o.t.Fatal(err)
	}
	return list
}

// pending counts the outbox items of one kind.
func (o *office) pending(kind app.OutboxKind) int {
	n := 0
	_ = o.store.View(func(tx app.Tx) error {
		items, err := tx.OutboxItems(0)
		for _, it := range items {
			if it.Kind == kind {
				n++
			}
		}
		return err
	})
	return n
}

// drained reports an empty outbox.
func (o *office) drained() bool {
	s := o.cl.Status()
	return s.Pending == 0 && s.Parked == 0
}

func (o *office) hasScan(sha string) bool {
	ok := false
	_ = o.store.View(func(tx app.Tx) (err error) { ok, err = tx.HasScan(sha); return })
	return ok
}

func (o *office) blobEquals(sha, content string) bool {
	b, err := o.svc.Scan(sha)
	return err == nil && bytes.Equal(b, []byte(content))
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		<-tick.C
	}
}

func actions(d *app.Dossier) []app.Action {
	var out []app.Action
	for _, e := range d.History {
		out = append(out, e.Action)
	}
	return out
}

func sameActions(a, b []app.Action) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// loseFirstResponses wraps a handler: the first POST (or PUT) to each path is
// executed — the hub commits it — but its answer never reaches the caller,
// as when the line drops or the hub dies right after the fsync.
func loseFirstResponses(next http.Handler) (http.Handler, func() int) {
	var mu sync.Mutex
	seen := map[string]bool{}
	lost := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost && r.Method != http.MethodPut {
			next.ServeHTTP(w, r)
			return
		}
		key := r.Method + " " + r.URL.Path
		mu.Lock()
		first := !seen[key]
		seen[key] = true
		if first {
			lost++
		}
		mu.Unlock()
		if !first {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		panic(http.ErrAbortHandler) // cut the connection without an answer
	})
	return h, func() int { mu.Lock(); defer mu.Unlock(); return lost }
}

// startLossy serves the hub in process behind loseFirstResponses.
func (th *testHub) startLossy() func() int {
	th.t.Helper()
	h, err := hub.OpenWith(th.dir, hub.Options{Logger: quietLogger(), RateLimit: -1})
	if err != nil {
		th.t.Fatal(err)
	}
	l, err := net.Listen("tcp", th.addr)
	if err != nil {
		th.t.Fatal(err)
	}
	handler, lost := loseFirstResponses(h.Handler())
	srv := httptest.NewUnstartedServer(handler)
	srv.Listener.Close()
	srv.Listener = l
	srv.Config.ErrorLog = nil
	srv.Start()
	th.h, th.srv = h, srv
	th.t.Cleanup(th.stop)
	return lost
}

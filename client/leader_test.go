package client_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"motcua/api"
	"motcua/app"
	"motcua/client"
	"motcua/hub"
	"motcua/internal/pgtest"
	"motcua/storage/postgres"
)

// One office, one hub connection (issue 12 point 6): several desks share one
// PostgreSQL database; exactly one of them sends the outbox and polls the
// inbox at a time, and when it is killed another takes over.
//
// TestDesksShareOneHubConnection runs three desks as separate OS processes
// (this test binary again, TestDeskChild) against one database of the run's
// cluster and the real hub (cmd/hub, a child process). Every desk reaches the
// hub through a recording proxy in this process, under a path prefix of its
// own, so the test sees which desk made every call. The desks receive
// dossiers and transfer them to the department; the leading desk is
// SIGKILLed in the middle of a burst, and later the hub is too. Then the
// department accepts every transfer straight on the hub, and the accepted
// events come back through the inbox of whichever desk leads.

const deskChildEnv = "MOTCUA_DESK_CHILD"

// deskEvent is one line a desk child printed: "lead", "unlead", "queued CODE".
type deskEvent struct {
	desk string
	kind string
	arg  string
	at   time.Time
}

// hubCall is one call a desk made to the hub, as the proxy saw it.
type hubCall struct {
	desk         string
	method, path string
	key          string // Idempotency-Key
	dossier      string // of a POST /v1/transfers
	status       int
	start, end   time.Time
}

type deskFleet struct {
	t      *testing.T
	dsn    string
	hubURL string // the proxy
	key    string

	mu     sync.Mutex
	events []deskEvent
	calls  []hubCall
	procs  map[string]*deskProc
	killed map[string]time.Time
	asked  map[string]int // dossiers each desk was asked to queue

	// hold: the next transfer create of this desk reaches the hub (which
	// commits it) but its answer is held back, and held is signalled: the
	// test kills the desk before the answer arrives.
	hold string
	held chan string
}

type deskProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	exited chan struct{}
}

// proxy forwards /desk-NAME/… to the hub and records the call.
func (f *deskFleet) proxy(t *testing.T, hubURL string) {
	target, _ := url.Parse(hubURL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = nil
	rp.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) }
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/desk-")
		desk, path, ok := strings.Cut(rest, "/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		c := hubCall{desk: desk, method: r.Method, path: "/" + path, key: r.Header.Get(api.HeaderIdempotencyKey), start: time.Now()}
		if r.Method == http.MethodPost && c.path == "/v1/transfers" {
			body, _ := io.ReadAll(r.Body)
			var req api.TransferRequest
			_ = json.Unmarshal(body, &req)
			c.dossier = req.Dossier.DossierCode
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		r.URL.Path, r.URL.RawPath = c.path, ""
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		if c.dossier != "" {
			f.mu.Lock()
			if f.hold == desk {
				f.hold, sw.hold = "", f.held
				sw.dossier = c.dossier
			}
			f.mu.Unlock()
		}
		rp.ServeHTTP(sw, r)
		c.status, c.end = sw.status, time.Now()
		f.mu.Lock()
		f.calls = append(f.calls, c)
		f.mu.Unlock()
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	f.hubURL = "http://" + l.Addr().String()
}

type statusWriter struct {
	http.ResponseWriter
	status  int
	hold    chan string // signalled (with dossier) instead of answering at once
	dossier string
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	if w.hold != nil {
		w.hold <- w.dossier
		time.Sleep(2 * time.Second) // the desk is killed meanwhile
	}
	w.ResponseWriter.WriteHeader(code)
}
func (w *statusWriter) Flush() {
	if fl, ok := w.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// start runs desk name as a child process.
func (f *deskFleet) start(name string) {
	t := f.t
	cmd := exec.Command(os.Args[0], "-test.run=^TestDeskChild$", "-test.v")
	cmd.Env = append(os.Environ(), pgtest.EnvDSN+"="+f.dsn, deskChildEnv+"="+name,
		"MOTCUA_DESK_HUB="+f.hubURL+"/desk-"+name, "MOTCUA_DESK_KEY="+f.key)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &deskProc{cmd: cmd, stdin: in, exited: make(chan struct{})}
	f.mu.Lock()
	f.procs[name] = p
	f.mu.Unlock()
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			// "@ <unix ns> <kind> [arg]"
			fs := strings.Fields(sc.Text())
			if len(fs) < 3 || fs[0] != "@" {
				continue
			}
			ns, _ := strconv.ParseInt(fs[1], 10, 64)
			ev := deskEvent{desk: name, kind: fs[2], at: time.Unix(0, ns)}
			if len(fs) > 3 {
				ev.arg = fs[3]
			}
			f.mu.Lock()
			f.events = append(f.events, ev)
			f.mu.Unlock()
		}
	}()
	go func() { <-read; _ = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-p.exited })
}

func (f *deskFleet) send(name, line string) {
	f.mu.Lock()
	p := f.procs[name]
	f.mu.Unlock()
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		f.t.Fatalf("desk %s: %v", name, err)
	}
}

// kill SIGKILLs a desk and returns when it is gone.
func (f *deskFleet) kill(name string) time.Time {
	f.mu.Lock()
	p := f.procs[name]
	f.mu.Unlock()
	at := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
	f.mu.Lock()
	f.killed[name] = at
	delete(f.procs, name)
	f.mu.Unlock()
	return at
}

// quit asks every live desk to stop its client and exit, the leading desk
// last (so that no other desk takes over meanwhile).
func (f *deskFleet) quit() {
	lead := f.leaders()
	f.mu.Lock()
	var names []string
	for k := range f.procs {
		if !slices.Contains(lead, k) {
			names = append(names, k)
		}
	}
	names = append(names, lead...)
	procs := map[string]*deskProc{}
	for k, v := range f.procs {
		procs[k] = v
	}
	f.mu.Unlock()
	for _, name := range names {
		p := procs[name]
		p.stdin.Close()
		select {
		case <-p.exited:
		case <-time.After(20 * time.Second):
			f.t.Errorf("desk %s did not quit", name)
		}
	}
}

// leaders are the live desks leading now (by their own lines).
func (f *deskFleet) leaders() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	on := map[string]bool{}
	for _, e := range f.events {
		switch e.kind {
		case "lead":
			on[e.desk] = true
		case "unlead":
			on[e.desk] = false
		}
	}
	var out []string
	for d, yes := range on {
		if _, dead := f.killed[d]; yes && !dead {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

func (f *deskFleet) queued() map[string]deskEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]deskEvent{}
	for _, e := range f.events {
		if e.kind == "queued" {
			out[e.arg] = e
		}
	}
	return out
}

// delivered is when each dossier's transfer was first created on the hub
// (the first 2xx answer to its POST /v1/transfers).
func (f *deskFleet) delivered() map[string]time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]time.Time{}
	for _, c := range f.calls {
		if c.dossier != "" && c.status/100 == 2 {
			if at, ok := out[c.dossier]; !ok || c.end.Before(at) {
				out[c.dossier] = c.end
			}
		}
	}
	return out
}

func (f *deskFleet) queueAll(n int) {
	f.mu.Lock()
	var names []string
	for k := range f.procs {
		names = append(names, k)
	}
	f.mu.Unlock()
	for _, name := range names {
		f.mu.Lock()
		f.asked[name] += n
		f.mu.Unlock()
		f.send(name, fmt.Sprintf("queue %d", n))
	}
}

// waitDelivered waits until every live desk queued what it was asked to
// and every transfer queued reached the hub.
func (f *deskFleet) waitDelivered(what string, timeout time.Duration) {
	eventually(f.t, timeout, what, func() bool {
		f.mu.Lock()
		n := map[string]int{}
		for _, e := range f.events {
			if e.kind == "queued" {
				n[e.desk]++
			}
		}
		for d := range f.procs {
			if n[d] < f.asked[d] {
				f.mu.Unlock()
				return false
			}
		}
		f.mu.Unlock()
		q, d := f.queued(), f.delivered()
		for code := range q {
			if _, ok := d[code]; !ok {
				return false
			}
		}
		return true
	})
}

func TestDesksShareOneHubConnection(t *testing.T) {
	if os.Getenv(deskChildEnv) != "" {
		t.Skip("a desk child")
	}
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	th := newHubDir(t)
	seedOffice(t, db, communeCode, "UBND xã Tân Lập", "", "")
	th.startChild()
	f := &deskFleet{t: t, dsn: dsn, key: th.keys[communeCode], procs: map[string]*deskProc{}, killed: map[string]time.Time{}, asked: map[string]int{}}
	f.proxy(t, th.URL())
	began := time.Now()

	for _, name := range []string{"A", "B", "C"} {
		f.start(name)
	}
	eventually(t, 30*time.Second, "a desk to lead", func() bool { return len(f.leaders()) == 1 })
	first := f.leaders()[0]

	// Calm: every desk queues; the leader sends them all, including the
	// ones queued at the desks standing by.
	f.queueAll(4)
	f.waitDelivered("the first transfers to reach the hub", 30*time.Second)
	var calm []time.Duration
	q, d := f.queued(), f.delivered()
	calmCodes := map[string]bool{}
	for code, e := range q {
		calmCodes[code] = true
		lat := max(0, d[code].Sub(e.at)) // 0: created before the desk printed "queued"
		calm = append(calm, lat)
		if e.desk != first && lat > 5*time.Second {
			t.Errorf("%s queued at standing-by desk %s reached the hub after %v", code, e.desk, lat)
		}
	}
	slices.Sort(calm)
	if len(calm) != 12 {
		t.Fatalf("%d transfers queued in the calm phase, want 12", len(calm))
	}

	// Only the desks standing by queue: they wake the leader (NOTIFY), whose
	// sender finds their items in the shared outbox (its own rereading, Idle,
	// is 10 s here).
	for _, name := range []string{"A", "B", "C"} {
		if name != first {
			f.mu.Lock()
			f.asked[name] += 3
			f.mu.Unlock()
			f.send(name, "queue 3")
		}
	}
	f.waitDelivered("the standing-by desks' transfers to reach the hub", 30*time.Second)
	var standby []time.Duration
	q, d = f.queued(), f.delivered()
	for code, e := range q {
		if e.desk != first && !calmCodes[code] {
			// ≤ 0 when the leader had it created before the desk printed
			// "queued" (the wake goes out at commit, inside Transfer)
			standby = append(standby, max(0, d[code].Sub(e.at)))
		}
	}
	slices.Sort(standby)
	if len(standby) != 6 || standby[len(standby)-1] > 3*time.Second {
		t.Errorf("transfers queued at the desks standing by reached the hub after %v", standby)
	}

	// Kill the leader in the middle of a burst, just after the hub created
	// one of its transfers and before the answer reached it.
	f.mu.Lock()
	f.hold, f.held = first, make(chan string, 1)
	f.mu.Unlock()
	f.queueAll(6)
	var lost string
	select {
	case lost = <-f.held:
	case <-time.After(30 * time.Second):
		t.Fatal("the leader sent no transfer")
	}
	killedAt := f.kill(first)
	eventually(t, 30*time.Second, "another desk to take over", func() bool { return len(f.leaders()) == 1 })
	second := f.leaders()[0]
	var leadAt time.Time
	f.mu.Lock()
	for _, e := range f.events {
		if e.desk == second && e.kind == "lead" {
			leadAt = e.at
		}
	}
	f.mu.Unlock()
	takeover := leadAt.Sub(killedAt)
	if takeover > 30*time.Second {
		t.Errorf("desk %s took over %v after desk %s was killed", second, takeover, first)
	}
	f.start("D") // the PC comes back: it stands by
	f.waitDelivered("the burst to reach the hub after the takeover", 30*time.Second)

	// Kill the hub while the desks queue, start it again.
	f.queueAll(3)
	time.Sleep(200 * time.Millisecond)
	th.kill()
	f.queueAll(2)
	time.Sleep(1500 * time.Millisecond)
	th.startChild()
	f.waitDelivered("every transfer to reach the hub after its restart", 45*time.Second)

	// The department accepts every transfer straight on the hub; the
	// leading desk polls the events in.
	recv := hubTransfers(t, th, deptCode)
	for i, tr := range recv {
		hubPost(t, th, deptCode, "/v1/transfers/"+tr.ID+"/ack", api.AckRequest{Accepted: true, LocalCode: fmt.Sprintf("000.00.01.H56-251130-%04d", i+1)})
	}
	eventually(t, 30*time.Second, "the acceptances to reach the office", func() bool {
		for _, s := range allSummaries(t, db) {
			dd := dossierOf(t, db, s.Code)
			if len(dd.Transfers) > 0 && dd.Transfers[0].State != app.TransferAccepted {
				return false
			}
		}
		return true
	})
	outbox := func() (pending, parked int) {
		if err := db.View(func(tx app.Tx) (err error) { pending, parked, err = tx.OutboxCount(); return }); err != nil {
			t.Fatal(err)
		}
		return
	}
	// The receipts also queued their public status (the portal's): let the
	// leader send everything before the desks close.
	eventually(t, 30*time.Second, "the outbox to drain", func() bool { p, k := outbox(); return p == 0 && k == 0 })
	f.quit()

	// Every transfer the office holds is on the hub exactly once, and
	// nothing is left to send.
	var want []string
	for _, s := range allSummaries(t, db) {
		dd := dossierOf(t, db, s.Code)
		if len(dd.Transfers) == 0 {
			continue // received by a killed desk before it could transfer
		}
		want = append(want, s.Code)
		if len(dd.Transfers) != 1 {
			t.Errorf("%s: %d transfers", s.Code, len(dd.Transfers))
		}
		n := 0
		for _, h := range dd.History {
			if h.Action == app.ActTransferUpdate {
				n++
			}
		}
		if n != 1 || dd.Transfers[0].State != app.TransferAccepted {
			t.Errorf("%s: %d acceptances applied, transfer %+v", s.Code, n, dd.Transfers[0])
		}
	}
	recv = hubTransfers(t, th, deptCode)
	var got []string
	for _, tr := range recv {
		got = append(got, tr.Dossier.DossierCode)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the department has %d transfers %v,\nthe office %d %v", len(got), got, len(want), want)
	}
	for code := range f.queued() {
		if !slices.Contains(want, code) {
			t.Errorf("%s was queued (acknowledged to its desk) but the office holds no transfer of it", code)
		}
	}
	if pending, parked := outbox(); pending != 0 || parked != 0 {
		t.Errorf("outbox after the run: %d pending, %d parked", pending, parked)
	}

	// One desk at a time talked to the hub: each desk's calls form one
	// window, and a window begins only after the one before it ended (or
	// its desk was killed).
	f.mu.Lock()
	calls := slices.Clone(f.calls)
	killed := f.killed
	f.mu.Unlock()
	type window struct {
		desk                 string
		first, lastStart, to time.Time
		n, creates           int
	}
	wins := map[string]*window{}
	posts := map[string]int{}
	for _, c := range calls {
		w := wins[c.desk]
		if w == nil {
			w = &window{desk: c.desk, first: c.start}
			wins[c.desk] = w
		}
		w.n++
		if c.start.Before(w.first) {
			w.first = c.start
		}
		if c.start.After(w.lastStart) {
			w.lastStart = c.start
		}
		if c.end.After(w.to) {
			w.to = c.end
		}
		if c.dossier != "" {
			w.creates++
			posts[c.dossier]++
		}
	}
	var order []*window
	for _, w := range wins {
		order = append(order, w)
	}
	sort.Slice(order, func(i, j int) bool { return order[i].first.Before(order[j].first) })
	for i := 1; i < len(order); i++ {
		a, b := order[i-1], order[i]
		k, dead := killed[a.desk]
		if !a.lastStart.Before(b.first) || (a.to.After(b.first) && !(dead && !k.After(b.first))) {
			t.Errorf("desks %s and %s called the hub at the same time (%s: %v–%v, %s from %v)", a.desk, b.desk,
				a.desk, a.first.Format(time.StampMilli), a.to.Format(time.StampMilli), b.desk, b.first.Format(time.StampMilli))
		}
	}
	// The desks' own view: a lease begins only when no other is held (a
	// killed desk's ended with its process).
	f.mu.Lock()
	evs := slices.Clone(f.events)
	f.mu.Unlock()
	slices.SortStableFunc(evs, func(a, b deskEvent) int { return a.at.Compare(b.at) })
	holding := map[string]bool{}
	for _, e := range evs {
		for d := range holding {
			if k, dead := killed[d]; dead && !k.After(e.at) {
				delete(holding, d)
			}
		}
		switch e.kind {
		case "lead":
			if len(holding) > 0 {
				t.Errorf("desk %s began leading at %v while %v led", e.desk, e.at.Format(time.StampMilli), holding)
			}
			holding[e.desk] = true
		case "unlead":
			delete(holding, e.desk)
		}
	}
	if len(order) != 2 || order[0].desk != first || order[1].desk != second {
		var ds []string
		for _, w := range order {
			ds = append(ds, w.desk)
		}
		t.Errorf("desks that called the hub: %v, want %s then %s", ds, first, second)
	}
	resent := 0
	for _, n := range posts {
		if n > 1 {
			resent++
		}
	}
	if posts[lost] < 2 {
		t.Errorf("%s, whose answer the killed leader never got, was posted %d times: the new leader should have sent it again", lost, posts[lost])
	}
	var report []string
	for _, w := range order {
		report = append(report, fmt.Sprintf("%s: %d calls (%d transfer creates)", w.desk, w.n, w.creates))
	}
	t.Logf("%d transfers, each on the hub once; takeover %v after desk %s was SIGKILLed (lease poll %v); "+
		"items queued while the leader queued too reached the hub within %v (median %v), items queued only at desks standing by within %v (median %v); %d transfers were posted more than once "+
		"(answers lost to a kill; the hub's idempotency kept one); calls: %s; run %v",
		len(want), takeover.Round(time.Millisecond), first, postgres.LeadPoll, calm[len(calm)-1].Round(time.Millisecond),
		calm[len(calm)/2].Round(time.Millisecond), standby[len(standby)-1].Round(time.Millisecond), standby[len(standby)/2].Round(time.Millisecond), resent, strings.Join(report, ", "), time.Since(began).Round(time.Second))
}

// TestDeskChild is one desk of TestDesksShareOneHubConnection: it runs the
// client over the shared database and, for every "queue N" line on stdin,
// receives N dossiers and transfers each to the department, printing
// "@ <unix ns> queued CODE" after each transfer committed. It prints
// "@ <unix ns> lead" and "… unlead" as its lease begins and ends, and stops
// its client and exits when stdin closes.
func TestDeskChild(t *testing.T) {
	name := os.Getenv(deskChildEnv)
	if name == "" {
		t.Skip("run by TestDesksShareOneHubConnection")
	}
	db, err := postgres.Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var outMu sync.Mutex
	say := func(kind, arg string) {
		outMu.Lock()
		defer outMu.Unlock()
		fmt.Fprintf(os.Stdout, "@ %d %s %s\n", time.Now().UnixNano(), kind, arg)
	}
	svc := app.NewService(db, nil)
	cl, err := client.New(svc, db, client.Config{URL: os.Getenv("MOTCUA_DESK_HUB"), Key: os.Getenv("MOTCUA_DESK_KEY"),
		Logger: quietLogger(), MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, CallTimeout: 5 * time.Second,
		Idle:       10 * time.Second, // the other desks' items must come through Leadership.Wake
		Leadership: sayLead{db.Leadership(0), say}})
	if err != nil {
		t.Fatal(err)
	}
	cl.Start(context.Background())
	rec, err := svc.User("tiepnhan")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		k, ok := strings.CutPrefix(sc.Text(), "queue ")
		if !ok {
			continue
		}
		count, _ := strconv.Atoi(k)
		for range count {
			n++
			dd, err := svc.Receive(rec, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
				Applicant: app.Person{FullName: fmt.Sprintf("Nguyễn Văn Bàn %s %d", name, n), IDType: app.IDCCCD, IDNumber: "038190001234",
					Address: "Thôn Đông, xã Tân Lập"},
				Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			scan, err := app.NewScanFile("to-khai.pdf", []byte(fmt.Sprintf("%%PDF-1.4 tờ khai của %s %s", dd.Code, strings.Repeat("x", 2000))))
			if err != nil {
				t.Fatal(err)
			}
			scan.For = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân" // the paper it copies
			if _, err := svc.Transfer(rec, dd.Code, app.TransferInput{ToAgency: deptCode, ToName: "Sở Tư pháp",
				Note: "Đề nghị xác minh", Scans: []app.ScanFile{scan}}); err != nil {
				t.Fatal(err)
			}
			say("queued", dd.Code)
			time.Sleep(30 * time.Millisecond)
		}
	}
	cl.Stop()
}

// sayLead prints the lease's beginning and end.
type sayLead struct {
	l   app.Leadership
	say func(kind, arg string)
}

func (s sayLead) Lead(ctx context.Context, name string, fn func(context.Context, <-chan struct{})) {
	s.l.Lead(ctx, name, func(ctx context.Context, wake <-chan struct{}) {
		s.say("lead", name)
		fn(ctx, wake)
		s.say("unlead", name)
	})
}

func (s sayLead) Wake(name string) { s.l.Wake(name) }

// hubTransfers lists the transfers agency received, from the hub.
func hubTransfers(t *testing.T, th *testHub, agency string) []api.Transfer {
	t.Helper()
	var out []api.Transfer
	cursor := ""
	for {
		q := url.Values{"role": {"recipient"}, "limit": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page api.TransferPage
		th.get(agency, "/v1/transfers?"+q.Encode(), &page)
		out = append(out, page.Transfers...)
		if !page.HasMore || page.NextCursor == "" {
			return out
		}
		cursor = page.NextCursor
	}
}

// hubPost calls the hub as agency with a fresh Idempotency-Key.
func hubPost(t *testing.T, th *testHub, agency, path string, body any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, th.URL()+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+th.keys[agency])
	req.Header.Set("Content-Type", api.MediaJSON)
	req.Header.Set(api.HeaderIdempotencyKey, app.NewID())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		rb, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, rb)
	}
}

func allSummaries(t *testing.T, db app.Store) []app.DossierSummary {
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

func dossierOf(t *testing.T, db app.Store, code string) *app.Dossier {
	t.Helper()
	var d *app.Dossier
	if err := db.View(func(tx app.Tx) (err error) { d, err = tx.Dossier(code); return }); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestStandbyDeskTakesOverOnStop: two desks' clients in one process on one
// database: one leads, the other says it stands by (Status.Standby, for
// the status bar); when the leader's client stops (the app closes) the
// lease ends at once and the other desk leads within the poll, sending
// what was queued meanwhile.
func TestStandbyDeskTakesOverOnStop(t *testing.T) {
	if os.Getenv(deskChildEnv) != "" {
		t.Skip("a desk child")
	}
	dsn := pgtest.DSN(t)
	th := newHubDir(t)
	th.startInProcess()
	var dbs []*postgres.DB
	var cls []*client.Client
	var svcs []*app.Service
	for i := range 2 {
		db, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if i == 0 {
			seedOffice(t, db, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
		}
		svc := app.NewService(db, nil)
		cl, err := client.New(svc, db, client.Config{Logger: quietLogger(), MinBackoff: 20 * time.Millisecond,
			MaxBackoff: 300 * time.Millisecond, Idle: 100 * time.Millisecond, PollWait: 2 * time.Second, CallTimeout: 5 * time.Second,
			Leadership: db.Leadership(200 * time.Millisecond)})
		if err != nil {
			t.Fatal(err)
		}
		dbs, cls, svcs = append(dbs, db), append(cls, cl), append(svcs, svc)
	}
	cls[0].Start(context.Background())
	eventually(t, 10*time.Second, "the first desk to lead", func() bool { s := cls[0].Status(); return s.Running && !s.Standby })
	cls[1].Start(context.Background())
	t.Cleanup(cls[1].Stop)
	time.Sleep(600 * time.Millisecond) // three polls
	if s := cls[1].Status(); !s.Running || !s.Standby || s.Online {
		t.Fatalf("the second desk while the first leads: %+v", s)
	}
	cls[0].Stop()
	if s := cls[0].Status(); s.Running || s.Standby {
		t.Fatalf("the first desk after Stop: %+v", s)
	}
	stopped := time.Now()
	eventually(t, 5*time.Second, "the second desk to lead", func() bool { return !cls[1].Status().Standby })
	took := time.Since(stopped)

	// A transfer queued at the desk that stopped is sent by the other.
	rec, err := svcs[0].User("tiepnhan")
	if err != nil {
		t.Fatal(err)
	}
	d, err := svcs[0].Receive(rec, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Trần Thị Mai", IDType: app.IDCCCD, IDNumber: "038190001234", Address: "Thôn Đông, xã Tân Lập"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svcs[0].Transfer(rec, d.Code, app.TransferInput{ToAgency: deptCode, ToName: "Sở Tư pháp"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the transfer to be sent by the second desk", func() bool {
		return dossierOf(t, dbs[1], d.Code).Transfers[0].State == app.TransferPending
	})
	if got := hubTransfers(t, th, deptCode); len(got) != 1 || got[0].Dossier.DossierCode != d.Code {
		t.Fatalf("the department's transfers: %+v", got)
	}
	// (the receipt also queued its public status for the portal: a queue of its own)
	eventually(t, 5*time.Second, "the outbox to drain", func() bool { s := cls[1].Status(); return s.Pending == 0 && s.Parked == 0 })
	if s := cls[1].Status(); !s.Online {
		t.Errorf("the second desk after sending: %+v", s)
	}
	t.Logf("the second desk led %v after the first stopped (poll 200ms)", took.Round(time.Millisecond))
}

// TestTwoLeadersOverlapSendOnce: for a moment at a takeover two desks may
// both send (the old leader's lease is gone but a call of its is still in
// flight). Here two desks on one database both lead for the whole test
// (app.AlwaysLead) and send the same outbox at once: the hub creates every
// transfer once (same Idempotency-Key), each item is finished once (the
// desk finding it gone leaves the other's record), nothing is parked.
func TestTwoLeadersOverlapSendOnce(t *testing.T) {
	if os.Getenv(deskChildEnv) != "" {
		t.Skip("a desk child")
	}
	dsn := pgtest.DSN(t)
	th := newHubDir(t)
	h, err := hub.OpenWith(th.dir, hub.Options{Logger: quietLogger(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/transfers" {
			posts.Add(1)
		}
		h.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() { h.StopLongPolls(); srv.CloseClientConnections(); srv.Close(); h.Close() })
	th.addr = strings.TrimPrefix(srv.URL, "http://")
	var dbs []*postgres.DB
	for i := range 2 {
		db, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if i == 0 {
			seedOffice(t, db, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
		}
		dbs = append(dbs, db)
	}
	svc := app.NewService(dbs[0], nil)
	rec, err := svc.User("tiepnhan")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for i := range 12 {
		d, err := svc.Receive(rec, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
			Applicant: app.Person{FullName: fmt.Sprintf("Lê Thị Hoa %d", i), IDType: app.IDCCCD, IDNumber: "038190001234", Address: "Thôn Đông, xã Tân Lập"},
			Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transfer(rec, d.Code, app.TransferInput{ToAgency: deptCode, ToName: "Sở Tư pháp"}); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, d.Code)
	}
	var cls []*client.Client
	for _, db := range dbs {
		cl, err := client.New(app.NewService(db, nil), db, client.Config{Logger: quietLogger(), MinBackoff: 20 * time.Millisecond,
			MaxBackoff: 300 * time.Millisecond, Idle: 20 * time.Millisecond, PollWait: 2 * time.Second, CallTimeout: 5 * time.Second,
			Workers: 8, Leadership: app.AlwaysLead{}})
		if err != nil {
			t.Fatal(err)
		}
		cls = append(cls, cl)
	}
	for _, cl := range cls {
		cl.Start(context.Background())
		t.Cleanup(cl.Stop)
	}
	eventually(t, 20*time.Second, "the outbox to drain", func() bool {
		s := cls[0].Status()
		return s.Pending == 0 && s.Parked == 0
	})
	got := hubTransfers(t, th, deptCode)
	seen := map[string]int{}
	for _, tr := range got {
		seen[tr.Dossier.DossierCode]++
	}
	for _, code := range codes {
		d := dossierOf(t, dbs[0], code)
		if seen[code] != 1 || len(d.Transfers) != 1 || d.Transfers[0].State != app.TransferPending {
			t.Errorf("%s: %d on the hub, transfers %+v", code, seen[code], d.Transfers)
		}
		if b := app.VerifyHistory(d.Code, d.History); b != nil {
			t.Errorf("%s: history chain %v", code, b)
		}
	}
	if len(got) != len(codes) {
		t.Errorf("the department has %d transfers, want %d", len(got), len(codes))
	}
	t.Logf("%d transfers created once each from %d POSTs by the two desks", len(codes), posts.Load())
}

package ui

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/hub"
	"motcua/storage"
)

// testOffice is what main's desk is to the UI, over a real database file,
// with the liên thông connection a test sets.
type testOffice struct {
	*storage.Handle
	sync app.Sync
}

func (o *testOffice) Sync() app.Sync { return o.sync }

// env is a UI over a real database file in a temporary folder.
type env struct {
	t     *testing.T
	data  *testOffice
	db    *storage.DB
	svc   *app.Service
	clock *app.FixedClock
	ui    *UI
	// live receives the refreshes the change feed gathered (live.go): the
	// test applies them on its own goroutine (pumpLive), as fyne.Do would.
	live chan *changeBatch
}

// testNow is a Tuesday morning in office hours.
var testNow = time.Date(2025, 4, 29, 9, 0, 0, 0, app.Vietnam)

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Setenv("LANG", "en_US.UTF-8")
	test.NewTempApp(t)
	async := runAsync
	runAsync = func(f func()) { f() } // see runAsync: no goroutine racing the test
	t.Cleanup(func() { runAsync = async })
	clk := &app.FixedClock{T: testNow}
	h, err := storage.OpenHandle(t.TempDir(), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	data := &testOffice{Handle: h}
	svc := data.Service()
	u := New(fyne.CurrentApp(), data, Options{Language: "vi"})
	u.open = func(string) error { return nil }
	live := make(chan *changeBatch, 256)
	u.live.mu.Lock()
	u.live.deliver = func(b *changeBatch) {
		select {
		case live <- b:
		default: // a test that does not follow the feed
		}
	}
	u.live.mu.Unlock()
	t.Cleanup(func() {
		u.unfollow()
		u.idle.stop()
		if u.shell != nil {
			u.shell.stop()
		}
	})
	return &env{t: t, data: data, db: h.Store().(*storage.DB), svc: svc, clock: clk, ui: u, live: live}
}

// setHub connects the interface to s (nil: no hub), as main does when the
// office settings name a hub.
func (e *env) setHub(s app.Sync) {
	e.data.sync = s
	e.ui.hub = s
	e.ui.wireHub()
}

// setUp runs the wizard's use case directly and signs in as a user holding
// every role.
func (e *env) setUp() *app.User {
	e.t.Helper()
	admin, err := e.svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.31.H56", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "matkhau123", Roles: app.AllRoles()},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return admin
}

// signIn opens the main window as u.
func (e *env) signIn(u *app.User) {
	e.t.Helper()
	e.ui.signedIn(u)
	e.ui.win.Resize(fyne.NewSize(1280, 720))
}

// waitFor polls cond on the UI goroutine until it holds (no fixed sleeps).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// findButton returns the button labelled text among the objects drawn
// under root.
func findButton(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(root) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
		if b, ok := o.(*keyButton); ok && b.Text == text {
			return &b.Button
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

// topDialogButton returns the button labelled text in the topmost dialog.
func topDialogButton(t *testing.T, e *env, text string) *widget.Button {
	t.Helper()
	ov := e.ui.win.Canvas().Overlays().Top()
	if ov == nil {
		t.Fatal("no dialog")
	}
	return findButton(t, ov, text)
}

// renderedText joins the texts of the labels drawn under root.
func renderedText(root fyne.CanvasObject) string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(root) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

// afterBackground runs start, which begins a background task, and waits
// until the task has shown its result (UI.bgDone).
func (e *env) afterBackground(start func()) {
	e.t.Helper()
	n := e.ui.bgDone.Load()
	start()
	waitFor(e.t, "the background task", func() bool { return e.ui.bgDone.Load() > n })
}

// startHub serves a real hub (no rate limit, quiet) on 127.0.0.1 for the
// test; quiet is a logger that says nothing, for the clients.
func startHub(t *testing.T) (*hub.Hub, *httptest.Server, *logrus.Logger) {
	t.Helper()
	quiet := logrus.New()
	quiet.SetLevel(logrus.PanicLevel)
	h, err := hub.OpenWith(t.TempDir(), hub.Options{Logger: quiet, RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() { srv.Close(); h.Close() })
	return h, srv, quiet
}

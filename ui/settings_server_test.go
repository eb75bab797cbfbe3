package ui

import (
	"context"
	"fmt"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/storage"
	"motcua/storage/postgres"
)

// The screens of several desks against the run's real PostgreSQL cluster
// (internal/pgtest): the wizard's "Kiểm tra kết nối", a desk joining an
// office set up at another desk, and Cài đặt → Máy chủ moving an office up.

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// serverOffice is what main's desk is to the screens, with the server port:
// a bbolt file until the desk is switched to a PostgreSQL database.
type serverOffice struct {
	*storage.Handle // the one-desk file
	clock           app.Clock

	mu sync.Mutex
	pg *postgres.DB // set once the desk works on the server
	// svc is the service over pg
	svc  *app.Service
	kept app.ServerConn // what Use kept for the next start
}

func (o *serverOffice) Sync() app.Sync { return nil }

func (o *serverOffice) Service() *app.Service {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.svc != nil {
		return o.svc
	}
	return o.Handle.Service()
}

func (o *serverOffice) With(fn func(*app.Service) error) error { return fn(o.Service()) }

func (o *serverOffice) Test(ctx context.Context, c app.ServerConn) (app.ServerInfo, error) {
	c = c.Normalize()
	if err := c.Check(); err != nil {
		return app.ServerInfo{}, err
	}
	p, err := postgres.Check(ctx, postgres.ConnString(c, true))
	return app.ServerInfo{Version: p.Version, Office: p.Office, AgencyName: p.AgencyName}, err
}

func (o *serverOffice) Shared() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pg != nil
}

func (o *serverOffice) Use(c app.ServerConn) (*app.Service, error) {
	db, err := postgres.Open(context.Background(), postgres.ConnString(c.Normalize(), true))
	if err != nil {
		return nil, err
	}
	return o.switchTo(c, db), nil
}

func (o *serverOffice) switchTo(c app.ServerConn, db *postgres.DB) *app.Service {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pg, o.svc, o.kept = db, app.NewService(db, o.clock), c
	return o.svc
}

func (o *serverOffice) MoveUp(c app.ServerConn, p app.Progress) (app.MoveUpReport, *app.Service, error) {
	var rep app.MoveUpReport
	db, err := postgres.Open(context.Background(), postgres.ConnString(c.Normalize(), true))
	if err != nil {
		return rep, nil, err
	}
	moved, err := db.MoveUpWith(o.Handle.Store().(*storage.DB), p)
	if err != nil {
		db.Close()
		return rep, nil, err
	}
	ir, err := app.NewService(db, o.clock).CheckIntegrity(true)
	if err != nil || !ir.OK() {
		db.Close()
		return rep, nil, fmt.Errorf("integrity: %v %v", err, ir)
	}
	rep.Moved, rep.Integrity = moved.String(), *ir
	return rep, o.switchTo(c, db), nil
}

func (o *serverOffice) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pg != nil {
		o.pg.Close()
	}
}

// newServerEnv is newEnv with the server port.
func newServerEnv(t *testing.T) (*env, *serverOffice) {
	t.Helper()
	t.Setenv("LANG", "en_US.UTF-8")
	test.NewTempApp(t)
	async := runAsync
	runAsync = func(f func()) { f() }
	t.Cleanup(func() { runAsync = async })
	clk := &app.FixedClock{T: testNow}
	h, err := storage.OpenHandle(t.TempDir(), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	so := &serverOffice{Handle: h, clock: clk}
	t.Cleanup(so.close)
	u := New(fyne.CurrentApp(), so, Options{Language: "vi", Servers: so})
	u.open = func(string) error { return nil }
	t.Cleanup(func() {
		u.idle.stop()
		if u.shell != nil {
			u.shell.stop()
		}
	})
	u.win.Resize(fyne.NewSize(1280, 900))
	return &env{t: t, data: &testOffice{Handle: h}, db: h.Store().(*storage.DB), svc: h.Service(), clock: clk, ui: u}, so
}

var dbnameRe = regexp.MustCompile(`dbname=(\S+)`)

// fillServer types the cluster's connection into f.
func fillServer(f *serverForm, dsn, user, password string) {
	c := pgtest.Shared()
	f.host.entry.SetText(c.Dir) // the cluster listens on a socket in this folder
	f.port.entry.SetText(strconv.Itoa(c.Port))
	f.database.entry.SetText(dbnameRe.FindStringSubmatch(dsn)[1])
	f.user.entry.SetText(user)
	f.password.entry.SetText(password)
}

func TestSetupWizardServerConnectionTestAndJoiningDesk(t *testing.T) {
	dsn := pgtest.DSN(t)
	if err := pgtest.Shared().CreatePasswordUser(); err != nil {
		t.Fatal(err)
	}
	e, so := newServerEnv(t)
	e.ui.Start()
	s, _ := setupFrom(e)
	oneDesk, server := storeChoices()
	if s.mode == nil || s.mode.Selected != oneDesk {
		t.Fatal("the wizard does not offer Một máy as the default")
	}
	if !s.local.Visible() || s.serverBox.Visible() {
		t.Fatal("Một máy does not show the new office's form")
	}
	s.mode.SetSelected(server)
	if s.local.Visible() || !s.serverBox.Visible() || s.buttons.Visible() {
		t.Fatal("Nhiều máy does not show the server's connection instead of the office form")
	}
	f := s.server

	for _, c := range []struct {
		name, user, password, db string
		port                     int
		want                     string
	}{
		{"wrong password", pgtest.PasswordUser, "sai mật khẩu", "", 0, "Sai tên đăng nhập hoặc mật khẩu của máy chủ PostgreSQL"},
		{"missing database", "motcua", "", "khong_co_csdl", 0, "Máy chủ PostgreSQL không có cơ sở dữ liệu này; hãy tạo cơ sở dữ liệu trước"},
		{"unreachable port", "motcua", "", "", pgtest.Shared().Port + 1, "Không kết nối được máy chủ PostgreSQL: kiểm tra địa chỉ, cổng và mạng"},
		{"unreachable host", "motcua", "", "", -closedPort(t), "Không kết nối được máy chủ PostgreSQL: kiểm tra địa chỉ, cổng và mạng"},
		{"right password", pgtest.PasswordUser, pgtest.PasswordUserPassword, "", 0, "Kết nối thành công: PostgreSQL "},
		{"success", "motcua", "", "", 0, "Kết nối thành công: PostgreSQL "},
	} {
		fillServer(f, dsn, c.user, c.password)
		if c.db != "" {
			f.database.entry.SetText(c.db)
		}
		if c.port > 0 {
			f.port.entry.SetText(strconv.Itoa(c.port))
		}
		if c.port < 0 { // over TCP, to a port nobody listens on
			f.host.entry.SetText("127.0.0.1")
			f.port.entry.SetText(strconv.Itoa(-c.port))
		}
		test.Tap(f.test)
		if !f.answer.Visible() || !strings.HasPrefix(f.answer.Text, c.want) {
			t.Errorf("%s: the answer is %q, want %q", c.name, f.answer.Text, c.want)
		}
		if ok := strings.HasPrefix(c.want, "Kết nối thành công"); ok != (f.info != nil) || ok == s.useServer.Disabled() {
			t.Errorf("%s: tested %v, Dùng máy chủ này enabled %v", c.name, f.info != nil, !s.useServer.Disabled())
		}
	}
	if !strings.HasSuffix(f.answer.Text, "Cơ sở dữ liệu còn trống.") {
		t.Errorf("an empty database: %q", f.answer.Text)
	}
	t.Logf("answer: %s", f.answer.Text)

	// Changing a field forgets the test.
	f.port.entry.SetText("5432")
	if f.info != nil || !s.useServer.Disabled() || f.answer.Visible() {
		t.Error("a changed field keeps the last test's answer")
	}
	fillServer(f, dsn, "motcua", "")
	test.Tap(f.test)
	test.Tap(s.useServer)
	if !so.Shared() || e.ui.svc == e.svc {
		t.Fatal("Dùng máy chủ này did not switch the desk to the server")
	}
	// An empty database: the rest of the wizard, on the server.
	s, _ = setupFrom(e)
	if s.mode != nil || !s.local.Visible() || s.restore.Visible() {
		t.Fatal("after connecting to an empty database the wizard does not ask for the office")
	}
	test.Type(s.name.entry, "UBND xã Tân Lập")
	test.Type(s.governing.entry, "UBND TỈNH THANH HÓA")
	test.Type(s.code.entry, "000.00.31.H56")
	test.Type(s.place.entry, "Tân Lập")
	test.Type(s.username.entry, "admin")
	test.Type(s.fullName.entry, "Lê Văn Quản")
	test.Type(s.pw1.entry, "matkhau123")
	test.Type(s.pw2.entry, "matkhau123")
	test.Tap(s.save)
	if e.ui.shell == nil {
		t.Fatalf("the office was not set up on the server: %q", s.errLine.Text)
	}
	if ok, _ := e.svc.IsSetUp(); ok {
		t.Fatal("the office was set up in the one-desk file instead of the server")
	}

	// A second desk joins: no first administrator, the sign-in screen.
	e2, so2 := newServerEnv(t)
	e2.ui.Start()
	s2, _ := setupFrom(e2)
	s2.mode.SetSelected(server)
	fillServer(s2.server, dsn, "motcua", "")
	test.Tap(s2.server.test)
	want := `Cơ sở dữ liệu đã có dữ liệu của "UBND xã Tân Lập": máy này sẽ dùng chung`
	if !strings.Contains(s2.server.answer.Text, want) {
		t.Errorf("the second desk's test: %q, want %q", s2.server.answer.Text, want)
	}
	test.Tap(s2.useServer)
	if !so2.Shared() || e2.ui.win.Title() != "Một Cửa — Đăng nhập" {
		t.Fatalf("the joining desk shows %q, want the sign-in screen", e2.ui.win.Title())
	}
	usr, err := e2.ui.svc.SignIn("admin", "matkhau123")
	if err != nil || usr.FullName != "Lê Văn Quản" {
		t.Fatalf("signing in at the joining desk: %v", err)
	}
	if so2.kept.Password != "" || so2.kept.User != "motcua" {
		t.Errorf("the desk kept %+v", so2.kept)
	}
}

func TestMoveUpScreenMovesTheOfficeAndTheSequenceContinues(t *testing.T) {
	dsn := pgtest.DSN(t)
	e, so := newServerEnv(t)
	if _, err := e.svc.SeedDemo(testNow); err != nil {
		t.Fatal(err)
	}
	admin, err := e.svc.SignIn("quantri", "demo")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := e.svc.SignIn("tiepnhan", "demo")
	if err != nil {
		t.Fatal(err)
	}
	in := app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Nguyễn Thị Hoa", IDType: app.IDCCCD, IDNumber: "038190001234", Phone: "0912345678", Address: "Thôn Đông"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}}
	before, err := e.svc.Receive(rec, in)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	e.db.View(func(tx app.Tx) error {
		counts, err := tx.CountByState()
		for _, c := range counts {
			n += c
		}
		return err
	})

	e.signIn(admin)
	e.ui.shell.go_("settings")
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	if ss.server == nil {
		t.Fatal("Cài đặt has no Máy chủ tab for the administrator of a one-desk office")
	}
	ss.selectTab("server")
	tab := ss.server
	fillServer(tab.form, dsn, "motcua", "")
	if !tab.move.Disabled() {
		t.Error("Chuyển dữ liệu lên máy chủ is enabled before a connection test")
	}
	test.Tap(tab.form.test)
	if tab.move.Disabled() {
		t.Fatalf("the move stays disabled after a successful test: %q", tab.form.answer.Text)
	}
	test.Tap(tab.move)
	e.afterBackground(func() { test.Tap(topDialogButton(t, e, "Chuyển lên")) })
	if !so.Shared() {
		t.Fatalf("the desk was not switched to the server: %q", tab.form.answer.Text)
	}
	if !strings.Contains(e.ui.lastInfo, fmt.Sprintf("%d hồ sơ", n)) || !strings.Contains(e.ui.lastInfo, "Kiểm tra toàn vẹn trên máy chủ: đạt") {
		t.Errorf("the result says %q", e.ui.lastInfo)
	}
	if e.ui.user == nil || e.ui.user.Username != "quantri" {
		t.Error("the administrator is not signed in on the server")
	}
	// The next code at the server continues the day's numbering.
	rec2, err := e.ui.svc.SignIn("tiepnhan", "demo")
	if err != nil {
		t.Fatal(err)
	}
	after, err := e.ui.svc.Receive(rec2, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := nextCode(t, before.Code); after.Code != want {
		t.Errorf("the first code on the server is %s, want %s (after %s)", after.Code, want, before.Code)
	}
	if _, err := e.ui.svc.Dossier(before.Code); err != nil {
		t.Errorf("the dossier received before the move is not on the server: %v", err)
	}

	// Another one-desk office cannot move into the same database.
	e2, so2 := newServerEnv(t)
	if _, err := e2.svc.SeedDemo(testNow); err != nil {
		t.Fatal(err)
	}
	admin2, _ := e2.svc.SignIn("quantri", "demo")
	e2.signIn(admin2)
	e2.ui.shell.go_("settings")
	ss2 := e2.ui.shell.screens["settings"].(*settingsScreen)
	ss2.selectTab("server")
	fillServer(ss2.server.form, dsn, "motcua", "")
	test.Tap(ss2.server.form.test)
	want := `Không chuyển lên được: cơ sở dữ liệu này đã có dữ liệu của "UBND xã Tân Lập"`
	if !strings.Contains(ss2.server.form.answer.Text, want) || !ss2.server.move.Disabled() {
		t.Errorf("a database holding an office: %q (move enabled: %v)", ss2.server.form.answer.Text, !ss2.server.move.Disabled())
	}
	if so2.Shared() {
		t.Error("the second office was switched")
	}
}

// closedPort is a TCP port of 127.0.0.1 that nothing listens on.
func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// nextCode is code with its last number plus one.
func nextCode(t *testing.T, code string) string {
	i := strings.LastIndex(code, "-")
	n, err := strconv.Atoi(code[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s-%0*d", code[:i], len(code)-i-1, n+1)
}

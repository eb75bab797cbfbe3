package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/storage/postgres"
)

// pgOffice is a desk on the shared PostgreSQL store, as main's sharedHandle
// is to the window.
type pgOffice struct {
	svc *app.Service
	dir string
}

func (o pgOffice) Service() *app.Service                  { return o.svc }
func (o pgOffice) With(fn func(*app.Service) error) error { return fn(o.svc) }
func (o pgOffice) Sync() app.Sync                         { return nil }
func (o pgOffice) DataDir() string                        { return o.dir }
func (o pgOffice) Restore(string, app.Progress) (*app.Service, error) {
	return o.svc, app.E("Restore", app.KindInvalid, app.MsgSharedStoreBackup)
}

// TestDesksSeeEachOtherOnPostgres: two desks, each its own connection pool
// and service, on one PostgreSQL database. The window is desk B's, which
// follows the database's notifications as main does (DB.Changes →
// Service.Announce). What desk A does shows on B's open screens within 2 s:
// a receipt on the home tiles, a hand-over in "Hồ sơ của tôi", a note in the
// open detail screen.
func TestDesksSeeEachOtherOnPostgres(t *testing.T) {
	c, err := pgtest.Start()
	if err != nil {
		if os.Getenv("MOTCUA_REQUIRE_PG") == "1" {
			t.Fatalf("MOTCUA_REQUIRE_PG=1: %v", err)
		}
		fmt.Fprintf(os.Stderr, "### %s: the screens' live updates between desks on bbolt only (%v)\n", pgtest.Banner, err)
		t.Skipf("%s: %v", pgtest.Banner, err)
	}
	defer c.Close()
	dsn, err := c.CreateDB("uilive")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	clk := &app.FixedClock{T: testNow}
	dbA, dbB := open(), open()
	deskA, deskB := app.NewService(dbA, clk), app.NewService(dbB, clk)
	following := make(chan struct{})
	go func() {
		defer close(following)
		dbB.Changes(ctx, func(ch postgres.Change) { deskB.Announce(app.Change{Kind: app.ChangeKind(ch.Kind), Key: ch.Key}) })
	}()
	defer func() { cancel(); <-following }()

	admin, err := deskA.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.31.H56", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "matkhau123", Roles: app.AllRoles()},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Desk B's LISTEN is in place once it hears desk A.
	heard := make(chan struct{}, 1)
	stop := deskB.Subscribe(func(ch app.Change) {
		if ch.Kind == app.ChangeOffice && ch.Key == "inbox_cursor" {
			select {
			case heard <- struct{}{}:
			default:
			}
		}
	})
	for listening := false; !listening; {
		if err := deskA.Store().Update(func(tx app.Tx) error { return tx.SetInboxCursor("") }); err != nil {
			t.Fatal(err)
		}
		select {
		case <-heard:
			listening = true
		case <-time.After(100 * time.Millisecond):
		}
	}
	stop()

	// Desk B's window.
	t.Setenv("LANG", "en_US.UTF-8")
	test.NewTempApp(t)
	async := runAsync
	runAsync = func(f func()) { f() }
	t.Cleanup(func() { runAsync = async })
	u := New(fyne.CurrentApp(), pgOffice{svc: deskB, dir: t.TempDir()}, Options{Language: "vi"})
	live := make(chan *changeBatch, 256)
	u.live.mu.Lock()
	u.live.deliver = func(b *changeBatch) { live <- b }
	u.live.mu.Unlock()
	t.Cleanup(func() {
		u.unfollow()
		u.idle.stop()
		if u.shell != nil {
			u.shell.stop()
		}
	})
	e := &env{t: t, svc: deskB, clock: clk, ui: u, live: live}
	e.signIn(admin)
	s := u.shell
	home := s.screens["home"].(*homeScreen)

	start := time.Now()
	d := e.receivedAt(deskA, admin, "Đỗ Thị Mai")
	e.pumpLive("desk A's receipt on desk B's home tiles", func() bool { return home.tiles[app.StateReceived].Text == "1" })
	t.Logf("desk A's receipt on desk B's home screen after %v (use case, commit, notification, %v gathering, refresh)", time.Since(start), liveDelay)

	start = time.Now()
	if _, err := deskA.Handover(admin, d.Code, app.HandoverInput{ToUser: "admin"}); err != nil {
		t.Fatal(err)
	}
	e.pumpLive("desk A's hand-over on desk B's home", func() bool {
		return home.tiles[app.StateProcessing].Text == "1" && len(home.mine.rows) == 1 && home.mine.rows[0].Code == d.Code
	})
	t.Logf("desk A's hand-over in desk B's Hồ sơ của tôi after %v", time.Since(start))

	s.openDossier(d.Code)
	det := s.detail
	v := det.d.Version
	start = time.Now()
	if _, err := deskA.AddNote(admin, d.Code, "Đã gọi điện cho công dân"); err != nil {
		t.Fatal(err)
	}
	e.pumpLive("desk A's note in desk B's open detail screen", func() bool { return det.d.Version > v })
	t.Logf("desk A's note in desk B's open detail screen after %v", time.Since(start))
	if !strings.Contains(renderedText(det.history), "Đã gọi điện cho công dân") {
		t.Error("the reloaded history lacks desk A's note")
	}
}

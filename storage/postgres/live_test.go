package postgres_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/storage/postgres"
)

// waitChange waits up to d for a change matching ok.
func waitChange(t *testing.T, ch <-chan postgres.Change, d time.Duration, ok func(postgres.Change) bool) (postgres.Change, bool) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case c := <-ch:
			if ok(c) {
				return c, true
			}
		case <-deadline:
			return postgres.Change{}, false
		}
	}
}

// TestChangesReachOtherDesks: what one desk commits reaches another desk's
// change feed within 2 seconds; a rolled-back change never does; after a
// server restart the feed says "resync" and goes on.
func TestChangesReachOtherDesks(t *testing.T) {
	dsn := pgtest.DSN(t)
	setUpOffice(t, openDSN(t, dsn))
	deskA, deskB := openDSN(t, dsn), openDSN(t, dsn)
	ch := make(chan postgres.Change, 100)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { deskA.Changes(ctx, func(c postgres.Change) { ch <- c }); close(done) }()
	defer func() { cancel(); <-done }()
	time.Sleep(200 * time.Millisecond) // LISTEN is in place

	svc := app.NewService(deskB, &app.FixedClock{T: deskDay})
	start := time.Now()
	d, err := svc.Receive(user(t, svc, "tiepnhan"), receiptInput("Đỗ Thị Trực"))
	if err != nil {
		t.Fatal(err)
	}
	isCode := func(c postgres.Change) bool { return c.Kind == "dossier" && c.Key == d.Code }
	if _, ok := waitChange(t, ch, 2*time.Second, isCode); !ok {
		t.Fatal("the receipt did not reach the other desk within 2 s")
	}
	t.Logf("receipt seen by the other desk after %v", time.Since(start))
	if _, err := svc.Handover(user(t, svc, "tiepnhan"), d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := waitChange(t, ch, 2*time.Second, isCode); !ok {
		t.Fatal("the hand-over did not reach the other desk")
	}
	if err := svc.SaveUser(user(t, svc, "admin"), app.UserInput{Username: "tiepnhan2", FullName: "Cán bộ tiepnhan2", Roles: []app.Role{app.RoleReceiver}, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, ok := waitChange(t, ch, 2*time.Second, func(c postgres.Change) bool { return c.Kind == "user" && c.Key == "tiepnhan2" }); !ok {
		t.Fatal("a disabled user did not reach the other desk")
	}

	// Rolled back: nothing announced.
	boom := errors.New("boom")
	deskB.Update(func(tx app.Tx) error {
		x, _ := tx.Dossier(d.Code)
		x.Version++
		x.Summary = "không lưu"
		if err := tx.PutDossier(x); err != nil {
			return err
		}
		return boom
	})
	if c, ok := waitChange(t, ch, 500*time.Millisecond, isCode); ok {
		t.Fatalf("a rolled-back change was announced: %+v", c)
	}

	// A server restart: the feed reconnects and asks for a resync.
	c := pgtest.Shared()
	if c == nil {
		return
	}
	if err := c.StopServer("fast"); err != nil {
		t.Fatal(err)
	}
	if err := c.StartServer(); err != nil {
		t.Fatal(err)
	}
	if _, ok := waitChange(t, ch, 15*time.Second, func(c postgres.Change) bool { return c.Kind == "resync" }); !ok {
		t.Fatal("no resync after the restart")
	}
	d2, err := svc.Receive(user(t, svc, "tiepnhan"), receiptInput("Đỗ Văn Sau"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := waitChange(t, ch, 2*time.Second, func(c postgres.Change) bool { return c.Key == d2.Code }); !ok {
		t.Fatal("no change after the restart")
	}
}

// TestLeaderTakeover: a desk process leads "outbox"; another desk waits; the
// leader is killed (SIGKILL) and the other desk leads within seconds.
func TestLeaderTakeover(t *testing.T) {
	if os.Getenv(pgtest.EnvDSN) != "" {
		t.Skip("child")
	}
	dsn := pgtest.DSN(t)
	openDSN(t, dsn) // schema
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeaderChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), pgtest.EnvDSN+"="+dsn, "MOTCUA_LEADER_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	leading := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "leading") {
				close(leading)
			}
		}
	}()
	select {
	case <-leading:
	case <-time.After(20 * time.Second):
		t.Fatal("the child never led")
	}

	me := openDSN(t, dsn)
	var led atomic.Int64
	var ledAt atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		me.Lead(ctx, "outbox", 300*time.Millisecond, func(lctx context.Context) {
			ledAt.Store(time.Now().UnixNano())
			led.Add(1)
			<-lctx.Done()
		})
		close(done)
	}()
	defer func() { cancel(); <-done }()
	time.Sleep(1500 * time.Millisecond)
	if led.Load() != 0 {
		t.Fatal("two desks lead at once")
	}
	killed := time.Now()
	if err := cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for led.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if led.Load() == 0 {
		t.Fatal("no desk took over within 30 s of the kill")
	}
	t.Logf("took over %v after the leader was killed", time.Duration(ledAt.Load()-killed.UnixNano()).Round(time.Millisecond))
}

// TestLeaderChild leads "outbox" until killed (run by TestLeaderTakeover).
func TestLeaderChild(t *testing.T) {
	if os.Getenv("MOTCUA_LEADER_CHILD") == "" {
		t.Skip("run by TestLeaderTakeover")
	}
	db := openDSN(t, pgtest.DSN(t))
	db.Lead(context.Background(), "outbox", 300*time.Millisecond, func(ctx context.Context) {
		os.Stdout.WriteString("leading\n")
		<-ctx.Done()
	})
}

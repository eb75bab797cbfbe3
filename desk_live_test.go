package main

import (
	"slices"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/pgtest"
)

// liveDesks opens two desks on one fresh PostgreSQL database, as two PCs of
// an office would (openHandle, the composition root's own path), sets the
// office up at desk A and returns the desks and A's receiving officer.
func liveDesks(t testing.TB) (a, b handle, rec *app.User) {
	t.Helper()
	dsn := pgtest.DSN(t)
	open := func() handle {
		h, err := openHandle(config{db: dsn, dataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		return h
	}
	a, b = open(), open()
	svc := a.Service()
	admin, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.01.H22", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH QUẢNG NINH", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SaveUser(admin, app.UserInput{Username: "tiepnhan", FullName: "Cán bộ tiếp nhận", Roles: []app.Role{app.RoleReceiver}, Password: "12345678"}); err != nil {
		t.Fatal(err)
	}
	if rec, err = svc.User("tiepnhan"); err != nil {
		t.Fatal(err)
	}
	return a, b, rec
}

// feedOf subscribes to a desk's change feed.
func feedOf(t testing.TB, h handle) <-chan app.Change {
	ch := make(chan app.Change, 1000)
	cancel := h.Service().Subscribe(func(c app.Change) {
		select {
		case ch <- c:
		default: // a test that stopped reading
		}
	})
	t.Cleanup(cancel)
	return ch
}

// waitFor waits up to d for the change want on ch.
func waitFor(ch <-chan app.Change, want app.Change, d time.Duration) bool {
	deadline := time.After(d)
	for {
		select {
		case c := <-ch:
			if c == want {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// listening waits until desk B hears what desk A commits (its LISTEN
// connection starts in the background when the desk opens).
func listening(t testing.TB, a handle, feed <-chan app.Change) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if err := a.Service().Store().Update(func(tx app.Tx) error { return tx.SetInboxCursor("") }); err != nil {
			t.Fatal(err)
		}
		if waitFor(feed, app.Change{Kind: app.ChangeOffice, Key: "inbox_cursor"}, 100*time.Millisecond) {
			return
		}
	}
	t.Fatal("desk B never heard desk A")
}

func liveReceipt(name string) app.ReceiveInput {
	return app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: name, IDType: app.IDCCCD, IDNumber: "022190001234", Phone: "0912345678", Address: "Thôn Đông"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}}
}

// TestDesksSeeEachOthersReceipts: a receipt at desk A reaches the change
// feed of desk B (another service, another connection pool, the same
// database) in under 2 seconds, through the database's notifications; the
// latency of 20 receipts is measured and logged.
func TestDesksSeeEachOthersReceipts(t *testing.T) {
	a, b, rec := liveDesks(t)
	feed := feedOf(t, b)
	listening(t, a, feed)
	var lat []time.Duration
	for i := 0; i < 20; i++ {
		start := time.Now()
		d, err := a.Service().Receive(rec, liveReceipt("Đỗ Thị Trực"))
		if err != nil {
			t.Fatal(err)
		}
		if !waitFor(feed, app.Change{Kind: app.ChangeDossier, Key: d.Code}, 2*time.Second) {
			t.Fatalf("receipt %s did not reach desk B within 2 s", d.Code)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	t.Logf("receipt at desk A → desk B's feed (use case included), 20 receipts: min %v, median %v, max %v",
		lat[0], lat[len(lat)/2], lat[len(lat)-1])
	// Closing the desk stops its feed: nothing more arrives.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for len(feed) > 0 {
		<-feed
	}
	d, err := a.Service().Receive(rec, liveReceipt("Đỗ Thị Trực"))
	if err != nil {
		t.Fatal(err)
	}
	if waitFor(feed, app.Change{Kind: app.ChangeDossier, Key: d.Code}, 300*time.Millisecond) {
		t.Fatal("a closed desk still hears the database")
	}
}

// BenchmarkDeskChangeLatency: one receipt at desk A until desk B's change
// feed names it (ns/op is the whole round: use case, commit, notification).
func BenchmarkDeskChangeLatency(b *testing.B) {
	a, d2, rec := liveDesks(b)
	feed := feedOf(b, d2)
	listening(b, a, feed)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := a.Service().Receive(rec, liveReceipt("Đỗ Thị Trực"))
		if err != nil {
			b.Fatal(err)
		}
		if !waitFor(feed, app.Change{Kind: app.ChangeDossier, Key: d.Code}, 2*time.Second) {
			b.Fatalf("receipt %s did not reach desk B within 2 s", d.Code)
		}
	}
}

// TestSharedDeskElectsOneHubConnection: the desk built as main builds it
// (a swappable handle over the PostgreSQL store) gives the liên thông client
// the database's leadership, so only one desk of the office sends and polls;
// a one-desk bbolt office leads always (nil: the client's default). A
// wrapper between the desk and the store would silently make every desk a
// leader.
func TestSharedDeskElectsOneHubConnection(t *testing.T) {
	for _, c := range []struct {
		db   string
		want bool
	}{{pgtest.DSN(t), true}, {"", false}} {
		h, err := openHandle(config{db: c.db, dataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		d := newDesk(&swapHandle{h: h}, h.DataDir())
		for _, st := range []app.Store{d.Store(), d.Service().Store()} {
			if got := leadership(st) != nil; got != c.want {
				t.Errorf("db %q, %T: leadership %v, want %v", c.db, st, got, c.want)
			}
		}
		d.Close()
	}
}

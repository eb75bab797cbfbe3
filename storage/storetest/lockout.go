package storetest

import (
	"sync"
	"testing"
	"time"

	"motcua/app"
)

var lockDay = time.Date(2025, 4, 28, 9, 0, 0, 0, app.Vietnam)

// LockOutAcrossDesks checks that failed sign-ins count across desks: a and
// b are two desks on one office database (two connection pools to one
// PostgreSQL database, or two services over one bbolt file). The account is
// kept in the database, so three failures at a and two at b lock it at both,
// and failures typed at the same moment at both desks are all counted (none
// lost to a desk that read the count before the other wrote it).
func LockOutAcrossDesks(t *testing.T, a, b app.Store) {
	t.Helper()
	clk := &app.FixedClock{T: lockDay}
	deskA, deskB := app.NewService(a, clk), app.NewService(b, clk)
	admin, err := deskA.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.01.H22", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH QUẢNG NINH", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tiepnhan", "chuyenvien"} {
		if err := deskA.SaveUser(admin, app.UserInput{Username: name, FullName: "Cán bộ " + name,
			Roles: []app.Role{app.RoleReceiver}, Password: "12345678"}); err != nil {
			t.Fatal(err)
		}
	}

	// One after the other: 3 at desk A, 2 at desk B.
	for i, desk := range []*app.Service{deskA, deskA, deskA, deskB} {
		if _, err := desk.SignIn("tiepnhan", "sai mật khẩu"); app.KindOf(err) != app.KindPermission {
			t.Fatalf("failure %d: %v, want a wrong-password answer", i+1, err)
		}
	}
	_, err = deskB.SignIn("tiepnhan", "sai mật khẩu")
	if app.KindOf(err) != app.KindLocked || app.IDOf(err) != app.MsgAccountLockedNow {
		t.Fatalf("fifth failure (3 at desk A, 2 at desk B): %v, want %q", err, app.MsgAccountLockedNow)
	}
	for name, desk := range map[string]*app.Service{"A": deskA, "B": deskB} {
		if _, err := desk.SignIn("tiepnhan", "12345678"); app.KindOf(err) != app.KindLocked {
			t.Errorf("desk %s: the right password on a locked account: %v, want locked", name, err)
		}
	}
	clk.Advance(16 * time.Minute)
	if _, err := deskB.SignIn("tiepnhan", "12345678"); err != nil {
		t.Fatalf("after 15 minutes: %v", err)
	}

	// At the same moment: 12 failures, 6 at each desk, at once. Exactly the
	// first five count towards the lock (4 wrong-password answers, then the
	// lock); the rest find the account locked.
	var mu sync.Mutex
	answers := map[string]int{}
	var wg sync.WaitGroup
	for i := range 12 {
		desk := deskA
		if i%2 == 1 {
			desk = deskB
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := desk.SignIn("chuyenvien", "sai mật khẩu")
			k := "other: "
			switch {
			case app.KindOf(err) == app.KindPermission:
				k = "wrong"
			case app.KindOf(err) == app.KindLocked && app.IDOf(err) == app.MsgAccountLockedNow:
				k = "locked now"
			case app.KindOf(err) == app.KindLocked:
				k = "locked"
			default:
				if err != nil {
					k += err.Error()
				}
			}
			mu.Lock()
			answers[k]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if answers["wrong"] != 4 || answers["locked now"] != 1 || answers["locked"] != 7 {
		t.Errorf("12 failures at once at two desks: %v, want 4 wrong, 1 locked now, 7 locked", answers)
	}
	u, err := deskA.User("chuyenvien")
	if err != nil {
		t.Fatal(err)
	}
	if !u.LockedUntil.Equal(lockDay.Add(16*time.Minute + 15*time.Minute)) {
		t.Errorf("locked until %v, want %v", u.LockedUntil, lockDay.Add(31*time.Minute))
	}
}

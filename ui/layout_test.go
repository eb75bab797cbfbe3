package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"motcua/app"
)

// The counter PCs run 1366×768; the window opens at 1280×720. No screen may
// need more than that (a wider minimum would push the window off screen).
const maxW, maxH = 1280, 720

func assertFits(t *testing.T, what string, o fyne.CanvasObject) {
	t.Helper()
	if m := o.MinSize(); m.Width > maxW || m.Height > maxH {
		t.Errorf("%s needs %.0f×%.0f, more than %d×%d", what, m.Width, m.Height, maxW, maxH)
	}
}

func TestScreensFitTheCounterResolution(t *testing.T) {
	e := newEnv(t)
	assertFits(t, "setup", newSetupScreen(e.ui).view)
	rcv, err := e.svc.SeedDemo(testNow)
	if err != nil {
		t.Fatal(err)
	}
	assertFits(t, "sign-in", newSignInScreen(e.ui).view)

	e.signIn(rcv)
	s := e.ui.shell
	for _, id := range []string{"home", "receive", "dossiers", "settings", "stats"} {
		s.go_(id)
		assertFits(t, id, s.view)
	}
	r := s.screens["receive"].(*receiveScreen)
	r.filter.SetText("chung thuc ban sao")
	r.filter.OnSubmitted("")
	r.proxy.SetChecked(true)
	assertFits(t, "receive with a procedure and a submitter", s.view)

	ds := s.screens["dossiers"].(*dossiersScreen)
	for _, row := range ds.rows {
		if row.State.Open() {
			s.openDossier(row.Code)
			break
		}
	}
	assertFits(t, "detail", s.view)

	users, _ := e.svc.Users()
	for _, x := range users {
		if x.Has(app.RoleAdmin) {
			admin, err := e.svc.SignIn(x.Username, app.DemoPassword)
			if err != nil {
				t.Fatal(err)
			}
			e.signIn(admin)
		}
	}
	e.ui.shell.go_("settings")
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	for _, tab := range []string{"office", "calendar", "catalogue", "users", "backup", "account"} {
		ss.selectTab(tab)
		assertFits(t, "settings/"+tab, e.ui.shell.view)
	}
	_ = container.NewStack
}

// Opening Thống kê must not widen a window fitted to a small work area
// (1366×768 at 125 %: about 1060 units wide).
func TestStatisticsDoNotWidenTheWindow(t *testing.T) {
	e := newEnv(t)
	rcv, err := e.svc.SeedDemo(testNow)
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(rcv)
	e.ui.shell.go_("stats")
	if e.ui.shell.current != "stats" {
		t.Fatal("no statistics screen")
	}
	if w := e.ui.shell.view.MinSize().Width; w > 1000 {
		t.Errorf("the statistics screen needs %.0f units of width", w)
	}
}

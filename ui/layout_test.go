package ui

import (
	"strings"
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

// TestListAndStatisticsFitAt125Percent: with the longest names the limits
// allow, the dossier list and the statistics need no more width than a
// 1366-pixel screen gives at 125 % (about 1090 units, less the frame); the
// list's filter row alone needed 1056.
func TestListAndStatisticsFitAt125Percent(t *testing.T) {
	e := newEnv(t)
	rcv, err := e.svc.SeedDemo(testNow)
	if err != nil {
		t.Fatal(err)
	}
	users, _ := e.svc.Users()
	var admin *app.User
	for i := range users {
		if users[i].Has(app.RoleAdmin) {
			admin = &users[i]
		}
	}
	unit := strings.Repeat("Phòng Tài nguyên và Môi trường ", 8)[:app.MaxLine]
	if err := e.svc.SaveUser(admin, app.UserInput{Username: "dai", FullName: strings.Repeat("Tôn Nữ ", 14), Unit: unit,
		Roles: []app.Role{app.RoleSpecialist}, Password: "matkhau123"}); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.Receive(rcv, app.ReceiveInput{ProcedureCode: "1.004873",
		Applicant: app.Person{FullName: strings.Repeat("Nguyễn Thị Ánh ", 7)[:app.MaxPersonName], IDType: app.IDCCCD, IDNumber: "022190001234",
			Address: strings.Repeat("Thôn Đông Sơn Thượng, ", 12)[:app.MaxAddress]},
		Summary:   strings.Repeat("Xác nhận tình trạng hôn nhân để đăng ký kết hôn ", 10)[:500],
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Handover(rcv, d.Code, app.HandoverInput{ToUser: "dai", Note: "Chuyển"}); err != nil {
		t.Fatal(err)
	}
	e.signIn(rcv)
	const maxW = 1000
	s := e.ui.shell
	s.go_("dossiers")
	ds := s.screens["dossiers"].(*dossiersScreen)
	long := ""
	for _, o := range ds.procedure.Options {
		if len(o) > len(long) {
			long = o
		}
	}
	ds.procedure.SetSelected(long)
	ds.state.SetSelectedIndex(len(ds.state.Options) - 1)
	ds.search.SetText(d.Applicant.FullName)
	if w := s.view.MinSize().Width; w > maxW {
		t.Errorf("the dossier list needs %.0f units of width", w)
	}
	if w := e.ui.win.Content().MinSize().Width; w > maxW {
		t.Errorf("the window needs %.0f units of width on the dossier list", w)
	}
	s.go_("stats")
	if w := e.ui.win.Content().MinSize().Width; w > maxW {
		t.Errorf("the window needs %.0f units of width on the statistics", w)
	}
	// A failed automatic backup says so in the status bar: it gives way.
	e.ui.backupWarning = strings.Repeat("Chưa sao lưu tự động được: chưa đặt mật khẩu sao lưu. ", 4)
	s.showBackupWarning()
	if w := e.ui.win.Content().MinSize().Width; w > maxW {
		t.Errorf("with a backup warning the window needs %.0f units of width", w)
	}
	if !s.backupBox.Visible() {
		t.Error("the backup warning is not shown")
	}
}

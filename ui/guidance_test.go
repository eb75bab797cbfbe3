package ui

import (
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

func TestIntakeGuidanceIsListedAndReprintable(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	guide := func(name, phone string) {
		t.Helper()
		p, err := e.svc.SearchProcedures("khai sinh")
		if err != nil || len(p) == 0 {
			t.Fatal(err)
		}
		if _, err := e.svc.GuideAtIntake(admin, app.GuideInput{ProcedureCode: p[0].Code,
			Applicant: app.Person{FullName: name, Phone: phone}, Items: []string{"Giấy chứng sinh"}}); err != nil {
			t.Fatal(err)
		}
	}
	guide("Phạm Thị Lan", "0912345678")
	e.clock.T = e.clock.T.AddDate(0, 0, 1)
	guide("Trần Văn Bình", "0987654321")

	// The receive screen has the way in.
	r := e.receiveScreen()
	test.Tap(r.guides)
	g := e.ui.lastGuidance
	if g == nil || len(g.found) != 2 || g.found[0].Applicant.FullName != "Trần Văn Bình" {
		t.Fatalf("list = %+v", g)
	}
	for q, want := range map[string]string{"pham thi": "Phạm Thị Lan", "0987 654": "Trần Văn Bình", "29/04/2025": "Phạm Thị Lan"} {
		g.search.SetText(q)
		if len(g.found) != 1 || g.found[0].Applicant.FullName != want {
			t.Errorf("search %q found %d, want %s", q, len(g.found), want)
		}
	}
	// "In" prints the guidance again: a real PDF naming the citizen.
	var opened string
	e.ui.open = func(p string) error { opened = p; return nil }
	g.search.SetText("binh")
	test.Tap(findButton(t, g.rows, "In"))
	if !strings.Contains(opened, "phieu-huong-dan_") {
		t.Fatalf("printed file %q", opened)
	}
	out, err := exec.Command("pdftotext", opened, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "Trần Văn Bình") || !strings.Contains(string(out), "Giấy chứng sinh") {
		t.Errorf("reprinted guidance:\n%s", out)
	}
}

func TestEveryRoundStaysPrintableFromTheFormsTab(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	d := e.received(admin)
	if _, err := e.svc.Handover(admin, d.Code, app.HandoverInput{ToUser: admin.Username}); err != nil {
		t.Fatal(err)
	}
	for i, item := range []string{"Bản sao sổ hộ khẩu", "Giấy xác nhận cư trú"} {
		if _, err := e.svc.RequestSupplement(admin, d.Code, app.SupplementInput{Items: []string{item}, Reason: "Thiếu"}); err != nil {
			t.Fatal(i, err)
		}
		if _, err := e.svc.ReceiveSupplement(admin, d.Code, ""); err != nil {
			t.Fatal(i, err)
		}
	}
	e.ui.shell.openDossier(d.Code)
	s := e.ui.shell.detail
	var texts []string
	for _, o := range test.LaidOutObjects(s.prints) {
		if b, ok := o.(*widget.Button); ok && b.Text == "In" {
			var opened string
			e.ui.open = func(p string) error { opened = p; return nil }
			test.Tap(b)
			out, err := exec.Command("pdftotext", opened, "-").Output()
			if err != nil {
				t.Fatal(opened, err)
			}
			texts = append(texts, string(out))
		}
	}
	all := strings.Join(texts, "\f")
	for _, item := range []string{"Bản sao sổ hộ khẩu", "Giấy xác nhận cư trú"} {
		if !strings.Contains(all, item) {
			t.Errorf("the round asking for %q cannot be printed again from the forms tab", item)
		}
	}
}

package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"motcua/app"
)

// receiver creates a receiving officer and signs in as them.
func (e *env) receiver(admin *app.User) *app.User {
	e.t.Helper()
	if err := e.svc.SaveUser(admin, app.UserInput{Username: "tiepnhan", FullName: "Nguyễn Thị Hoa", Title: "Công chức Văn phòng - Thống kê",
		Unit: "Bộ phận Một cửa", Roles: []app.Role{app.RoleReceiver}, Password: "matkhau123"}); err != nil {
		e.t.Fatal(err)
	}
	u, err := e.svc.SignIn("tiepnhan", "matkhau123")
	if err != nil {
		e.t.Fatal(err)
	}
	e.signIn(u)
	return u
}

func (e *env) receiveScreen() *receiveScreen {
	e.t.Helper()
	e.ui.shell.go_("receive")
	return e.ui.shell.screens["receive"].(*receiveScreen)
}

func TestReceiveWholeReceiptThenFindIt(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()

	// Type to filter without diacritics, Enter takes the first match.
	test.Type(r.filter, "chung thuc ban sao")
	if len(r.matches) == 0 || r.matches[0].Code != "2.000815" {
		t.Fatalf("filter matches = %v", r.matches)
	}
	r.filter.OnSubmitted(r.filter.Text)
	if r.proc == nil || r.proc.Code != "2.000815" {
		t.Fatal("Enter did not choose the first procedure")
	}
	if len(r.docs) == 0 {
		t.Fatal("the checklist is empty")
	}
	if !strings.Contains(r.due.Text, "Hẹn trả:") {
		t.Errorf("appointment not shown: %q", r.due.Text)
	}
	// per-page fee: 3 pages × 2 copies.
	r.pages.SetText("3")
	r.copies.SetText("2")
	if !strings.Contains(r.feeLabel.Text, " đ") {
		t.Errorf("fee not shown: %q", r.feeLabel.Text)
	}

	test.Type(r.name.entry, "Trần Văn Bình")
	test.Type(r.idNumber.entry, "038090001234")
	test.Type(r.birth.entry, "05/09/1990")
	test.Type(r.phone.entry, "0912 345 678")
	test.Type(r.addr.entry, "Thôn Đông, xã Tân Lập")
	r.docs[1].photo.SetText("2")
	r.paid.SetChecked(true)
	test.Type(r.receiptNo, "BL-0001")
	test.Tap(r.save)
	if r.errLine.Visible() {
		t.Fatalf("save refused: %q", r.errLine.Text)
	}
	d := r.last
	if d == nil || !strings.HasPrefix(d.Code, "000.00.31.H56-250429-") {
		t.Fatalf("no dossier code: %+v", d)
	}
	if r.name.entry.Text != "" || r.proc != nil {
		t.Error("the form was not cleared for the next citizen")
	}

	// In storage.
	got, err := e.svc.Dossier(d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got.Applicant.FullName != "Trần Văn Bình" || got.Applicant.IDNumber != "038090001234" || got.Applicant.BirthDate != "1990-09-05" ||
		got.Applicant.Phone != "0912345678" || got.State != app.StateReceived || got.DueAt.IsZero() {
		t.Errorf("stored dossier = %+v", got)
	}
	if len(got.Fees) != 1 || got.Fees[0].Amount <= 0 || !got.Fees[0].Paid || got.Fees[0].ReceiptNo != "BL-0001" {
		t.Errorf("stored fees = %+v", got.Fees)
	}
	if len(got.Documents) < 2 || got.Documents[1].Photocopies != 2 {
		t.Errorf("stored documents = %+v", got.Documents)
	}

	// In the list screen, by search without diacritics.
	e.ui.shell.search("tran van binh")
	ds := e.ui.shell.screens["dossiers"].(*dossiersScreen)
	if codes := ds.codes(); len(codes) != 1 || codes[0] != d.Code {
		t.Errorf("list search = %v", codes)
	}
}

func TestReceiveRefusesElevenDigitID(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	test.Type(r.filter, "khai sinh")
	r.filter.OnSubmitted(r.filter.Text)
	test.Type(r.name.entry, "Phạm Thị Lan")
	test.Type(r.idNumber.entry, "03809000123") // 11 digits
	test.Tap(r.save)
	if want := "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số"; r.idNumber.message() != want {
		t.Errorf("id message = %q, want %q", r.idNumber.message(), want)
	}
	if !r.errLine.Visible() {
		t.Error("no sentence under the form")
	}
	if c, _ := e.svc.Counts(); c[app.StateReceived] != 0 {
		t.Errorf("a dossier was stored: %v", c)
	}
	// 9 digits CMND: a warning, not an error.
	r.idType.set(app.IDCMND)
	r.idNumber.entry.SetText("123456789")
	if err := r.idNumber.validate(); err != nil || !strings.Contains(r.idNumber.message(), "CMND") {
		t.Errorf("CMND: err %v, message %q", err, r.idNumber.message())
	}
}

func TestReceiveGuidanceAndRefusal(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	test.Type(r.filter, "khai sinh")
	r.filter.OnSubmitted(r.filter.Text)
	test.Type(r.name.entry, "Phạm Thị Lan")
	r.docs[1].check.SetChecked(false) // no birth certificate

	// Saving without a required document is refused with the domain's sentence.
	test.Type(r.idNumber.entry, "038090001234")
	test.Tap(r.save)
	if !strings.Contains(r.errLine.Text, "thiếu giấy tờ bắt buộc") {
		t.Errorf("missing document message = %q", r.errLine.Text)
	}

	test.Tap(r.guide)
	f := e.ui.lastForm
	if f == nil || !strings.Contains(f.fields[0].entry.Text, "Giấy chứng sinh") {
		t.Fatal("the guidance does not list the missing document")
	}
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("guidance refused: %q", f.errLine.Text)
	}

	// Refusal needs a reason.
	test.Type(r.filter, "khai sinh")
	r.filter.OnSubmitted(r.filter.Text)
	test.Type(r.name.entry, "Phạm Thị Lan")
	test.Type(r.idNumber.entry, "038090001234")
	test.Tap(r.refuse)
	f = e.ui.lastForm
	test.Tap(f.submit)
	if f.done || f.fields[0].message() == "" {
		t.Fatal("a refusal without a reason was accepted")
	}
	test.Type(f.fields[0].entry, "Không thuộc thẩm quyền giải quyết của UBND xã")
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("refusal refused: %q", f.errLine.Text)
	}
	if c, _ := e.svc.Counts(); c[app.StateRefused] != 1 {
		t.Errorf("refused count = %v", c)
	}
}

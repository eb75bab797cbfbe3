package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestNameAndAddressLimitsShowAtTheField: the users' and the office's
// forms show the limits at the field when the official leaves the box, and
// nothing is saved; a refusal reason with an emoji is refused at its field.
func TestNameAndAddressLimitsShowAtTheField(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	e.ui.shell.go_("settings")
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	c := e.ui.win.Canvas()

	ss.selectTab("users")
	u := ss.users
	test.Type(u.username.entry, "moi")
	c.Focus(u.fullName.entry)
	test.Type(u.fullName.entry, strings.Repeat("Nguyễn ", 15))
	c.Focus(u.title.entry) // leaving the box checks it
	if !strings.Contains(u.fullName.message(), "Tối đa 100 ký tự") {
		t.Errorf("the 105-letter name says %q", u.fullName.message())
	}
	test.Type(u.title.entry, "Công chức ⭐")
	u.submit()
	if !strings.Contains(u.title.message(), "biểu tượng") {
		t.Errorf("the title with an emoji says %q", u.title.message())
	}
	if _, err := e.svc.User("moi"); err == nil {
		t.Error("the user was saved")
	}

	ss.selectTab("office")
	o := ss.office
	o.address.entry.SetText(strings.Repeat("x", 251))
	o.submit()
	if !strings.Contains(o.address.message(), "Tối đa 250 ký tự") {
		t.Errorf("the 251-letter address says %q", o.address.message())
	}
	if a, _ := e.svc.Agency(); len(a.Address) > 250 {
		t.Error("the address was saved")
	}
}

func TestRefusalReasonLimitsShowAtTheField(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	r.filter.SetText("khai sinh")
	r.filter.OnSubmitted("")
	r.name.entry.SetText("Phạm Thị Lan")
	r.idNumber.entry.SetText("038090001234")
	test.Tap(r.refuse)
	f := e.ui.lastForm
	f.fields[0].entry.SetText("Không thuộc thẩm quyền 🙅")
	f.trySubmit()
	if !strings.Contains(f.fields[0].message(), "biểu tượng") || f.done {
		t.Errorf("the reason with an emoji: %q (closed %v)", f.fields[0].message(), f.done)
	}
	f.fields[0].entry.SetText("Không thuộc thẩm quyền\ncủa UBND xã")
	f.trySubmit()
	if !f.done {
		t.Errorf("a reason on two lines: %q", f.fields[0].message())
	}
}

// TestGuidanceMarksAnOverlongNameOnTheForm: the guidance dialog refuses a
// name over 100 letters and the name box behind it says why.
func TestGuidanceMarksAnOverlongNameOnTheForm(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	r.filter.SetText("khai sinh")
	r.filter.OnSubmitted("")
	r.name.entry.SetText(strings.Repeat("Nguyễn ", 15))
	test.Tap(r.guide)
	f := e.ui.lastForm
	f.fields[0].entry.SetText("Giấy chứng sinh")
	f.trySubmit()
	if f.done {
		t.Fatal("guidance for a 105-letter name was saved")
	}
	if !strings.Contains(r.name.message(), "Tối đa 100 ký tự") {
		t.Errorf("the name box says %q; the dialog %q", r.name.message(), f.errLine.Text)
	}
}

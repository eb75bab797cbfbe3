package ui

import (
	"bytes"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"motcua/app"
	"motcua/forms"
)

func (e *env) onlineSubmission(id, name string, at time.Time, scan []byte) {
	e.t.Helper()
	f, err := app.NewScanFile("to-khai.pdf", scan)
	if err != nil {
		e.t.Fatal(err)
	}
	sub := app.OnlineSubmission{ID: id, Portal: "DVC-H56", PortalRef: "P-" + id, SubmittedAt: at,
		Dossier: app.Dossier{ProcedureCode: "1.004873", Summary: "Xác nhận tình trạng hôn nhân để kết hôn",
			Applicant: app.Person{Kind: app.ApplicantCitizen, FullName: name, IDType: app.IDCCCD, IDNumber: "038190004321", Address: "Thôn Đông, xã Tân Lập"},
			Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1, SHA256: f.SHA256(), MediaType: "application/pdf"}}},
		FormData: map[string]string{"muc_dich": "Đăng ký kết hôn", "noi_dang_ky": "UBND xã Tân Lập"}}
	err = e.db.Update(func(tx app.Tx) error {
		if err := tx.PutScan(f.SHA256(), f.Data); err != nil {
			return err
		}
		return e.svc.ReceiveSubmission(tx, "ev-"+id, sub)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// TestOnlineQueueScreen: the home tile counts the waiting submissions and
// opens the queue; the queue lists them oldest first with the late one
// marked, shows the form data, opens the scan, accepts one (form 01 offered)
// and refuses the other with a reason; the tile goes back to zero.
func TestOnlineQueueScreen(t *testing.T) {
	e := newEnv(t)
	newFakeHub(e)
	admin := e.setUp()
	e.svc.SetForms(forms.Printer{})
	scan := []byte("%PDF-1.4 tờ khai")
	e.onlineSubmission("new", "Nguyễn Văn An", time.Date(2025, 4, 28, 8, 0, 0, 0, app.Vietnam), scan)
	e.onlineSubmission("old", "Lê Thị Bình", time.Date(2025, 4, 25, 10, 0, 0, 0, app.Vietnam), scan)
	var opened []string
	e.ui.open = func(p string) error { opened = append(opened, p); return nil }
	e.signIn(admin)
	s := e.ui.shell
	home := s.screens["home"].(*homeScreen)
	if home.online == nil || home.online.Text != "2" {
		t.Fatalf("home tile: %v", home.online)
	}
	if _, ok := s.buttons["online"]; !ok {
		t.Fatal("no Trực tuyến in the navigation")
	}
	s.go_("online")
	q := s.screens["online"].(*onlineScreen)
	if len(q.rows) != 2 || q.rows[0].ID != "old" || !q.rows[0].Late || q.rows[1].Late {
		t.Fatalf("queue rows %+v", q.rows)
	}
	text := renderedText(q.root)
	for _, want := range []string{"Quá hạn tiếp nhận", "Lê Thị Bình", "muc_dich: Đăng ký kết hôn", "P-old", "đã chờ 3 ngày 23 giờ"} {
		if !strings.Contains(text, want) {
			t.Errorf("queue screen lacks %q:\n%s", want, text)
		}
	}
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		f, err := os.Create(dir + "/online-queue.png")
		if err == nil {
			_ = png.Encode(f, e.ui.win.Canvas().Capture())
			f.Close()
		}
	}
	test.Tap(findButton(t, q.root, "Mở"))
	if len(opened) != 1 {
		t.Fatalf("opened %v", opened)
	}
	if got, err := os.ReadFile(opened[0]); err != nil || !bytes.Equal(got, scan) {
		t.Errorf("the opened file is not the scan: %q %v", got, err)
	}

	// Accept the selected (oldest) one: form 01 is offered.
	test.Tap(findButton(t, q.root, "Tiếp nhận"))
	offer := renderedText(e.ui.win.Canvas().Overlays().Top())
	if !strings.Contains(offer, "000.00.31.H56-250429-0001") {
		t.Errorf("offer dialog: %s", offer)
	}
	topDialogButton(t, e, "Đóng").OnTapped()
	if len(q.rows) != 1 || q.rows[0].ID != "new" {
		t.Fatalf("after accepting: %+v", q.rows)
	}
	d, err := e.svc.Dossier("000.00.31.H56-250429-0001")
	if err != nil || d.Channel != app.ChannelOnline || d.Applicant.FullName != "Lê Thị Bình" {
		t.Fatalf("accepted dossier %+v %v", d, err)
	}

	s.openDossier(d.Code)
	if text := renderedText(s.detail.view()); !strings.Contains(text, "Nộp trực tuyến lúc") || !strings.Contains(text, "10:00 25/04/2025") {
		t.Errorf("detail of the accepted dossier lacks the submission time:\n%s", text)
	}
	s.go_("online")

	// Refuse the other with a reason.
	test.Tap(findButton(t, q.root, "Từ chối"))
	dlg := e.ui.win.Canvas().Overlays().Top()
	e.ui.win.Canvas().Focus(nil)
	for _, o := range test.LaidOutObjects(dlg) {
		if en, ok := o.(*entry); ok {
			test.Type(en, "Không thuộc thẩm quyền")
			break
		}
	}
	test.Tap(topDialogButton(t, e, "Từ chối"))
	waitFor(t, "the queue to empty", func() bool { return len(q.rows) == 0 })
	sb, err := e.svc.Submission("new")
	if err != nil || sb.State != app.SubmissionRefused || sb.Reason != "Không thuộc thẩm quyền" {
		t.Errorf("refused: %+v %v", sb, err)
	}
	s.go_("home")
	if home.online.Text != "0" {
		t.Errorf("home tile after the decisions: %s", home.online.Text)
	}

	// News from the hub: the tile counts it at once, and the open queue
	// keeps the submission being read selected.
	e.onlineSubmission("later", "Phạm Văn Cường", time.Date(2025, 4, 29, 8, 0, 0, 0, app.Vietnam), scan)
	s.hubChanged()
	if home.online.Text != "1" {
		t.Errorf("home tile after a new submission: %s", home.online.Text)
	}
	s.go_("online")
	e.onlineSubmission("latest", "Đỗ Thị Dung", time.Date(2025, 4, 29, 8, 30, 0, 0, app.Vietnam), scan)
	s.hubChanged()
	if len(q.rows) != 2 || q.selected != 0 || q.rows[0].ID != "later" {
		t.Errorf("queue after news: selected %d of %+v", q.selected, q.rows)
	}
}

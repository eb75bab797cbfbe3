package app_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"motcua/app"
)

func fieldMsg(err error, field string) string {
	var e *app.Error
	if !errors.As(err, &e) {
		return ""
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message().Text()
		}
	}
	return ""
}

func TestReceiveRefusesOverlongNamesControlCharactersAndEmoji(t *testing.T) {
	o := newOffice(t)
	for _, c := range []struct {
		name  string
		set   func(in *app.ReceiveInput)
		field string
		want  string
	}{
		{"101-letter name", func(in *app.ReceiveInput) {
			in.Applicant.FullName = strings.Repeat("Nguyễn ", 14) + strings.Repeat("a", 3)
		}, "applicant.full_name", "Tối đa 100 ký tự"},
		{"emoji", func(in *app.ReceiveInput) { in.Applicant.FullName = "Trần Văn Bình 😀" }, "applicant.full_name", "biểu tượng"},
		{"tab", func(in *app.ReceiveInput) { in.Applicant.Address = "Thôn Đông\txã Tân Lập" }, "applicant.address", "ký tự điều khiển"},
		{"251-letter address", func(in *app.ReceiveInput) { in.Applicant.Address = strings.Repeat("x", 251) }, "applicant.address", "Tối đa 250 ký tự"},
		{"future birth date", func(in *app.ReceiveInput) { in.Applicant.BirthDate = time.Now().AddDate(1, 0, 0).Format("2006-01-02") }, "applicant.birth_date", "không được sau hôm nay"},
	} {
		in := receiptInput("1.004873")
		c.set(&in)
		_, err := o.svc.Receive(o.rec, in)
		if got := fieldMsg(err, c.field); !strings.Contains(got, c.want) {
			t.Errorf("%s: %s = %q (%v)", c.name, c.field, got, err)
		}
		if got := fieldMsg(o.svc.CheckReceive(in), c.field); !strings.Contains(got, c.want) {
			t.Errorf("%s: CheckReceive %s = %q", c.name, c.field, got)
		}
	}
	// An organisation may have a 250-letter name, a person 100.
	in := receiptInput("1.004873")
	in.Applicant.Kind = app.ApplicantBusiness
	in.Applicant.IDType, in.Applicant.IDNumber = app.IDTaxCode, "0101234567"
	in.Applicant.FullName = "Công ty " + strings.Repeat("x", 200)
	if _, err := o.svc.Receive(o.rec, in); err != nil {
		t.Errorf("a 208-letter company name: %v", err)
	}
}

func TestCheckReceiveGivesEveryErrorAtOnce(t *testing.T) {
	o := newOffice(t)
	in := receiptInput("1.004873")
	in.Applicant.IDNumber = "0221900012" // 10 digits
	in.Applicant.Phone = "12"
	in.Documents = nil // the required form is missing
	err := o.svc.CheckReceive(in)
	for _, f := range []string{"applicant.id_number", "applicant.phone", "documents"} {
		if fieldMsg(err, f) == "" {
			t.Errorf("no error for %s: %v", f, err)
		}
	}
	if err := o.svc.CheckReceive(receiptInput("1.004873")); err != nil {
		t.Errorf("a good receipt: %v", err)
	}
}

func TestImpossibleDatesAreRefused(t *testing.T) {
	o := newOffice(t)
	d := o.receive()
	// A step deadline before the dossier was received.
	_, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien", Deadline: d.ReceivedAt.AddDate(0, 0, -2)})
	if !strings.Contains(fieldMsg(err, "deadline"), "không được trước") {
		t.Errorf("deadline before receipt: %v", err)
	}
	if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SubmitForApproval(o.spec, d.Code, "Đủ điều kiện"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Approve(o.lead, d.Code, ""); err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]string{"2030-01-01": "không được sau hôm nay", "2025-01-02": "không được trước ngày tiếp nhận"} {
		_, err := o.svc.RecordResult(o.spec, d.Code, app.ResultInput{Kind: "Giấy xác nhận", Number: "1/2025", Date: date, Signer: "Phạm Quốc Việt"})
		if !strings.Contains(fieldMsg(err, "date"), want) {
			t.Errorf("result dated %s: %v", date, err)
		}
	}
	if _, err := o.svc.RecordResult(o.spec, d.Code, app.ResultInput{Kind: "Giấy xác nhận", Number: "1/2025", Date: "2025-04-28", Signer: "Phạm Quốc Việt"}); err != nil {
		t.Errorf("a result dated today: %v", err)
	}
}

func TestHubAddressMustBeAURL(t *testing.T) {
	o := newOffice(t)
	st, err := o.svc.Settings()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"lienthong tinh", "lienthong.tinh.gov.vn", "ftp://x", "https://"} {
		st.HubURL, st.HubKey = bad, "khoa-123"
		if err := o.svc.SaveSettings(o.admin, st); !strings.Contains(fieldMsg(err, "hub_url"), "https://") {
			t.Errorf("%q was accepted or gave %v", bad, err)
		}
	}
	st.HubURL, st.HubKey = "https://lienthong.thanhhoa.gov.vn", ""
	if err := o.svc.SaveSettings(o.admin, st); fieldMsg(err, "hub_key") == "" {
		t.Errorf("a hub without a key: %v", err)
	}
	st.HubKey = "khoa-123"
	if err := o.svc.SaveSettings(o.admin, st); err != nil {
		t.Errorf("a good address: %v", err)
	}
}

func TestAProvisionalReportDoesNotCountADossierDueLaterTodayAsOverdue(t *testing.T) {
	o := newOffice(t) // Monday 28/04/2025 09:00
	in := receiptInput("1.001193")
	in.Documents = []app.SubmittedDocument{{Name: "Tờ khai đăng ký khai sinh", Originals: 1}, {Name: "Giấy chứng sinh (hoặc văn bản của người làm chứng, giấy cam đoan về việc sinh)", Originals: 1}}
	d, err := o.svc.Receive(o.rec, in)
	if err != nil {
		t.Fatal(err)
	}
	if app.DayOf(d.StatsDue) != app.DayOf(o.clk.T) {
		t.Skipf("the procedure is not due the same day: %v", d.StatsDue)
	}
	o.clk.T = d.StatsDue.Add(-time.Hour) // viewed before the appointment
	rep, err := o.svc.Report(app.PeriodMonth(2025, 4, 0), app.ByField)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Provisional || rep.Total.OpenOverdue != 0 || rep.Total.OpenWithin != 1 {
		t.Errorf("provisional=%v overdue=%d within=%d: a dossier due in an hour is not overdue", rep.Provisional, rep.Total.OpenOverdue, rep.Total.OpenWithin)
	}
	o.clk.T = d.StatsDue.Add(time.Hour) // after it
	rep, _ = o.svc.Report(app.PeriodMonth(2025, 4, 0), app.ByField)
	if rep.Total.OpenOverdue != 1 {
		t.Errorf("an hour after the appointment: overdue=%d", rep.Total.OpenOverdue)
	}
}

// TestEveryTextThatReachesPaperIsChecked: the limits of the receive form
// hold in every use case whose text is printed or kept in the registers:
// a supplement, a refusal, a withdrawal, a guidance, a handover note, the
// users' names and titles and the office's name and address.
func TestEveryTextThatReachesPaperIsChecked(t *testing.T) {
	o := newOffice(t)
	long := func(n int) string { return strings.Repeat("a", n) }
	processing := func() *app.Dossier {
		d := o.receive()
		if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		name, field, want string
		call              func() error
	}{
		{"handover note", "note", "biểu tượng", func() error {
			_, err := o.svc.Handover(o.rec, o.receive().Code, app.HandoverInput{ToUser: "chuyenvien", Note: "Gấp 🔥"})
			return err
		}},
		{"supplement item", "items", "Tối đa 250 ký tự", func() error {
			_, err := o.svc.RequestSupplement(o.spec, processing().Code, app.SupplementInput{Items: []string{"Bản sao", long(251)}, Reason: "Thiếu"})
			return err
		}},
		{"supplement reason", "reason", "Tối đa 1000 ký tự", func() error {
			_, err := o.svc.RequestSupplement(o.spec, processing().Code, app.SupplementInput{Items: []string{"Bản sao"}, Reason: long(1001)})
			return err
		}},
		{"stop reason with a tab", "reason", "ký tự điều khiển", func() error {
			_, err := o.svc.Stop(o.lead, processing().Code, "Người yêu cầu\tđề nghị dừng", "")
			return err
		}},
		{"withdrawal", "note", "biểu tượng", func() error {
			_, err := o.svc.Withdraw(o.rec, o.receive().Code, "Xin rút 🙏")
			return err
		}},
		{"refusal", "reason", "Tối đa 1000 ký tự", func() error {
			_, err := o.svc.RefuseAtIntake(o.rec, receiptInput("1.004873"), long(1001))
			return err
		}},
		{"guidance item", "items", "biểu tượng", func() error {
			_, err := o.svc.GuideAtIntake(o.rec, app.GuideInput{ProcedureCode: "1.004873", Applicant: app.Person{FullName: "Trần Văn Bình"},
				Items: []string{"Giấy khai sinh ✅"}, Reason: "Còn thiếu"})
			return err
		}},
		{"guidance name", "applicant.full_name", "Tối đa 100 ký tự", func() error {
			_, err := o.svc.GuideAtIntake(o.rec, app.GuideInput{ProcedureCode: "1.004873", Applicant: app.Person{FullName: long(101)},
				Items: []string{"Giấy khai sinh"}})
			return err
		}},
		{"note", "note", "Tối đa 1000 ký tự", func() error {
			_, err := o.svc.AddNote(o.rec, o.receive().Code, long(1001))
			return err
		}},
		{"user's full name", "full_name", "Tối đa 100 ký tự", func() error {
			return o.svc.SaveUser(o.admin, app.UserInput{Username: "moi", FullName: long(101), Roles: []app.Role{app.RoleReceiver}, Password: "12345678"})
		}},
		{"user's title", "title", "biểu tượng", func() error {
			return o.svc.SaveUser(o.admin, app.UserInput{Username: "moi", FullName: "Hà Văn Mới", Title: "Công chức ⭐", Roles: []app.Role{app.RoleReceiver}, Password: "12345678"})
		}},
		{"office name", "name", "Tối đa 250 ký tự", func() error {
			a, _ := o.svc.Agency()
			a.Name = long(251)
			return o.svc.SaveAgency(o.admin, *a)
		}},
		{"office address", "address", "ký tự điều khiển", func() error {
			a, _ := o.svc.Agency()
			a.Address = "Thôn Đông\nxã Tân Lập"
			return o.svc.SaveAgency(o.admin, *a)
		}},
	} {
		err := c.call()
		if !app.Is(err, app.KindInvalid) {
			t.Errorf("%s: accepted (%v)", c.name, err)
			continue
		}
		if got := fieldMsg(err, c.field); !strings.Contains(got, c.want) {
			t.Errorf("%s: %s = %q (%v)", c.name, c.field, got, err)
		}
	}
	// A reason on several lines is a reason.
	if _, err := o.svc.Withdraw(o.rec, o.receive().Code, "Đơn xin rút hồ sơ\nký ngày 28/4/2025"); err != nil {
		t.Errorf("a two-line withdrawal note: %v", err)
	}
}

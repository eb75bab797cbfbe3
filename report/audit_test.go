package report_test

import (
	"testing"
	"time"

	"motcua/app"
	"motcua/report"
)

func TestAuditXLSXSaysItHoldsPersonalData(t *testing.T) {
	es := []app.AuditEntry{{Seq: 2, At: time.Date(2025, 4, 28, 9, 30, 0, 0, app.Vietnam), User: app.UserRef{Username: "tiepnhan", FullName: "Nguyễn Văn Nhận"},
		Action: app.ActionView, Target: "000.00.01.H22-250428-0001"}}
	b, err := report.AuditXLSX(agency, es, "Hồ sơ: 000.00.01.H22-250428-0001")
	if err != nil {
		t.Fatal(err)
	}
	f, sh := openXLSX(t, b)
	if v, _ := f.GetCellValue(sh, "A1"); v != app.PersonalDataNotice {
		t.Errorf("first row %q", v)
	}
	r := rowValues(t, f, sh, 6)
	if len(r) < 6 || r[1] != "28/04/2025 09:30:00" || r[2] != "Nguyễn Văn Nhận" || r[4] != "Xem thông tin cá nhân trong hồ sơ" || r[5] != "000.00.01.H22-250428-0001" {
		t.Errorf("row %q", r)
	}
}

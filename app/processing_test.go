package app_test

import (
	"testing"
	"time"

	"motcua/app"
)

// TestTheRecordOfProcessing: views, prints and exports land in the
// administration log, in its chain; a refresh is no second view; only an
// administrator reads the log, filtered by person, dossier, action, period.
func TestTheRecordOfProcessing(t *testing.T) {
	o := newOffice(t)
	d := o.receive()
	if err := o.svc.RecordView(o.spec, d.Code); err != nil {
		t.Fatal(err)
	}
	if err := o.svc.RecordView(o.spec, d.Code); err != nil { // a refresh
		t.Fatal(err)
	}
	o.clk.Advance(time.Hour)
	if err := o.svc.RecordView(o.spec, d.Code); err != nil { // an hour later: again
		t.Fatal(err)
	}
	if err := o.svc.RecordView(o.rec, "000.00.01.H22-250428-9999"); app.KindOf(err) != app.KindNotFound {
		t.Errorf("view of no dossier: %v", err)
	}
	if err := o.svc.RecordPrint(o.rec, d.Code, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"); err != nil {
		t.Fatal(err)
	}
	o.clk.Advance(24 * time.Hour)
	if err := o.svc.RecordExport(o.lead, app.ActionExportRegister, "so-theo-doi_DU-LIEU-CA-NHAN.xlsx", "01/04/2025–30/04/2025, 1 hồ sơ"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.svc.AuditLog(o.rec, app.AuditFilter{}); app.KindOf(err) != app.KindPermission {
		t.Fatalf("a receiving officer read the log: %v", err)
	}
	all, _, err := o.svc.AuditLog(o.admin, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if all[0].Action != app.ActionExportRegister || all[0].User.Username != "lanhdao" {
		t.Errorf("newest first: %+v", all[0])
	}
	cases := []struct {
		name string
		f    app.AuditFilter
		want int
	}{
		{"views of the dossier", app.AuditFilter{Target: d.Code, Action: app.ActionView}, 2},
		{"everything on the dossier", app.AuditFilter{Target: d.Code}, 3},
		{"by person", app.AuditFilter{User: "ChuyenVien"}, 2},
		{"prints", app.AuditFilter{Action: app.ActionPrint}, 1},
		{"exports by prefix", app.AuditFilter{Action: "export."}, 1},
		{"period", app.AuditFilter{From: vn(2025, 4, 28, 0, 0), To: vn(2025, 4, 29, 0, 0), Action: "dossier."}, 3},
		{"later period", app.AuditFilter{From: vn(2025, 4, 29, 0, 0)}, 1},
	}
	for _, c := range cases {
		es, _, err := o.svc.AuditLog(o.admin, c.f)
		if err != nil || len(es) != c.want {
			t.Errorf("%s: %d entries (%v), want %d", c.name, len(es), err, c.want)
		}
	}
	// The entries are in the chain the integrity check verifies.
	rep, err := o.svc.CheckIntegrity(true)
	if err != nil || !rep.OK() || rep.Audit != len(all) {
		t.Errorf("integrity: %+v %v (log %d)", rep, err, len(all))
	}
}

func TestMaskID(t *testing.T) {
	for in, want := range map[string]string{
		"036190001245": "0361••••••45",
		"022190001234": "0221••••••34",
		"B1234567":     "••••••67",
		"123":          "•23",
		"12":           "••",
		"":             "",
	} {
		if got := app.MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
}

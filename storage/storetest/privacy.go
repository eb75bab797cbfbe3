package storetest

import (
	"testing"
	"time"

	"motcua/app"
)

// testRecordOfProcessing: the record of processing (issue 18) on any store:
// the backup key survives the settings round trip, views, prints and
// exports are chained into the administration log, the log filters across
// more than one page of Tx.Audit, and the integrity check verifies it.
func testRecordOfProcessing(t *testing.T, b Backend) {
	db := b.Open(t)
	clk := &app.FixedClock{T: day0}
	svc := app.NewService(db, clk)
	admin, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: Agency, Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "matkhau123", Roles: app.AllRoles()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetBackupPassphrase(admin, "Tân Lập giữ dữ liệu 2026"); err != nil {
		t.Fatal(err)
	}
	st, err := svc.Settings()
	if err != nil || st.BackupRecipient == "" || len(st.BackupKey) < 100 {
		t.Fatalf("backup key after the round trip: %q %d %v", st.BackupRecipient, len(st.BackupKey), err)
	}
	d, err := svc.Receive(admin, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Đỗ Thị Mai", IDType: app.IDCCCD, IDNumber: "038190004321", Phone: "0987654321"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	// 1200 views, one every 11 minutes: more than a page of the log.
	for range 1200 {
		if err := svc.RecordView(admin, d.Code); err != nil {
			t.Fatal(err)
		}
		clk.T = clk.T.Add(11 * time.Minute)
	}
	if err := svc.RecordPrint(admin, d.Code, "Giấy tiếp nhận"); err != nil {
		t.Fatal(err)
	}
	es, more, err := svc.AuditLog(admin, app.AuditFilter{Target: d.Code})
	if err != nil || more || len(es) != 1201 || es[0].Action != app.ActionPrint || es[1200].Action != app.ActionView {
		t.Fatalf("log of the dossier: %d entries, more %v, %v", len(es), more, err)
	}
	// The quick check: the full one needs more than the PostgreSQL store offers.
	rep, err := svc.CheckIntegrity(false)
	if err != nil || !rep.OK() || rep.Audit < 1203 {
		t.Errorf("integrity: %+v %v", rep, err)
	}
}

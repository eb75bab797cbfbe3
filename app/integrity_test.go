package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"motcua/app"
	"motcua/storage"
)

// TestIntegrityCheckNamesTamperedRecords edits stored records behind the
// app's back and expects the check to name the dossier and entry.
func TestIntegrityCheckNamesTamperedRecords(t *testing.T) {
	o := newOffice(t)
	a, b := o.receive(), o.receive()
	o.svc.Handover(o.rec, a.Code, app.HandoverInput{ToUser: "chuyenvien"})
	for _, full := range []bool{false, true} {
		rep, err := o.svc.CheckIntegrity(full)
		if err != nil || !rep.OK() || rep.Dossiers != 2 || rep.Audit < 4 {
			t.Fatalf("clean office: %+v %v", rep, err)
		}
	}

	// 1. Rewrite history entry #1 of dossier a: its note changes.
	key := storage.HistoryKey(a.Code, 1)
	raw, err := o.db.RawGet(storage.HistoryBucket(), key)
	if err != nil {
		t.Fatal(err)
	}
	var e app.HistoryEntry
	json.Unmarshal(raw, &e)
	e.Note = "Tiếp nhận hồ sơ (đã sửa)"
	forged, _ := json.Marshal(e)
	if err := o.db.RawPut(storage.HistoryBucket(), key, forged); err != nil {
		t.Fatal(err)
	}
	// 2. Recompute the hash of b's entry too, so only the link to the next one could reveal it… b has one entry,
	// so instead forge its state: the dossier record says "returned" while history says "received".
	d, _ := o.svc.Dossier(b.Code)
	d.State, d.Status = app.StateReturned, app.StatusReturned
	d.Version++
	if err := o.db.Update(func(tx app.Tx) error { return tx.PutDossier(d) }); err != nil {
		t.Fatal(err)
	}

	rep, err := o.svc.CheckIntegrity(true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, br := range rep.Breaks {
		got = append(got, br.String())
	}
	all := strings.Join(got, "\n")
	if len(rep.Breaks) != 3 || !strings.Contains(all, a.Code+" #1: nội dung đã bị sửa") ||
		!strings.Contains(all, b.Code+": mã trạng thái đã bị sửa ngoài chương trình") ||
		!strings.Contains(all, b.Code+": trạng thái xử lý đã bị sửa ngoài chương trình") {
		t.Fatalf("breaks:\n%s", all)
	}
	quick, _ := o.svc.CheckIntegrity(false)
	if quick.OK() {
		t.Error("the start-up check missed a tampered recent dossier")
	}
}

func TestAuditChainTampering(t *testing.T) {
	o := newOffice(t)
	if err := o.db.Update(func(tx app.Tx) error {
		es, err := tx.Audit(0, 1)
		if err != nil {
			return err
		}
		es[0].Note = "sửa"
		return tx.AppendAudit(app.AuditEntry{Seq: 99, PrevHash: es[0].Hash})
	}); err == nil {
		t.Fatal("the audit log accepted an entry that does not chain")
	}
}

func TestImportCatalogue(t *testing.T) {
	o := newOffice(t)
	ps, _ := o.svc.Procedures()
	ps[0].Name = "Đăng ký khai sinh (sửa đổi)"
	data, _ := json.Marshal(ps[:3])
	n, err := o.svc.ImportCatalogue(o.admin, data)
	if err != nil || n != 3 {
		t.Fatalf("import: %d %v", n, err)
	}
	p, _ := o.svc.Procedure(ps[0].Code)
	if p.Name != "Đăng ký khai sinh (sửa đổi)" {
		t.Errorf("not replaced: %s", p.Name)
	}
	bad := []string{`[]`, `{`, `[{"code":"x"}]`, `[{"code":"1.001193","name":"A","field":"B","time":{"kind":"weekly"},"fee":{"kind":"free"},"documents":[{"name":"a"}]}]`}
	for _, b := range bad {
		if _, err := o.svc.ImportCatalogue(o.admin, []byte(b)); !app.Is(err, app.KindInvalid) {
			t.Errorf("%s: %v", b, err)
		}
	}
	if _, err := o.svc.ImportCatalogue(o.rec, data); !app.Is(err, app.KindPermission) {
		t.Errorf("receiver imported a catalogue: %v", err)
	}
}

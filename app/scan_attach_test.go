package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"motcua/app"
)

var (
	pdfScan = []byte("%PDF-1.4\n% tờ khai đã ký\n%%EOF\n")
	jpgScan = append([]byte{0xff, 0xd8, 0xff, 0xe0}, []byte("JFIF giấy chứng sinh")...)
	pngScan = append([]byte("\x89PNG\r\n\x1a\n"), []byte("IHDR trích lục")...)
)

func hexSum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// Scans at intake fill the lines of the papers they copy; nothing else is
// added, a file that is not a PDF/JPEG/PNG or names no paper is refused with
// nothing stored, and a stored scan altered on disk says so when opened.
func TestScansTiedToPapersAtIntake(t *testing.T) {
	o := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	const form = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
	const id = "Bản sao Căn cước"
	in := app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Lê Thị Mai", IDType: app.IDCCCD, IDNumber: "038190001234", Address: "Thôn Đông"},
		Documents: []app.SubmittedDocument{{Name: form, Originals: 1}, {Name: id, Copies: 1}}}

	bad := []struct {
		name  string
		scans []app.ScanFile
	}{
		{"no paper named", []app.ScanFile{{FileName: "to-khai.pdf", Data: pdfScan}}},
		{"unknown paper", []app.ScanFile{{FileName: "to-khai.pdf", Data: pdfScan, For: "Giấy khai sinh"}}},
		{"not a PDF, JPEG or PNG", []app.ScanFile{{FileName: "to-khai.pdf", Data: []byte("MZ\x90 a program"), For: form}}},
	}
	for _, b := range bad {
		in := in
		in.Scans = b.scans
		if _, err := o.svc.Receive(o.rec, in); !app.Is(err, app.KindInvalid) {
			t.Errorf("%s: err %v, want invalid", b.name, err)
		}
		if _, err := o.svc.Scan(hexSum(b.scans[0].Data)); !app.Is(err, app.KindNotFound) {
			t.Errorf("%s: the refused scan was stored (%v)", b.name, err)
		}
	}

	in.Scans = []app.ScanFile{
		{FileName: "to-khai.pdf", Data: pdfScan, For: form},
		{FileName: "cccd.jpg", Data: jpgScan, For: "bản sao căn cước"}, // case and spacing as typed
	}
	d, err := o.svc.Receive(o.rec, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Documents) != 2 {
		t.Fatalf("documents %+v: a scan added a line", d.Documents)
	}
	want := []struct {
		data  []byte
		media string
		file  string
	}{{pdfScan, "application/pdf", "to-khai.pdf"}, {jpgScan, "image/jpeg", "cccd.jpg"}}
	for i, w := range want {
		doc := d.Documents[i]
		if doc.SHA256 != hexSum(w.data) || doc.Size != int64(len(w.data)) || doc.MediaType != w.media || doc.FileName != w.file {
			t.Errorf("line %d: %+v", i, doc)
		}
		if doc.Photocopies != 0 {
			t.Errorf("line %d counts a photocopy for its scan: %+v", i, doc)
		}
		got, err := o.svc.Scan(doc.SHA256)
		if err != nil || !bytes.Equal(got, w.data) {
			t.Errorf("line %d: scan read back %q, %v", i, got, err)
		}
	}

	// A supplement's paper becomes a line with its scan; a paper of the
	// dossier can be scanned after intake.
	if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.RequestSupplement(o.spec, d.Code, app.SupplementInput{Items: []string{"Trích lục ghi chú ly hôn"}, Reason: "Thiếu"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.AttachScans(o.rec, d.Code, nil); !app.Is(err, app.KindInvalid) {
		t.Errorf("no scans: %v", err)
	}
	got, err := o.svc.AttachScans(o.rec, d.Code, []app.ScanFile{{FileName: "trich-luc.png", Data: pngScan, For: "Trích lục ghi chú ly hôn"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Documents) != 3 || got.Documents[2].Name != "Trích lục ghi chú ly hôn" || got.Documents[2].SHA256 != hexSum(pngScan) ||
		got.Documents[2].MediaType != "image/png" {
		t.Fatalf("after the supplement's scan: %+v", got.Documents)
	}
	if h := got.History[len(got.History)-1]; h.Action != app.ActNote || !bytes.Contains([]byte(h.Note), []byte("trich-luc.png")) {
		t.Errorf("history %+v", h)
	}
	if err := app.VerifyHistory(got.Code, got.History); err != nil {
		t.Error(err)
	}

	// The scan is altered on disk: opening it says so.
	if err := o.db.Tamper().EditScan(hexSum(pdfScan), func(c []byte) { c[len(c)-2] ^= 1 }); err != nil {
		t.Fatal(err)
	}
	_, err = o.svc.Scan(hexSum(pdfScan))
	var e *app.Error
	if !app.Is(err, app.KindOther) || !errors.As(err, &e) || e.ID != app.MsgScanDigest {
		t.Errorf("tampered scan: %v", err)
	}
	if b, err := o.svc.Scan(hexSum(jpgScan)); err != nil || !bytes.Equal(b, jpgScan) {
		t.Errorf("the other scan: %v", err)
	}
}

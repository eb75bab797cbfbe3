package client_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"motcua/app"
	"motcua/client"
	"motcua/storage"
)

// TestExportedOfficeSendsFromANewComputer exports a commune whose transfer
// (two scans) has not reached the hub yet, brings the file up in a fresh
// data folder and lets the new computer's client run: the pending transfer
// sends, both scans reach the department byte for byte, and the result file
// the department sends back opens at the new computer.
func TestExportedOfficeSendsFromANewComputer(t *testing.T) {
	th := newHubDir(t)
	th.startInProcess()
	f := &flow{t: t, th: th,
		com: newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode]),
		dep: newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])}
	f.com.cl.Stop() // the old computer goes offline before it could send
	f.transfer("Đặng Thị Thu Hương")
	if st := f.com.cl.Status(); f.com.pending(app.OutboxTransfer) != 1 {
		t.Fatalf("outbox before the export: %+v", st)
	}
	out := filepath.Join(t.TempDir(), "usb", "tanlap.db")
	if _, err := f.com.db.WriteBackup(out, nil); err != nil {
		t.Fatal(err)
	}

	// The new computer: the exported file is its whole data folder.
	h, err := storage.OpenHandle(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if _, err := h.Restore(out, nil); err != nil {
		t.Fatal(err)
	}
	com := &office{t: t, code: communeCode, store: h.Store(), svc: h.Service(), rec: f.com.rec, spec: f.com.spec, lead: f.com.lead}
	for i := range f.attSHA {
		if !com.blobEquals(f.attSHA[i], f.att[i]) {
			t.Fatalf("scan %d did not travel in the exported file", i)
		}
	}
	com.cl, err = client.New(com.svc, com.store, client.Config{Logger: quietLogger(), MinBackoff: 20 * time.Millisecond,
		MaxBackoff: 300 * time.Millisecond, Idle: 50 * time.Millisecond, PollWait: 5 * time.Second, CallTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	com.cl.Start(context.Background())
	t.Cleanup(com.cl.Stop)
	f.com = com

	f.arrive() // checks both scans at the department, byte for byte
	f.process(nil)
	eventually(t, wait, "the result to reach the new computer", func() bool { return com.dossier(f.d.Code).State == app.StateResolved })
	res := com.dossier(f.d.Code).Result
	if res == nil || len(res.Files) != 1 || !com.blobEquals(res.Files[0].SHA256, "%PDF-1.4 Giấy xác nhận tình trạng hôn nhân số 123/XN cho "+f.d.Code) {
		t.Fatalf("result file at the new computer: %+v", res)
	}
	eventually(t, wait, "the new computer's outbox to drain", com.drained)
}

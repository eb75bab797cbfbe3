package client_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"motcua/api"
	"motcua/app"
	"motcua/forms"
	"motcua/hub"
)

// These tests run two offices (a commune and a department), each with its
// own bbolt file, service and client, against a real hub on 127.0.0.1.

const wait = 30 * time.Second

// flow is one dossier's journey, with hooks between the steps where a test
// takes the hub down.
type flow struct {
	t         *testing.T
	com, dep  *office
	th        *testHub
	d         *app.Dossier
	local     string
	id        string
	att       [2]string // contents of the two attachments
	attSHA    [2]string
	resultSHA string
}

func (f *flow) transfer(name string) {
	t := f.t
	f.d = f.com.receive(name)
	var docs []app.SubmittedDocument
	for i := range f.att {
		f.att[i] = fmt.Sprintf("%%PDF-1.4 bản quét %d của %s %s", i+1, f.d.Code, strings.Repeat("x", 3000*(i+1)))
		sha, n := f.com.putBlob(f.att[i])
		f.attSHA[i] = sha
		docs = append(docs, app.SubmittedDocument{Name: []string{"Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "Bản sao CCCD"}[i],
			SHA256: sha, Size: n, MediaType: "application/pdf", Copies: i})
	}
	if _, err := f.com.svc.Transfer(f.com.rec, f.d.Code, app.TransferInput{ToAgency: deptCode, ToName: "Sở Tư pháp",
		Note: "Đề nghị xác minh", Attachments: docs}); err != nil {
		t.Fatal(err)
	}
	f.com.cl.Kick()
}

// arrive waits for the incoming transfer at the department and accepts it.
func (f *flow) arrive() {
	t := f.t
	eventually(t, wait, "the transfer to reach the department", func() bool {
		for _, in := range f.dep.pendingIncoming() {
			if in.Dossier.Code == f.d.Code {
				f.id = in.ID
				return true
			}
		}
		return false
	})
	for i := range f.attSHA {
		if !f.dep.blobEquals(f.attSHA[i], f.att[i]) {
			t.Fatalf("attachment %d not downloaded intact", i)
		}
	}
	local, err := f.dep.svc.AcceptIncoming(f.dep.rec, f.id)
	if err != nil {
		t.Fatal(err)
	}
	f.local = local.Code
	f.dep.cl.Kick()
}

// process runs the department's work: handover (4), supplement (5),
// supplement received (4), draft, approval, result with a file (9).
func (f *flow) process(mid func()) {
	t := f.t
	dep := f.dep
	must := func(_ *app.Dossier, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(dep.svc.Handover(dep.rec, f.local, app.HandoverInput{ToUser: "chuyenvien"}))
	must(dep.svc.RequestSupplement(dep.spec, f.local, app.SupplementInput{Items: []string{"Trích lục bản án ly hôn"}, Reason: "Cần xác minh"}))
	dep.cl.Kick()
	if mid != nil {
		mid()
	}
	must(dep.svc.ReceiveSupplement(dep.rec, f.local, "Công dân đã bổ sung"))
	must(dep.svc.SubmitForApproval(dep.spec, f.local, "Đủ điều kiện cấp"))
	must(dep.svc.Approve(dep.lead, f.local, "Đồng ý"))
	content := "%PDF-1.4 Giấy xác nhận tình trạng hôn nhân số 123/XN cho " + f.d.Code
	sha, n := dep.putBlob(content)
	f.resultSHA = sha
	must(dep.svc.RecordResult(dep.spec, f.local, app.ResultInput{Kind: "Giấy xác nhận tình trạng hôn nhân", Number: "123/XN",
		Date: time.Now().In(app.Vietnam).Format("2006-01-02"), Signer: "Phạm Quốc Việt", Summary: "Xác nhận chưa đăng ký kết hôn",
		Files: []app.SubmittedDocument{{Name: "Giấy xác nhận 123/XN", SHA256: sha, Size: n, MediaType: "application/pdf"}}}))
	dep.cl.Kick()
}

// resultBack waits for the commune to see the result, returns it to the
// citizen and waits for status 10 to reach the hub and the department.
func (f *flow) resultBack() {
	t := f.t
	eventually(t, wait, "the result to reach the commune", func() bool {
		return f.com.dossier(f.d.Code).State == app.StateResolved
	})
	cd := f.com.dossier(f.d.Code)
	if cd.Result == nil || len(cd.Result.Files) != 1 || cd.Result.Files[0].SHA256 != f.resultSHA || !f.com.hasScan(f.resultSHA) {
		t.Fatalf("result at the commune: %+v", cd.Result)
	}
	if _, err := f.com.svc.Return(f.com.rec, f.d.Code, app.ReturnInput{To: f.d.Applicant.FullName}); err != nil {
		t.Fatal(err)
	}
	f.com.cl.Kick()
	eventually(t, wait, "status 10 to reach the department", func() bool {
		in := f.dep.incoming(f.id)
		return in != nil && in.State == app.TransferCompleted
	})
	var tr api.Transfer
	f.th.get(communeCode, "/v1/transfers/"+f.id, &tr)
	if tr.State != api.StateCompleted || tr.LastStatus == nil || tr.LastStatus.StatusCode != api.StatusReturned || tr.Dossier.StatusCode != api.StatusReturned {
		t.Fatalf("hub snapshot: state %s last %+v", tr.State, tr.LastStatus)
	}
}

// check asserts that both sides ended consistent and every event was
// applied exactly once.
func (f *flow) check() {
	t := f.t
	eventually(t, wait, "both outboxes to drain", func() bool { return f.com.drained() && f.dep.drained() })
	cd := f.com.dossier(f.d.Code)
	want := []app.Action{app.ActReceive, app.ActTransfer, app.ActTransferUpdate /* accepted */, app.ActTransferUpdate, /* 4 */
		app.ActTransferSupplement /* 5: a round opens here */, app.ActTransferResume /* 4: the papers reached the department */, app.ActTransferResult /* 9 */, app.ActReturn}
	if got := actions(cd); !sameActions(got, want) {
		t.Errorf("commune history %v, want %v", got, want)
	}
	if b := app.VerifyHistory(cd.Code, cd.History); b != nil {
		t.Errorf("commune chain: %v", b)
	}
	ref := cd.Transfers[0]
	if ref.ID != f.id || ref.State != app.TransferCompleted || ref.StatusCode != app.StatusResolved {
		t.Errorf("commune transfer ref %+v", ref)
	}
	if cd.State != app.StateReturned || cd.Status != app.StatusReturned {
		t.Errorf("commune dossier %s/%d", cd.State, cd.Status)
	}
	ld := f.dep.dossier(f.local)
	wantDep := []app.Action{app.ActReceive, app.ActHandover, app.ActRequestSupplement, app.ActReceiveSupplement,
		app.ActSubmitApproval, app.ActApprove, app.ActRecordResult, app.ActTransferReturned /* returned by the sender: closed here */}
	if got := actions(ld); !sameActions(got, wantDep) {
		t.Errorf("department history %v, want %v", got, wantDep)
	}
	if ld.Reference != f.d.Code || ld.ReferenceTransfer != f.id || ld.State != app.StateReturned {
		t.Errorf("department dossier ref %s/%s state %s", ld.Reference, ld.ReferenceTransfer, ld.State)
	}
	// 10 closed the department's copy: in no queue; the commune prints the
	// hand-over receipt of the department's result.
	if ov, open, _ := f.dep.queues(f.local); ov || open {
		t.Errorf("the returned copy is still in a queue at the department: overdue %v open %v", ov, open)
	}
	wantText(t, "result receipt at the commune", f.com.form(forms.KindResultReceipt, cd), "TRẢ KẾT QUẢ", "123/XN", f.d.Applicant.FullName)
	// Counted once (§3.6): by the commune as a dossier it received and
	// resolved, by the department as an inter-agency task.
	now := time.Now()
	for _, o := range []*office{f.com, f.dep} {
		rep, err := o.svc.Statistics(now.AddDate(0, 0, -3), now.AddDate(0, 0, 2), app.ByField)
		if err != nil {
			t.Fatal(err)
		}
		task := app.InterAgencyTasks{Received: 1, Resolved: 1}
		if o == f.com && (rep.Total.Received() < 1 || rep.Total.Resolved() != 1 || rep.InterAgency.Any()) ||
			o == f.dep && (rep.Total.Received() != 0 || rep.InterAgency != task) {
			t.Errorf("%s statistics: received %d resolved %d, inter-agency %+v", o.code, rep.Total.Received(), rep.Total.Resolved(), rep.InterAgency)
		}
	}
	var tr api.Transfer
	f.th.get(deptCode, "/v1/transfers/"+f.id, &tr)
	if in := f.dep.incoming(f.id); in.Version != int(tr.Version) || in.LocalCode != f.local {
		t.Errorf("department incoming v%d local %s, hub v%d", in.Version, in.LocalCode, tr.Version)
	}
	// ack, 4, 5, 4, 9 by the department and 10 by the commune: 1 + 6 changes.
	if tr.Version != 7 {
		t.Errorf("hub transfer version %d, want 7 (no duplicated call)", tr.Version)
	}
}

func TestEndToEndTransfer(t *testing.T) {
	th := newHubDir(t)
	th.startInProcess()
	f := &flow{t: t, th: th,
		com: newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode]),
		dep: newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])}
	f.transfer("Lê Thị Mai")
	f.arrive()
	f.process(nil)
	f.resultBack()
	f.check()
	if s := f.com.cl.Status(); !s.Online || !s.Running || s.Standby || s.LastOK.IsZero() {
		t.Errorf("status %+v", s)
	}
	dir, err := f.com.cl.Directory(t.Context())
	if err != nil || len(dir) != 2 {
		t.Errorf("directory %+v %v", dir, err)
	}
}

// TestEndToEndHubKilled SIGKILLs the hub child process in the middle of the
// flow, keeps both offices working while it is down (their outboxes grow),
// and restarts it: nothing is lost, nothing is applied twice.
func TestEndToEndHubKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the hub binary")
	}
	th := newHubDir(t)
	th.startChild()
	f := &flow{t: t, th: th,
		com: newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode]),
		dep: newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])}
	f.transfer("Lê Thị Mai")

	// Kill right after the transfer left: whatever was in flight is retried.
	eventually(t, wait, "the transfer to be sent", func() bool { return f.com.drained() })
	th.kill()
	// While the hub is down the commune goes on receiving and transferring.
	var more []*flow
	for i := range 3 {
		g := &flow{t: t, th: th, com: f.com, dep: f.dep}
		g.transfer(fmt.Sprintf("Người thứ %d", i+2))
		more = append(more, g)
	}
	eventually(t, wait, "the commune to notice the hub is down", func() bool {
		s := f.com.cl.Status()
		return !s.Online && f.com.pending(app.OutboxTransfer) == 3 && s.LastError != "" // and the public faces
	})
	th.startChild()
	f.arrive()
	f.process(func() {
		// Kill again while the department's status calls are queued.
		th.kill()
		eventually(t, wait, "the department to notice the hub is down", func() bool { return !f.dep.cl.Status().Online })
	})
	if s := f.dep.cl.Status(); s.Pending < 3 {
		t.Errorf("department outbox %d items while the hub is down, want ≥ 3", s.Pending)
	}
	th.startChild()
	f.resultBack()
	f.check()
	for _, g := range more {
		g.arrive()
	}
	eventually(t, wait, "every acknowledgement to reach the commune", func() bool {
		for _, g := range more {
			if d := f.com.dossier(g.d.Code); d.Transfers[0].State != app.TransferAccepted {
				return false
			}
		}
		return f.com.drained() && f.dep.drained()
	})
	for _, g := range more {
		if got := actions(f.com.dossier(g.d.Code)); len(got) != 3 {
			t.Errorf("%s: history %v, want receive, transfer, accepted", g.d.Code, got)
		}
	}
}

// TestParkedItemDoesNotBlockOthers sends a transfer the hub refuses (an
// agency it does not know): the item is parked with the problem, the next
// dossier still goes through, and Retry sends the parked one once the hub
// knows the agency.
func TestParkedItemDoesNotBlockOthers(t *testing.T) {
	th := newHubDir(t)
	th.startInProcess()
	com := newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
	dep := newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])
	const unknown = "000.00.09.H56"
	bad := com.receive("Hoàng Văn Nam")
	if _, err := com.svc.Transfer(com.rec, bad.Code, app.TransferInput{ToAgency: unknown}); err != nil {
		t.Fatal(err)
	}
	good := com.receive("Đỗ Thị Lan")
	if _, err := com.svc.Transfer(com.rec, good.Code, app.TransferInput{ToAgency: deptCode}); err != nil {
		t.Fatal(err)
	}
	com.cl.Kick()
	eventually(t, wait, "the bad item to park and the good one to arrive", func() bool {
		s := com.cl.Status()
		return s.Parked == 1 && s.Pending == 0 && len(dep.pendingIncoming()) == 1
	})
	var items []app.OutboxItem
	_ = com.store.View(func(tx app.Tx) (err error) { items, err = tx.OutboxItems(0); return err })
	if len(items) != 1 || !items[0].Parked || items[0].Queue != bad.Code || !strings.Contains(items[0].Problem, "validation-failed") {
		t.Fatalf("parked item %+v", items)
	}
	if _, err := th.h.AddAgencyLevel(unknown, "UBND xã Mới", "", api.LevelCommune); err != nil {
		t.Fatal(err)
	}
	if err := com.svc.RetryOutbox(com.rec, items[0].ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, wait, "the retried item to be sent", func() bool { return com.drained() })
	if d := com.dossier(bad.Code); d.Transfers[0].State != app.TransferPending || !strings.HasPrefix(d.Transfers[0].ID, "tr") {
		t.Errorf("retried transfer %+v", d.Transfers[0])
	}
}

// TestEndToEndLostResponses makes the hub execute every first call and lose
// its answer (blob uploads, creation, ack, each status): the clients retry
// with the same idempotency keys and the hub replays — one transfer, one
// event per change, version 7 at the end.
func TestEndToEndLostResponses(t *testing.T) {
	th := newHubDir(t)
	lost := th.startLossy()
	f := &flow{t: t, th: th,
		com: newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode]),
		dep: newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])}
	f.transfer("Lê Thị Mai")
	f.arrive()
	f.process(nil)
	f.resultBack()
	f.check()
	// 2 + 1 blob PUTs, 1 create, 1 ack, 1 status path per transfer (the
	// path is the same for every status), at least.
	if n := lost(); n < 5 {
		t.Errorf("only %d answers were lost", n)
	}
}

// TestStaleVersionRefetchesSnapshot makes the commune's recorded version of
// the transfer stale before it reports status 10: the hub answers 412, the
// client fetches the snapshot and retries with its version.
func TestStaleVersionRefetchesSnapshot(t *testing.T) {
	th := newHubDir(t)
	th.startInProcess()
	f := &flow{t: t, th: th,
		com: newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode]),
		dep: newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])}
	f.transfer("Lê Thị Mai")
	f.arrive()
	f.process(nil)
	eventually(t, wait, "the result to reach the commune", func() bool { return f.com.dossier(f.d.Code).State == app.StateResolved })
	if err := f.com.store.Update(func(tx app.Tx) error {
		d, err := tx.Dossier(f.d.Code)
		if err != nil {
			return err
		}
		d.Transfers[0].Version = 2
		d.Version++
		return tx.PutDossier(d)
	}); err != nil {
		t.Fatal(err)
	}
	f.resultBack()
	f.check()
}

// TestExpiredCursorResyncs prunes the department's feed while it is away:
// its cursor answers 410 and the client resyncs from the transfer list —
// every transfer is there once.
func TestExpiredCursorResyncs(t *testing.T) {
	th := newHubDir(t)
	th.opts = hub.Options{EventRetention: time.Nanosecond, IdempotencyRetention: 24 * time.Hour}
	th.startInProcess()
	com := newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
	dep := newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])
	first := &flow{t: t, th: th, com: com, dep: dep}
	first.transfer("Người thứ nhất")
	eventually(t, wait, "the first transfer to arrive", func() bool { return len(dep.pendingIncoming()) == 1 })
	dep.cl.Stop()
	var codes []string
	for i := range 3 {
		g := &flow{t: t, th: th, com: com, dep: dep}
		g.transfer(fmt.Sprintf("Người thứ %d", i+2))
		codes = append(codes, g.d.Code)
	}
	eventually(t, wait, "the commune to send them", func() bool { return com.drained() })
	if n, _, err := th.h.Prune(); err != nil || n < 4 {
		t.Fatalf("pruned %d events: %v", n, err)
	}
	dep.restartClient()
	eventually(t, wait, "the resync to bring every transfer", func() bool { return len(dep.pendingIncoming()) == 4 })
	for _, in := range dep.pendingIncoming() {
		if in.Version != 1 || len(in.Dossier.Documents) != 2 || !dep.hasScan(in.Dossier.Documents[0].SHA256) || !dep.hasScan(in.Dossier.Documents[1].SHA256) {
			t.Errorf("incoming %s: v%d, %d documents", in.Dossier.Code, in.Version, len(in.Dossier.Documents))
		}
	}
	// The feed goes on after the resync: an acceptance reaches the commune.
	in := dep.pendingIncoming()[0]
	if _, err := dep.svc.AcceptIncoming(dep.rec, in.ID); err != nil {
		t.Fatal(err)
	}
	dep.cl.Kick()
	eventually(t, wait, "the acceptance to reach the commune", func() bool {
		return com.dossier(in.Dossier.Code).Transfers[0].State == app.TransferAccepted
	})
}

package client_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"motcua/api"
	"motcua/app"
	"motcua/forms"
	"motcua/hub"
)

// A group procedure through the real hub between three offices (issue 13.3,
// 13.4, 13.5, 13.9): the commune receives a birth registration with the
// scans of its papers, sends it to the police for the residence registration,
// and — once that leg has come back with its result — sends it on to the
// social insurance for the child's health insurance card. The legs share a
// group id; each is a row of the commune's control sheet, named by agency;
// every scan and result file arrives byte for byte; each recipient sees the
// commune by name with its note, finds its dossier by the commune's code, and
// the commune's history names the official of the other agency and when
// they acted.

const (
	policeCode    = "000.00.21.H56" // residence registration
	insuranceCode = "000.00.02.H56" // health insurance card
	policeName    = "Công an huyện Triệu Sơn"
	insuranceName = "Bảo hiểm xã hội tỉnh Thanh Hóa"
	communeName   = "UBND xã Tân Lập"
)

// newHub3 is a hub data folder with the commune, the police and the social
// insurance (the department of newHubDir stays, unused).
func newHub3(t *testing.T) *testHub {
	t.Helper()
	th := newHubDir(t)
	h, err := hub.OpenWith(th.dir, hub.Options{Logger: quietLogger(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct{ code, name string }{{policeCode, policeName}, {insuranceCode, insuranceName}} {
		k, err := h.AddAgencyLevel(a.code, a.name, "000.00.00.H56", api.LevelOther)
		if err != nil {
			t.Fatal(err)
		}
		th.keys[a.code] = k
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	return th
}

// takeIn waits for a transfer of dossier code at o, checks what the list
// shows, and accepts it.
func takeIn(t *testing.T, o *office, code, note string) (app.IncomingTransfer, *app.Dossier) {
	t.Helper()
	var in app.IncomingTransfer
	eventually(t, wait, o.code+" to receive "+code, func() bool {
		for _, x := range o.pendingIncoming() {
			if x.Dossier.Code == code {
				in = x
				return true
			}
		}
		return false
	})
	if in.FromName != communeName || in.Note != note {
		t.Errorf("%s's incoming list: from %q (%s), note %q", o.code, in.FromName, in.FromAgency, in.Note)
	}
	local, err := o.svc.AcceptIncoming(o.rec, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	o.cl.Kick()
	// The commune's code (on the citizen's receipt) finds the local dossier.
	p, err := o.svc.List(app.Query{Text: code, Limit: 10})
	if err != nil || len(p.Items) != 1 || p.Items[0].Code != local.Code {
		t.Errorf("%s: search by the sender's code %s: %+v %v", o.code, code, p.Items, err)
	}
	return in, local
}

// resolve runs a recipient's work to a result carrying one file.
func resolve(t *testing.T, o *office, code, kind, number, content string) string {
	t.Helper()
	must := func(_ *app.Dossier, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(o.svc.Handover(o.rec, code, app.HandoverInput{ToUser: "chuyenvien"}))
	must(o.svc.SubmitForApproval(o.spec, code, "Đủ điều kiện"))
	must(o.svc.Approve(o.lead, code, "Đồng ý"))
	f, err := app.NewScanFile(number+".pdf", []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	must(o.svc.RecordResult(o.spec, code, app.ResultInput{Kind: kind, Number: number,
		Date: time.Now().In(app.Vietnam).Format("2006-01-02"), Signer: "Phạm Quốc Việt", Summary: kind, Scans: []app.ScanFile{f}}))
	o.cl.Kick()
	return f.SHA256()
}

func TestGroupProcedureThroughThreeOffices(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	th := newHub3(t)
	th.startChild() // a real hub process, SIGKILLed twice below
	com := newOffice(t, communeCode, communeName, th.URL(), th.keys[communeCode])
	pol := newOffice(t, policeCode, policeName, th.URL(), th.keys[policeCode])
	ins := newOffice(t, insuranceCode, insuranceName, th.URL(), th.keys[insuranceCode])

	// The counter: the birth registration with the scans of its two papers.
	form := []byte("%PDF-1.4\n% Tờ khai đăng ký khai sinh của cháu Lê Minh An\n" + strings.Repeat("x", 40000) + "\n%%EOF\n")
	cert := append([]byte{0xff, 0xd8, 0xff, 0xe0}, []byte("Giấy chứng sinh số 123/GCS "+strings.Repeat("y", 20000))...)
	const paper1, paper2 = "Tờ khai đăng ký khai sinh", "Giấy chứng sinh (hoặc văn bản của người làm chứng, giấy cam đoan về việc sinh)"
	d, err := com.svc.Receive(com.rec, app.ReceiveInput{ProcedureCode: "1.001193", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Lê Văn Hùng", IDType: app.IDCCCD, IDNumber: "038090001234", Address: "Thôn Đông, xã Tân Lập"},
		Summary:   "Đăng ký khai sinh, thường trú, cấp thẻ BHYT cho cháu Lê Minh An",
		Documents: []app.SubmittedDocument{{Name: paper1, Originals: 1}, {Name: paper2, Originals: 1}},
		Scans: []app.ScanFile{{FileName: "scan-0001.pdf", Data: form, For: paper1},
			{FileName: "scan-0002.jpg", Data: cert, For: paper2}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Documents) != 2 || d.Documents[0].SHA256 == "" || d.Documents[1].SHA256 == "" {
		t.Fatalf("scans not on their papers: %+v", d.Documents)
	}

	// Leg 1: to the police. Nothing else can be sent while it is live.
	if _, err := com.svc.Transfer(com.rec, d.Code, app.TransferInput{ToAgency: policeCode, ToName: policeName,
		Note: "Đăng ký thường trú cho trẻ"}); err != nil {
		t.Fatal(err)
	}
	com.cl.Kick()
	if _, err := com.svc.Transfer(com.rec, d.Code, app.TransferInput{ToAgency: insuranceCode, ToName: insuranceName}); err == nil {
		t.Fatal("a second transfer while the first is live")
	}
	cd := com.dossier(d.Code)
	if acts := app.DossierActions(cd, com.rec, true); contains(acts, app.ActTransfer) {
		t.Errorf("transfer offered while a leg is live: %v", acts)
	}
	in1, loc1 := takeIn(t, pol, d.Code, "Đăng ký thường trú cho trẻ")
	if in1.GroupID != d.Code {
		t.Errorf("leg 1 group %q, want %q", in1.GroupID, d.Code)
	}
	for i, want := range [][]byte{form, cert} {
		got, err := pol.svc.Scan(loc1.Documents[i].SHA256)
		if err != nil || !bytes.Equal(got, want) || loc1.Documents[i].Name != []string{paper1, paper2}[i] {
			t.Fatalf("police: scan %d %q: %v", i, loc1.Documents[i].Name, err)
		}
	}
	residence := "%PDF-1.4 Xác nhận đăng ký thường trú cho cháu Lê Minh An " + strings.Repeat("z", 5000)
	resSHA := resolve(t, pol, loc1.Code, "Xác nhận thông tin về cư trú", "45/XNCT", residence)
	// The hub dies while the police's result is on its way; it comes back.
	th.kill()
	th.startChild()
	pol.cl.Kick()

	// The commune: the leg came back with its result; it may be sent on.
	eventually(t, wait, "leg 1's result at the commune", func() bool {
		cd = com.dossier(d.Code)
		return cd.State == app.StateResolved && len(cd.Transfers) == 1 && cd.Transfers[0].State == app.TransferCompleted
	})
	if !com.blobEquals(resSHA, residence) {
		t.Fatal("the police's result file did not arrive intact")
	}
	if acts := app.DossierActions(cd, com.rec, true); !contains(acts, app.ActTransfer) {
		t.Fatalf("send-on not offered after the leg completed: %v", acts)
	}
	h := cd.History[len(cd.History)-1]
	if h.User.Agency != policeName || !strings.HasPrefix(h.ActorText(), "Trần Đức Thắng, Chuyên viên") || h.ActedAt.IsZero() || h.ActedAt.After(h.At) {
		t.Errorf("result entry by %q acted %v recorded %v", h.ActorText(), h.ActedAt, h.At)
	}

	// Leg 2: sent on to the social insurance, same group, carrying the
	// police's result.
	if _, err := com.svc.Transfer(com.rec, d.Code, app.TransferInput{ToAgency: insuranceCode, ToName: insuranceName,
		Note: "Cấp thẻ BHYT cho trẻ dưới 6 tuổi"}); err != nil {
		t.Fatal(err)
	}
	com.cl.Kick()
	if counts, err := com.svc.Counts(); err != nil || counts[app.StateTransferred] != 1 || counts[app.StateResolved] != 0 {
		t.Errorf("commune counts after sending on: %v %v", counts, err)
	}
	if od, _ := com.svc.Dossier(d.Code); !od.State.Open() || !od.FinishedAt.IsZero() {
		t.Errorf("sent on but not open again: %s finished %v", od.State, od.FinishedAt)
	}
	// The hub dies again, while the second leg is being handed over.
	th.kill()
	th.startChild()
	com.cl.Kick()
	in2, loc2 := takeIn(t, ins, d.Code, "Cấp thẻ BHYT cho trẻ dưới 6 tuổi")
	if in2.GroupID != d.Code || in2.ID == in1.ID {
		t.Errorf("leg 2: group %q id %s (leg 1 %s)", in2.GroupID, in2.ID, in1.ID)
	}
	if n := len(loc2.Documents); n != 3 {
		t.Fatalf("the insurance got %d documents, want the two papers and the residence result: %+v", n, loc2.Documents)
	}
	for _, want := range [][]byte{form, cert, []byte(residence)} {
		found := false
		for _, doc := range loc2.Documents {
			if got, err := ins.svc.Scan(doc.SHA256); err == nil && bytes.Equal(got, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("the insurance lacks a file of %d bytes", len(want))
		}
	}
	card := "%PDF-1.4 Thẻ BHYT số TE1383812345678 " + strings.Repeat("w", 3000)
	cardSHA := resolve(t, ins, loc2.Code, "Thẻ bảo hiểm y tế", "TE1383812345678", card)
	eventually(t, wait, "leg 2's result at the commune", func() bool {
		cd = com.dossier(d.Code)
		return cd.State == app.StateResolved && len(cd.Transfers) == 2 && cd.Transfers[1].State == app.TransferCompleted
	})
	if cd.Result == nil || cd.Result.Number != "TE1383812345678" || len(cd.Result.Files) != 1 || !com.blobEquals(cardSHA, card) {
		t.Fatalf("the card at the commune: %+v", cd.Result)
	}
	if cd.Transfers[0].GroupID != cd.Transfers[1].GroupID || cd.Transfers[0].State != app.TransferCompleted {
		t.Errorf("legs: %+v", cd.Transfers)
	}

	// The citizen gets everything; status 10 reaches both agencies.
	if _, err := com.svc.Return(com.rec, d.Code, app.ReturnInput{To: "Lê Văn Hùng"}); err != nil {
		t.Fatal(err)
	}
	com.cl.Kick()
	eventually(t, wait, "status 10 at both agencies", func() bool {
		a, b := pol.incoming(in1.ID), ins.incoming(in2.ID)
		return a != nil && b != nil && a.State == app.TransferCompleted && b.State == app.TransferCompleted
	})
	for _, id := range []string{in1.ID, in2.ID} {
		var tr api.Transfer
		th.get(communeCode, "/v1/transfers/"+id, &tr)
		if tr.GroupID != d.Code || tr.State != api.StateCompleted || tr.LastStatus == nil || tr.LastStatus.StatusCode != api.StatusReturned {
			t.Errorf("hub snapshot of %s: group %q state %s last %+v", id, tr.GroupID, tr.State, tr.LastStatus)
		}
	}
	eventually(t, wait, "every outbox to drain", func() bool { return com.drained() && pol.drained() && ins.drained() })
	// At each agency, the commune's return is on the history, by the
	// commune's official, named with the commune.
	for _, x := range []struct {
		o    *office
		code string
	}{{pol, loc1.Code}, {ins, loc2.Code}} {
		ld := x.o.dossier(x.code)
		e := ld.History[len(ld.History)-1]
		if e.ActorText() != "Nguyễn Thị Hằng, Công chức Một cửa ("+communeName+")" || e.ActedAt.IsZero() {
			t.Errorf("%s: the return noted by %q at %v", x.o.code, e.ActorText(), e.ActedAt)
		}
	}
	// The commune's queues: the dossier is returned, nothing left open.
	counts, err := com.svc.Counts()
	if err != nil || counts[app.StateReturned] != 1 || counts[app.StateTransferred] != 0 || counts[app.StateResolved] != 0 {
		t.Errorf("commune counts %v %v", counts, err)
	}
	cd = com.dossier(d.Code)
	if err := app.VerifyHistory(cd.Code, cd.History); err != nil {
		t.Errorf("commune history: %v", err)
	}

	// The control sheet: a row per leg, named by agency, no internal ids.
	ag := app.Agency{Code: communeCode, Name: communeName, GoverningBody: "UBND TỈNH THANH HÓA", Place: "Thanh Hóa", Level: app.LevelCommune}
	pdf, err := forms.ControlSheet(forms.Office{Agency: ag}, cd)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "control.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Liên thông: " + policeName, "Liên thông: " + insuranceName,
		"Cơ quan phối hợp giải quyết hồ sơ: " + policeName + " (" + policeCode + "); " + insuranceName + " (" + insuranceCode + ")"} {
		if !strings.Contains(text, want) {
			t.Errorf("control sheet lacks %q:\n%s", want, text)
		}
	}
	for _, id := range []string{in1.ID, in2.ID} {
		if strings.Contains(text, id) {
			t.Errorf("control sheet prints the transfer id %s", id)
		}
	}
	legs := 0
	for _, l := range cd.Legs {
		if l.TransferID != "" {
			legs++
		}
	}
	if legs != 2 {
		t.Errorf("%d transfer legs on the control sheet, want 2: %+v", legs, cd.Legs)
	}
}

func contains(acts []app.Action, a app.Action) bool {
	for _, x := range acts {
		if x == a {
			return true
		}
	}
	return false
}

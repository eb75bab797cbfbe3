package client_test

import (
	"strings"
	"testing"
	"time"

	"motcua/api"
	"motcua/app"
)

// TestDigestsTravelToTheHubAndCatchARewrite: the office's daily digest goes
// through the outbox to the real hub over HTTP; the full check compares with
// the hub's copy (clean); a forger who rewrites a chain and re-seals the day
// on the PC is named by the check (the hub's copy differs), and the hub
// refuses the re-sealed digest (the outbox item is parked with the reason).
func TestDigestsTravelToTheHubAndCatchARewrite(t *testing.T) {
	th := newHubDir(t)
	th.startInProcess()
	c := newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
	// The dossiers are received yesterday: that day is over and gets sealed.
	yesterday := app.NewService(c.db, &app.FixedClock{T: time.Now().Add(-24 * time.Hour)})
	var codes []string
	for _, name := range []string{"Nguyễn Văn An", "Trần Thị Bình"} {
		d, err := yesterday.Receive(c.rec, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
			Applicant: app.Person{FullName: name, IDType: app.IDCCCD, IDNumber: "038190001234", Address: "Thôn Đông, xã Tân Lập"},
			Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, d.Code)
	}
	today := c.svc
	today.SetDigestSource(c.cl)
	if n, err := today.SealDigests(); err != nil || n != 1 {
		t.Fatalf("sealed %d: %v", n, err)
	}
	local, err := today.Digests("", "")
	if err != nil || len(local) != 1 || local[0].Chains != 2 {
		t.Fatalf("local digests %+v %v", local, err)
	}
	date := local[0].Date
	c.cl.Kick()
	var kept api.DailyDigest
	eventually(t, 10*time.Second, "the digest to reach the hub", func() bool { return c.drained() })
	th.get(communeCode, "/v1/digests/"+date, &kept)
	if kept.Digest != local[0].Digest || kept.Chains != 2 || kept.HeadsSHA != local[0].HeadsSHA {
		t.Fatalf("hub keeps %+v, office %+v", kept, local[0])
	}
	rep, err := today.CheckIntegrityWith(app.CheckOptions{Full: true})
	if err != nil || !rep.OK() || rep.HubDigests != 1 || rep.HubError != "" {
		t.Fatalf("clean office against the hub: %+v %v", rep, err)
	}

	// The forger rewrites b's receipt note and makes the PC agree with itself.
	raw := c.db.Tamper()
	if err := raw.RewriteHistory(codes[1], func(e *app.HistoryEntry) bool { e.Note += " (đã sửa)"; return true }); err != nil {
		t.Fatal(err)
	}
	if err := raw.RewriteHeads(codes[1]); err != nil {
		t.Fatal(err)
	}
	if err := raw.DeleteDigestsFrom(date); err != nil {
		t.Fatal(err)
	}
	rep, err = today.CheckIntegrityWith(app.CheckOptions{Full: true}) // seals the day again, from the forged data
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, br := range rep.Breaks {
		lines = append(lines, br.String())
	}
	t.Logf("full check against the hub after the rewrite:\n%s", strings.Join(lines, "\n"))
	if len(rep.Breaks) != 1 || rep.Breaks[0].Kind != app.BreakHubDigest || rep.Breaks[0].Day != date {
		t.Errorf("findings %+v", rep.Breaks)
	}
	c.cl.Kick()
	eventually(t, 10*time.Second, "the re-sealed digest to be refused and parked", func() bool { return c.cl.Status().Parked == 1 })
	th.get(communeCode, "/v1/digests/"+date, &kept)
	if kept.Digest != local[0].Digest {
		t.Errorf("the hub's copy changed: %+v", kept)
	}
}

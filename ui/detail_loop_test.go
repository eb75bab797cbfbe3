package ui

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"motcua/app"
	"motcua/forms"
)

// A dossier whose receiving agency asked for a supplement (liên thông,
// issue 13): the counter sees the round with the agency's request, "Tiếp
// nhận bổ sung", what to do next, and no local stop.
func TestDetailOfADossierTheReceivingAgencyAsksToSupplement(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	d := e.received(admin)
	if _, err := e.svc.Transfer(admin, d.Code, app.TransferInput{ToAgency: "000.00.01.H56", ToName: "Sở Tư pháp"}); err != nil {
		t.Fatal(err)
	}
	// The hub's answers, as the client applies them.
	var ti app.TransferIntent
	err := e.db.Update(func(tx app.Tx) error {
		items, err := tx.OutboxItems(0)
		if err != nil {
			return err
		}
		for _, it := range items {
			if it.Kind == app.OutboxTransfer {
				if err := json.Unmarshal(it.Payload, &ti); err != nil {
					return err
				}
			}
		}
		if err := e.svc.TransferSent(tx, d.Code, ti.LocalRef, "tr_1", 1); err != nil {
			return err
		}
		ev := app.TransferEvent{ID: "e2", Type: app.EventAccepted, TransferID: "tr_1", Version: 2, DossierCode: d.Code,
			FromAgency: "000.00.31.H56", ToAgency: "000.00.01.H56", Ack: &app.TransferAck{Accepted: true, LocalCode: "X"}}
		if err := e.svc.ApplyEvent(tx, ev); err != nil {
			return err
		}
		ev = app.TransferEvent{ID: "e3", Type: app.EventStatusChanged, TransferID: "tr_1", Version: 3, DossierCode: d.Code,
			FromAgency: "000.00.31.H56", ToAgency: "000.00.01.H56", OccurredAt: testNow,
			Status: &app.TransferStatus{Status: app.StatusSupplement, Note: "Cần xác minh", Actor: app.Actor{Name: "Trần Đức Thắng"},
				OccurredAt: testNow, Supplement: &app.SupplementRequest{Request: "Trích lục bản án ly hôn", Deadline: testNow.AddDate(0, 0, 10)}}}
		return e.svc.ApplyEvent(tx, ev)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(admin)
	e.ui.shell.openDossier(d.Code)
	s := e.ui.shell.detail
	if s.d.State != app.StateSupplement {
		t.Fatalf("state %s", s.d.State)
	}
	acts := buttonActions(s)
	if !slices.Contains(acts, app.ActReceiveSupplement) || slices.Contains(acts, app.ActStop) {
		t.Errorf("buttons %v", acts)
	}
	if txt := renderedText(s.actions); !strings.Contains(txt, "mẫu 02") || !strings.Contains(txt, "Sở Tư pháp") {
		t.Errorf("actions say:\n%s", txt)
	}
	if txt := renderedText(s.rounds); !strings.Contains(txt, "Trích lục bản án ly hôn") || !strings.Contains(txt, lang.L("Yêu cầu của nơi nhận liên thông")) {
		t.Errorf("rounds say:\n%s", txt)
	}
	if txt := renderedText(s.prints); !strings.Contains(txt, s.u.formTitle(forms.KindSupplement)) {
		t.Errorf("forms tab offers:\n%s", txt)
	}

	// The counter receives the papers (with the dialog's scans field): they
	// go on to the agency and the dossier is transferred again.
	test.Tap(s.buttons[app.ActReceiveSupplement])
	f := e.ui.lastForm
	if len(f.fields) != 2 || f.fields[1].name != "scans" {
		t.Fatalf("receive-supplement dialog fields %d", len(f.fields))
	}
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("refused: %q", f.errLine.Text)
	}
	got, err := e.svc.Dossier(d.Code)
	if err != nil || got.State != app.StateTransferred || got.Transfers[len(got.Transfers)-1].Purpose != app.PurposeSupplement {
		t.Fatalf("after the papers: %s %+v (%v)", got.State, got.Transfers, err)
	}
}

package app

import (
	"slices"
	"testing"
	"time"
)

func TestDossierActionsAnswerTransferAndRecall(t *testing.T) {
	spec := &User{Username: "cv", Roles: []Role{RoleSpecialist}}
	rec := &User{Username: "tn", Roles: []Role{RoleReceiver}}
	d := &Dossier{State: StateProcessing}
	if got := DossierActions(d, spec, false); slices.Contains(got, ActTransfer) {
		t.Errorf("transfer offered without a hub: %v", got)
	}
	if got := DossierActions(d, spec, true); !slices.Contains(got, ActTransfer) || slices.Contains(got, ActRecall) {
		t.Errorf("processing, connected: %v", got)
	}
	d = &Dossier{State: StateTransferred, Transfers: []TransferRef{{State: TransferPending}}}
	for _, c := range []struct {
		u         *User
		connected bool
		want      bool
	}{{spec, true, true}, {spec, false, false}, {rec, true, MayPerform(rec, ActTransfer)}} {
		if got := slices.Contains(DossierActions(d, c.u, c.connected), ActRecall); got != c.want {
			t.Errorf("recall for %s connected=%v: %v, want %v", c.u.Username, c.connected, got, c.want)
		}
	}
	d.Transfers[0].State = TransferAccepted
	if MayRecall(d, spec, true) {
		t.Error("recall of an accepted transfer")
	}
}

func TestStepDeadlineTakesTheAppointmentsTime(t *testing.T) {
	day := time.Date(2026, 2, 3, 0, 0, 0, 0, Vietnam)
	due := time.Date(2026, 2, 10, 10, 30, 0, 0, Vietnam)
	if got := StepDeadline(day, due); !got.Equal(time.Date(2026, 2, 3, 10, 30, 0, 0, Vietnam)) {
		t.Errorf("with an appointment: %v", got)
	}
	if got := StepDeadline(day, time.Time{}); !got.Equal(time.Date(2026, 2, 3, 17, 0, 0, 0, Vietnam)) {
		t.Errorf("without: %v", got)
	}
}

func TestRateWithNothingResolvedIsNoRate(t *testing.T) {
	if v, ok := (ReportRow{}).Rate(); ok || v != 0 {
		t.Errorf("empty row: %v %v", v, ok)
	}
	if s := (ReportRow{}).RateText(); s != "–" {
		t.Errorf("empty row prints %q", s)
	}
	r := ReportRow{Early: 1, OnTime: 2, Late: 1}
	if s := r.RateText(); s != "75,0" {
		t.Errorf("3 of 4 prints %q", s)
	}
}

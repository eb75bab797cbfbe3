package hub

import (
	"net/http"
	"testing"

	"motcua/api"
)

// The extensions of issue 13 (docs/central-api-extensions.md, "Liên thông
// that closes the loop"): a supplement or result follows its transfer, every
// supplement round goes through, and the sender reports fees paid (4 after 6).

func TestSupplementFollowsItsTransfer(t *testing.T) {
	e := newEnv(t)
	base := sample(dept)
	tr := e.mustCreate(commune, base)
	sup := base
	sup.Purpose, sup.Follows = api.PurposeSupplement, tr.ID

	// Only once the followed transfer is accepted.
	e.create(commune, sup).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	e.ack(dept, tr.ID, true).want(t, http.StatusOK, nil)

	// Follows must name a transfer between the caller and to_agency, and a
	// process transfer follows nothing.
	bad := sup
	bad.Follows = "tr_nope"
	if p := e.create(commune, bad).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed); len(p.Errors) == 0 || p.Errors[0].Pointer != "/follows" {
		t.Errorf("unknown follows: %+v", p)
	}
	bad = sup
	bad.ToAgency = stranger
	e.create(commune, bad).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	bad = base
	bad.Follows = tr.ID
	e.create(commune, bad).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)

	var s1 api.Transfer
	e.create(commune, sup).want(t, http.StatusCreated, &s1)
	if s1.Follows != tr.ID || s1.Purpose != api.PurposeSupplement {
		t.Fatalf("supplement %+v", s1)
	}
	// While the first round is not acknowledged a second one is a duplicate…
	if p := e.create(commune, sup).wantProblem(t, http.StatusConflict, api.CodeDuplicateTransfer); p.TransferID != s1.ID {
		t.Errorf("duplicate names %q, want %s", p.TransferID, s1.ID)
	}
	// …once acknowledged, the next round goes through.
	e.ack(dept, s1.ID, true).want(t, http.StatusOK, nil)
	s2 := e.mustCreate(commune, sup)
	if s2.ID == s1.ID {
		t.Fatal("the second round replayed the first")
	}
	// The recipient sees follows in its event.
	found := false
	for _, ev := range e.allEvents(dept) {
		if ev.Type == api.EventReceived && ev.TransferID == s2.ID {
			found = ev.Data.Transfer != nil && ev.Data.Transfer.Follows == tr.ID
		}
	}
	if !found {
		t.Error("transfer.received of the supplement does not carry follows")
	}
	// A result flows back: the recipient may send one following the same transfer.
	res := sample(commune)
	res.Purpose, res.Follows = api.PurposeResult, tr.ID
	if got := e.mustCreate(dept, res); got.Follows != tr.ID || got.FromAgency != dept {
		t.Errorf("result %+v", got)
	}
	// A process transfer's business key is unchanged: still one live.
	e.create(commune, base).wantProblem(t, http.StatusConflict, api.CodeDuplicateTransfer)
}

func TestSenderReportsFeesPaid(t *testing.T) {
	e := newEnv(t)
	tr := e.mustCreate(commune, sample(dept))
	e.ack(dept, tr.ID, true).want(t, http.StatusOK, nil)
	v := int64(2)
	// Not before the recipient asks for fees.
	e.status(commune, tr.ID, v, api.StatusProcessing).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	e.status(dept, tr.ID, v, api.StatusPaymentRequired).want(t, http.StatusOK, nil)
	v++
	var got api.Transfer
	e.status(commune, tr.ID, v, api.StatusProcessing).want(t, http.StatusOK, &got)
	v++
	if got.Version != v || got.LastStatus.StatusCode != api.StatusProcessing || got.State != api.StateAccepted {
		t.Fatalf("after the payment: %+v", got)
	}
	// Once reported, not again.
	e.status(commune, tr.ID, v, api.StatusProcessing).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	last := e.allEvents(dept)
	if ev := last[len(last)-1]; ev.Type != api.EventStatusChanged || ev.Data.Status == nil || ev.Data.Status.StatusCode != api.StatusProcessing {
		t.Errorf("the recipient's last event %+v", ev)
	}
}

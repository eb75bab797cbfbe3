package app

import (
	"time"
)

// Questions the screens ask and the domain answers, so that no rule lives
// in ui.

// DossierActions are the actions u may take on d now: the workflow's
// (Available) and, when the office is connected to a hub, the recall of a
// transfer the recipient has not accepted yet. Without a hub, the actions
// that need the central API are left out.
func DossierActions(d *Dossier, u *User, connected bool) []Action {
	var out []Action
	for _, a := range Available(d.State, u) {
		if a == ActTransfer && (!connected || (d.State == StateResolved && !MaySendOn(d))) {
			continue
		}
		if a == ActStop && waitTransfer(d) != "" {
			continue // the receiving agency decides a stop: its 8 ends the dossier here
		}
		out = append(out, a)
	}
	if MayRecall(d, u, connected) {
		out = append(out, ActRecall)
	}
	return out
}

// ActRecall withdraws a transfer the recipient has not accepted yet (thu
// hồi liên thông). It is not a workflow transition: the dossier stays
// transferred until the hub confirms.
const ActRecall Action = "recall"

// MayRecall reports whether u may withdraw a transfer of d: connected, the
// dossier transferred, a transfer still pending, and u allowed to transfer.
func MayRecall(d *Dossier, u *User, connected bool) bool {
	if !connected || d.State != StateTransferred || !MayPerform(u, ActTransfer) {
		return false
	}
	for _, t := range d.Transfers {
		if t.State == TransferPending && (t.Purpose == PurposeProcess || t.Purpose == "") {
			return true
		}
	}
	return false
}

// HandoverCandidates are the officials a dossier can be handed to: active
// specialists and leaders.
func (s *Service) HandoverCandidates() ([]User, error) {
	users, err := s.Users()
	if err != nil {
		return nil, err
	}
	var out []User
	for _, x := range users {
		if !x.Disabled && (x.Has(RoleSpecialist) || x.Has(RoleLeader)) {
			out = append(out, x)
		}
	}
	return out, nil
}

// StepDeadline is the deadline of a processing step typed as a day: the
// appointment's time of day on that day, or 17:00 without an appointment.
func StepDeadline(day, due time.Time) time.Time {
	h, m := 17, 0
	if !due.IsZero() {
		d := due.In(Vietnam)
		h, m = d.Hour(), d.Minute()
	}
	day = day.In(Vietnam)
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, Vietnam)
}

// Rate is the share resolved early or on time in percent, and false when
// nothing was resolved: there is no rate then (not 100 %, not 0 %).
func (r ReportRow) Rate() (float64, bool) {
	if r.Resolved() == 0 {
		return 0, false
	}
	return r.OnTimeRate(), true
}

// RateText is Rate as printed: "97,5" with a decimal comma, "–" without a rate.
func (r ReportRow) RateText() string {
	v, ok := r.Rate()
	if !ok {
		return "–"
	}
	return Decimal(v, 1)
}

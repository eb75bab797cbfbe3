package app

import (
	"strings"
	"time"
)

// Who acted, and when, for the history entries written while an event of
// the hub is applied (issue 13.5): the other agency's official by name,
// title and agency, at the time they acted — not this office's clock when
// the event happened to arrive.

// eventTx is the transaction ApplyEvent passes to the event handlers: the
// store's transaction plus what every history entry written through it
// says about the other agency's action.
type eventTx struct {
	Tx
	acted  time.Time // when the other agency acted
	agency string    // the other agency's name (or code)
}

// withEvent wraps tx for the handlers of ev; name is the other agency's
// name when known.
func withEvent(tx Tx, ev TransferEvent, ownCode string) Tx {
	if ev.FromAgency == "" && ev.Snapshot != nil { // a resync's snapshot
		ev.FromAgency, ev.ToAgency = ev.Snapshot.FromAgency, ev.Snapshot.ToAgency
	}
	acted := ev.OccurredAt
	switch {
	case ev.Status != nil && !ev.Status.OccurredAt.IsZero():
		acted = ev.Status.OccurredAt
	case ev.Ack != nil && !ev.Ack.At.IsZero():
		acted = ev.Ack.At
	case ev.Recall != nil && !ev.Recall.At.IsZero():
		acted = ev.Recall.At
	}
	other, name := ev.FromAgency, ev.FromName
	if ev.FromAgency == ownCode {
		other, name = ev.ToAgency, ev.ToName
	}
	if name == "" {
		name = knownAgencyName(tx, ev, ownCode)
	}
	if name == "" {
		name = other
	}
	if !acted.IsZero() {
		acted = acted.In(Vietnam)
	}
	return &eventTx{Tx: tx, acted: acted, agency: name}
}

// knownAgencyName is the other agency's name as this office recorded it:
// the recipient's name on the dossier sent, or the sender's name on the
// incoming transfer.
func knownAgencyName(tx Tx, ev TransferEvent, ownCode string) string {
	if ev.FromAgency == ownCode {
		d, err := tx.Dossier(ev.DossierCode)
		if err != nil {
			return ""
		}
		for _, t := range d.Transfers {
			if (t.ID == ev.TransferID || t.ToAgency == ev.ToAgency) && t.ToName != "" {
				return t.ToName
			}
		}
		return ""
	}
	if in, err := tx.Incoming(ev.TransferID); err == nil {
		return in.FromName
	}
	return ""
}

// eventAgencyName is the other agency's name known while an event is
// applied ("" outside an event or when only its code is known).
func eventAgencyName(tx Tx, code string) string {
	if et, ok := tx.(*eventTx); ok && et.agency != code {
		return et.agency
	}
	return ""
}

// eventActor completes who for a history entry written inside tx: the
// other agency's name and the time its official acted. Outside an event it
// returns who and a zero time.
func eventActor(tx Tx, who UserRef) (UserRef, time.Time) {
	et, ok := tx.(*eventTx)
	if !ok {
		return who, time.Time{}
	}
	if who.Agency == "" {
		who.Agency = et.agency
	}
	// No official named (an acknowledgement carries none): the agency
	// itself acted, by its name rather than "Cơ quan <code>".
	if code, ok := strings.CutPrefix(who.Username, "lienthong:"); ok && who.FullName == "Cơ quan "+code && et.agency != code {
		who.FullName = et.agency
	}
	return who, et.acted
}

// ActorText names who acted on a history entry: "Name, title (agency)".
func (e HistoryEntry) ActorText() string {
	s := e.User.FullName
	if s == "" {
		s = e.User.Username
	}
	if e.User.Title != "" {
		s += ", " + e.User.Title
	}
	if e.User.Agency != "" && e.User.Agency != s {
		s += " (" + e.User.Agency + ")"
	}
	return s
}

// When is the time a history entry's action happened: when the other
// agency's official acted, or when this office recorded it.
func (e HistoryEntry) When() time.Time {
	if !e.ActedAt.IsZero() {
		return e.ActedAt
	}
	return e.At
}

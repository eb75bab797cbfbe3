package app

import (
	"fmt"
	"strings"
	"time"
)

// Applying the hub's events: what each (our role, event type) changes in
// this office's records. ApplyEvent finds the role and checks versions once;
// the table below says what each event does.

type eventKey struct {
	role TransferRole
	typ  EventType
}

// eventHandler is what one event does for one role: recipient handlers
// change the incoming transfer (in is nil when the office has not seen it);
// sender handlers return the workflow action that records the news on the
// dossier this office sent.
type eventHandler struct {
	recipient func(s *Service, tx Tx, in *IncomingTransfer, ev TransferEvent) error
	sender    func(e senderEvent) (Action, UserRef, step, error)
}

// eventHandlers is the one table of (our role, event type) → handler. An
// event type missing here changes nothing but the transfer's version.
var eventHandlers = map[eventKey]eventHandler{
	{RoleRecipient, EventReceived}:      {recipient: (*Service).onReceived},
	{RoleRecipient, EventRecalled}:      {recipient: (*Service).onRecalled},
	{RoleRecipient, EventStatusChanged}: {recipient: (*Service).onSenderStatus},
	{RoleSender, EventAccepted}:         {sender: onAccepted},
	{RoleSender, EventRejected}:         {sender: onRejected},
	{RoleSender, EventStatusChanged}:    {sender: onRecipientStatus},
}

// ApplyEvent applies one event of the hub's feed inside the caller's
// transaction (the client advances its cursor in the same one). An event seen
// before, or one whose version is not newer than the transfer's, changes
// nothing; a version gap returns a VersionGap error until the client passes
// the snapshot.
func (s *Service) ApplyEvent(tx Tx, ev TransferEvent) error {
	const op = "ApplyEvent"
	tx = s.watch(tx)
	if ev.ID != "" {
		seen, err := tx.SeenEvent(ev.ID)
		if err != nil || seen {
			return err
		}
	}
	ag, err := tx.Agency()
	if err != nil {
		return err
	}
	tx = withEvent(tx, ev, ag.Code)
	if ev.Type == EventSnapshot {
		if ev.Snapshot == nil {
			return E(op, KindInvalid, MsgSnapshotMissing)
		}
		err = s.applySnapshot(tx, ag.Code, ev.Snapshot)
	} else {
		switch {
		case ev.ToAgency == ag.Code && ev.FromAgency != ag.Code:
			err = s.applyAsRecipient(tx, ev)
		case ev.FromAgency == ag.Code:
			err = s.applyAsSender(tx, ev)
		default:
			err = nil // not ours: nothing to do
		}
	}
	if err != nil {
		return err
	}
	if ev.ID != "" {
		return tx.MarkEvent(ev.ID)
	}
	return nil
}

func gap(id string, have, got int) error {
	return E("ApplyEvent", KindConflict, MsgResync, &VersionGap{TransferID: id, Have: have, Got: got})
}

// hubActor names the other agency's official on history entries.
func hubActor(agency string, a Actor) UserRef {
	name := a.Name
	if name == "" {
		name = "Cơ quan " + agency
	}
	return UserRef{Username: "lienthong:" + agency, FullName: name, Title: a.Title}
}

func noteStep(note string) step {
	return func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) { return note, nil }
}

// This office is the recipient.

func (s *Service) applyAsRecipient(tx Tx, ev TransferEvent) error {
	in, err := tx.Incoming(ev.TransferID)
	if Is(err, KindNotFound) {
		in = nil
	} else if err != nil {
		return err
	}
	have := 0
	if in != nil {
		have = in.Version
	}
	if ev.Version <= have {
		return nil
	}
	if ev.Version > have+1 && ev.Snapshot == nil && !(ev.Type == EventReceived && in == nil) {
		return gap(ev.TransferID, have, ev.Version)
	}
	if h := eventHandlers[eventKey{RoleRecipient, ev.Type}].recipient; h != nil {
		return h(s, tx, in, ev)
	}
	// An event type this version does not know: keep the version for a
	// transfer we hold, ignore it otherwise.
	if in == nil {
		return nil
	}
	in.Version = ev.Version
	return tx.PutIncoming(in)
}

// onReceived records a transfer addressed to this office.
func (s *Service) onReceived(tx Tx, in *IncomingTransfer, ev TransferEvent) error {
	snap := ev.Transfer
	if snap == nil {
		snap = ev.Snapshot
	}
	if snap == nil {
		return E("ApplyEvent", KindInvalid, MsgEventNoDossier)
	}
	if in == nil {
		in = incomingFrom(snap, ev.OccurredAt)
	}
	if in.FromName == "" {
		in.FromName = eventAgencyName(tx, in.FromAgency)
	}
	in.Version = ev.Version
	if ev.Snapshot != nil && ev.Snapshot.State == TransferRecalled && in.State == TransferPending {
		in.State = TransferRecalled
	}
	if ok, err := s.joinSupplement(tx, in, ev); ok || err != nil {
		return err
	}
	return tx.PutIncoming(in)
}

// onRecalled marks a transfer the sender withdrew; a dossier already taken
// in keeps the news in its history.
func (s *Service) onRecalled(tx Tx, in *IncomingTransfer, ev TransferEvent) error {
	if in == nil {
		if ev.Snapshot == nil {
			return gap(ev.TransferID, 0, ev.Version)
		}
		in = incomingFrom(ev.Snapshot, ev.OccurredAt)
	}
	in.Version = ev.Version
	if in.State == TransferAccepted && in.LocalCode != "" {
		note := "Cơ quan gửi đã thu hồi hồ sơ liên thông"
		if ev.Recall != nil && ev.Recall.Reason != "" {
			note += ": " + ev.Recall.Reason
		}
		if _, err := s.applyTx(tx, hubActor(ev.FromAgency, Actor{}), in.LocalCode, ActNote, noteStep(note)); err != nil {
			return err
		}
	}
	in.State = TransferRecalled
	if ev.Recall != nil {
		in.Reason = ev.Recall.Reason
	}
	return tx.PutIncoming(in)
}

// onSenderStatus notes the sender's news (the citizen got the result or
// withdrew) on the dossier taken in here.
func (s *Service) onSenderStatus(tx Tx, in *IncomingTransfer, ev TransferEvent) error {
	if in == nil {
		return gap(ev.TransferID, 0, ev.Version)
	}
	in.Version = ev.Version
	if st := ev.Status; st != nil && in.LocalCode != "" {
		note := fmt.Sprintf("Cơ quan gửi cập nhật: %s", st.Status.Name())
		if st.Note != "" {
			note += ". " + st.Note
		}
		if st.Status == StatusReturned || st.Status == StatusWithdrawn {
			in.State = TransferCompleted
		}
		done, err := s.loopSenderStatus(tx, in, ev)
		if err != nil {
			return err
		}
		if !done {
			if _, err := s.applyTx(tx, hubActor(ev.FromAgency, st.Actor), in.LocalCode, ActNote, noteStep(note)); err != nil {
				return err
			}
		}
	}
	return tx.PutIncoming(in)
}

func incomingFrom(t *TransferSnapshot, at time.Time) *IncomingTransfer {
	d := t.Dossier
	d.History = nil
	state := t.State
	if state == "" {
		state = TransferPending
	}
	if at.IsZero() {
		at = t.CreatedAt
	}
	return &IncomingTransfer{ID: t.ID, GroupID: t.GroupID, Purpose: t.Purpose, Follows: t.Follows, FromAgency: t.FromAgency,
		Version: t.Version, State: state, Dossier: d, ArrivedAt: at, Note: t.Note}
}

// This office is the sender.

// senderDossier finds this office's dossier and the transfer an event is
// about. A transfer whose creation answer was lost (the hub committed, the
// office never heard) is still under its local reference: it is adopted by
// recipient and purpose when the snapshot confirms it.
func senderDossier(tx Tx, code, id, to string, snap *TransferSnapshot) (*Dossier, *TransferRef, error) {
	d, err := tx.Dossier(code)
	if Is(err, KindNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if t := findRef(d, id); t != nil {
		return d, t, nil
	}
	if snap == nil {
		return d, nil, nil
	}
	return d, adopt(d, id, to, snap.Purpose), nil
}

// adopt gives the hub's id to the queued transfer to agency `to` (and
// purpose, when known) of d.
func adopt(d *Dossier, id, to string, purpose TransferPurpose) *TransferRef {
	if t := findRef(d, id); t != nil {
		return t
	}
	for i := range d.Transfers {
		t := &d.Transfers[i]
		if t.State == TransferQueued && t.ToAgency == to && (purpose == "" || t.Purpose == purpose) {
			if l := transferLeg(d, t.ID); l != nil {
				l.TransferID = id
			}
			t.ID, t.State = id, TransferPending
			return t
		}
	}
	return nil
}

func (s *Service) applyAsSender(tx Tx, ev TransferEvent) error {
	d, t, err := senderDossier(tx, ev.DossierCode, ev.TransferID, ev.ToAgency, ev.Snapshot)
	if err != nil {
		return err
	}
	if d == nil {
		return nil // a dossier this office no longer has: nothing to follow
	}
	if t == nil {
		if ev.Snapshot != nil {
			return nil // not a transfer this office still follows
		}
		return gap(ev.TransferID, 0, ev.Version)
	}
	if ev.Version <= t.Version {
		return nil
	}
	if ev.Version > t.Version+1 && ev.Snapshot == nil {
		return gap(ev.TransferID, t.Version, ev.Version)
	}
	ev.TransferID = t.ID
	return s.senderChange(tx, d, ev)
}

// senderEvent is an event about a transfer this office sent, as its
// handlers see it.
type senderEvent struct {
	TransferEvent
	d    *Dossier // the dossier as it was before the event
	name string   // the recipient's name, for notes
}

// set records the event on the transfer in d (adopting a queued one whose
// creation answer was lost).
func (e senderEvent) set(d *Dossier, now time.Time, state TransferState, status StatusCode, note string) *TransferRef {
	t := adopt(d, e.TransferID, e.ToAgency, "")
	if t == nil {
		return nil
	}
	t.Version, t.UpdatedAt = e.Version, now
	if state != "" {
		t.State = state
	}
	if status != 0 {
		t.StatusCode = status
	}
	if note != "" {
		t.Note = note
	}
	return t
}

// senderChange applies one change of a transfer this office sent, as one
// workflow action with its history entry.
func (s *Service) senderChange(tx Tx, d *Dossier, ev TransferEvent) error {
	h := eventHandlers[eventKey{RoleSender, ev.Type}].sender
	if h == nil {
		return nil
	}
	e := senderEvent{TransferEvent: ev, d: d, name: ev.ToAgency}
	if t := findRef(d, ev.TransferID); t != nil && t.ToName != "" {
		e.name = t.ToName
	}
	a, who, fn, err := h(e)
	if err != nil {
		return err
	}
	if _, err := Next(d.State, a); err != nil {
		// The dossier moved on here (e.g. recalled, stopped): keep the news
		// in its history without changing its state.
		a = ActNote
	}
	_, err = s.applyTx(tx, who, d.Code, a, fn)
	return err
}

// onAccepted: the recipient took the dossier in.
func onAccepted(e senderEvent) (Action, UserRef, step, error) {
	return ActTransferUpdate, hubActor(e.ToAgency, Actor{}), func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		note := e.name + " đã tiếp nhận hồ sơ liên thông"
		if e.Ack != nil && e.Ack.LocalCode != "" {
			note += ", mã hồ sơ tại nơi nhận " + e.Ack.LocalCode
		}
		e.set(d, now, TransferAccepted, 0, note)
		if l := transferLeg(d, e.TransferID); l != nil {
			l.Note = joinNote(l.Note, note)
		}
		if d.State == StateWithdrawn {
			// The recipient accepted before our recall reached the hub.
			if err := withdrawnAccepted(tx, d, e.TransferID, now); err != nil {
				return "", err
			}
			note += ". Hồ sơ đã rút: báo rút hồ sơ cho nơi nhận"
		}
		return note, nil
	}, nil
}

// onRejected: the recipient refused the dossier; it comes back to the desk.
func onRejected(e senderEvent) (Action, UserRef, step, error) {
	return ActTransferBack, hubActor(e.ToAgency, Actor{}), func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		note := e.name + " từ chối hồ sơ liên thông"
		if e.Ack != nil && e.Ack.Reason != "" {
			note += ": " + e.Ack.Reason
		}
		e.set(d, now, TransferRejected, 0, note)
		closeTransferLeg(d, e.TransferID, now, note)
		d.Unit = "Bộ phận Một cửa"
		return note, nil
	}, nil
}

// onRecipientStatus: the recipient reports a national status (processing,
// supplement, payment, stop, result).
func onRecipientStatus(e senderEvent) (Action, UserRef, step, error) {
	st := e.Status
	if st == nil {
		return "", UserRef{}, nil, E("ApplyEvent", KindInvalid, MsgEventNoStatus)
	}
	if a, who, fn, ok := loopStatus(e); ok {
		return a, who, fn, nil
	}
	who := hubActor(e.ToAgency, st.Actor)
	if st.Status == StatusResolved {
		if _, err := Next(e.d.State, ActTransferResult); err != nil {
			// The dossier moved on here: record the result without moving
			// the state.
			note := fmt.Sprintf("%s: %s", e.name, st.Status.Name())
			return ActNote, who, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
				e.set(d, now, TransferCompleted, st.Status, st.Note)
				return note, nil
			}, nil
		}
	}
	note := fmt.Sprintf("%s: %s", e.name, st.Status.Name())
	if st.Note != "" {
		note += ". " + st.Note
	}
	if st.Supplement != nil {
		note += ". Yêu cầu bổ sung: " + st.Supplement.Request
		if !st.Supplement.Deadline.IsZero() {
			note += " (hạn " + ShortDate(st.Supplement.Deadline) + ")"
		}
	}
	if !st.NewDueAt.IsZero() {
		note += ". Hẹn mới " + TimeDate(st.NewDueAt)
	}
	a := ActTransferUpdate
	if st.Status == StatusResolved {
		a = ActTransferResult
	}
	return a, who, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		var state TransferState
		if st.Status == StatusResolved {
			state = TransferCompleted
		}
		e.set(d, now, state, st.Status, st.Note)
		if l := transferLeg(d, e.TransferID); l != nil {
			l.Note = joinNote(l.Note, fmt.Sprintf("%s: %s", st.Status.Name(), st.Note))
			if !st.NewDueAt.IsZero() {
				l.Deadline = st.NewDueAt.In(Vietnam)
			}
			if st.Supplement != nil {
				l.Note = joinNote(l.Note, "Yêu cầu bổ sung: "+st.Supplement.Request)
			}
		}
		if st.Status == StatusResolved {
			in := resultFrom(st)
			done := st.OccurredAt.In(Vietnam)
			if done.IsZero() {
				done = now
			}
			closeTransferLeg(d, e.TransferID, done, "Có kết quả")
			finishResult(d, who, in, done)
		}
		return note, nil
	}, nil
}

// resultFrom turns the recipient's result documents into this office's result.
func resultFrom(st *TransferStatus) ResultInput {
	in := ResultInput{Date: st.OccurredAt.In(Vietnam).Format("2006-01-02"), Signer: st.Actor.Name, Summary: st.Note}
	var names []string
	for _, r := range st.Results {
		if in.Kind == "" {
			in.Kind, in.Number = r.Kind, r.Number
		}
		names = append(names, r.Name)
		if r.SHA256 != "" {
			in.Files = append(in.Files, SubmittedDocument{Name: r.Name, SHA256: r.SHA256, Size: r.Size, Originals: 1})
		}
	}
	if in.Kind == "" && len(names) > 0 {
		in.Kind = names[0]
	}
	if in.Summary == "" {
		in.Summary = strings.Join(names, "; ")
	}
	return in
}

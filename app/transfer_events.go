package app

import (
	"fmt"
	"strings"
	"time"
)

// hubActor names the other agency's official on history entries.
func hubActor(agency string, a Actor) UserRef {
	name := a.Name
	if name == "" {
		name = "Cơ quan " + agency
	}
	return UserRef{Username: "lienthong:" + agency, FullName: name, Title: a.Title}
}

// ApplyEvent applies one event of the hub's feed inside the caller's
// transaction (the client advances its cursor in the same one). An event seen
// before, or one whose version is not newer than the transfer's, changes
// nothing; a version gap returns a VersionGap error until the client passes
// the snapshot.
func (s *Service) ApplyEvent(tx Tx, ev TransferEvent) error {
	const op = "ApplyEvent"
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
	if ev.Type == EventSnapshot {
		if ev.Snapshot == nil {
			return E(op, KindInvalid, "Thiếu dữ liệu liên thông")
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
	return E("ApplyEvent", KindConflict, "Cần tải lại trạng thái liên thông", &VersionGap{TransferID: id, Have: have, Got: got})
}

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
	switch ev.Type {
	case EventReceived:
		snap := ev.Transfer
		if snap == nil {
			snap = ev.Snapshot
		}
		if snap == nil {
			return E("ApplyEvent", KindInvalid, "Sự kiện liên thông thiếu hồ sơ")
		}
		if in == nil {
			in = incomingFrom(snap, ev.OccurredAt)
		}
		in.Version = ev.Version
		if ev.Snapshot != nil && ev.Snapshot.State == TransferRecalled && in.State == TransferPending {
			in.State = TransferRecalled
		}
		return tx.PutIncoming(in)
	case EventRecalled:
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
	case EventStatusChanged:
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
			if _, err := s.applyTx(tx, hubActor(ev.FromAgency, st.Actor), in.LocalCode, ActNote, noteStep(note)); err != nil {
				return err
			}
		}
		return tx.PutIncoming(in)
	}
	// An event type this version does not know: keep the version for a
	// transfer we hold, ignore it otherwise.
	if in == nil {
		return nil
	}
	in.Version = ev.Version
	return tx.PutIncoming(in)
}

func noteStep(note string) step {
	return func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) { return note, nil }
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
	return &IncomingTransfer{ID: t.ID, GroupID: t.GroupID, Purpose: t.Purpose, FromAgency: t.FromAgency,
		Version: t.Version, State: state, Dossier: d, ArrivedAt: at}
}

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
func adopt(d *Dossier, id, to, purpose string) *TransferRef {
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
	return s.senderChange(tx, d, t.ID, ev.Type, ev.Version, ev.ToAgency, ev.OccurredAt, ev.Ack, ev.Status)
}

// senderChange applies one change of a transfer this office sent, as one
// workflow action with its history entry.
func (s *Service) senderChange(tx Tx, d *Dossier, id, typ string, version int, to string, at time.Time,
	ack *TransferAck, st *TransferStatus) error {
	var a Action
	var who UserRef
	var fn step
	set := func(d *Dossier, now time.Time, state string, status StatusCode, note string) *TransferRef {
		t := adopt(d, id, to, "")
		if t == nil {
			return nil
		}
		t.Version, t.UpdatedAt = version, now
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
	name := to
	if t := findRef(d, id); t != nil && t.ToName != "" {
		name = t.ToName
	}
	switch typ {
	case EventAccepted:
		a, who = ActTransferUpdate, hubActor(to, Actor{})
		fn = func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			note := name + " đã tiếp nhận hồ sơ liên thông"
			if ack != nil && ack.LocalCode != "" {
				note += ", mã hồ sơ tại nơi nhận " + ack.LocalCode
			}
			set(d, now, TransferAccepted, 0, note)
			if l := transferLeg(d, id); l != nil {
				l.Note = joinNote(l.Note, note)
			}
			return note, nil
		}
	case EventRejected:
		a, who = ActTransferBack, hubActor(to, Actor{})
		fn = func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			note := name + " từ chối hồ sơ liên thông"
			if ack != nil && ack.Reason != "" {
				note += ": " + ack.Reason
			}
			set(d, now, TransferRejected, 0, note)
			closeTransferLeg(d, id, now, note)
			d.Unit = "Bộ phận Một cửa"
			return note, nil
		}
	case EventStatusChanged:
		if st == nil {
			return E("ApplyEvent", KindInvalid, "Sự kiện cập nhật liên thông thiếu trạng thái")
		}
		who = hubActor(to, st.Actor)
		note := fmt.Sprintf("%s: %s", name, st.Status.Name())
		if st.Note != "" {
			note += ". " + st.Note
		}
		if st.Supplement != nil {
			note += ". Yêu cầu bổ sung: " + st.Supplement.Request
			if !st.Supplement.Deadline.IsZero() {
				note += " (hạn " + st.Supplement.Deadline.In(Vietnam).Format("02/01/2006") + ")"
			}
		}
		if !st.NewDueAt.IsZero() {
			note += ". Hẹn mới " + st.NewDueAt.In(Vietnam).Format("15:04 02/01/2006")
		}
		a = ActTransferUpdate
		if st.Status == StatusResolved {
			a = ActTransferResult
		}
		fn = func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			state := ""
			if st.Status == StatusResolved {
				state = TransferCompleted
			}
			set(d, now, state, st.Status, st.Note)
			if l := transferLeg(d, id); l != nil {
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
				closeTransferLeg(d, id, done, "Có kết quả")
				finishResult(d, who, in, done)
			}
			return note, nil
		}
	default:
		return nil
	}
	if _, err := Next(d.State, a); err != nil {
		// The dossier moved on here (e.g. recalled, stopped): keep the news
		// in its history without changing its state.
		a = ActNote
	}
	if a == ActNote && typ == EventStatusChanged && st.Status == StatusResolved {
		// Record the result without moving the state.
		note := fmt.Sprintf("%s: %s", name, st.Status.Name())
		fn = func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			set(d, now, TransferCompleted, st.Status, st.Note)
			return note, nil
		}
	}
	_, err := s.applyTx(tx, who, d.Code, a, fn)
	return err
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

// applySnapshot brings this office up to a transfer's snapshot during a
// resync (the feed's cursor expired): whatever the snapshot shows that the
// office has not recorded is applied as the events would have been.
func (s *Service) applySnapshot(tx Tx, own string, snap *TransferSnapshot) error {
	ev := TransferEvent{TransferID: snap.ID, Version: snap.Version, DossierCode: snap.Dossier.Code,
		FromAgency: snap.FromAgency, ToAgency: snap.ToAgency, OccurredAt: snap.UpdatedAt, Snapshot: snap}
	switch {
	case snap.ToAgency == own:
		in, err := tx.Incoming(snap.ID)
		if err != nil && !Is(err, KindNotFound) {
			return err
		}
		if in == nil {
			if snap.State != TransferPending {
				return nil // decided elsewhere or withdrawn before we saw it
			}
			ev.Type, ev.Transfer = EventReceived, snap
			return s.applyAsRecipient(tx, ev)
		}
		if snap.Version <= in.Version {
			return nil
		}
		switch {
		case snap.State == TransferRecalled:
			ev.Type, ev.Recall = EventRecalled, snap.Recall
		case snap.LastStatus != nil && (snap.LastStatus.Status == StatusReturned || snap.LastStatus.Status == StatusWithdrawn):
			ev.Type, ev.Status = EventStatusChanged, snap.LastStatus
		default:
			in.Version = snap.Version
			return tx.PutIncoming(in)
		}
		return s.applyAsRecipient(tx, ev)
	case snap.FromAgency == own:
		d, t, err := senderDossier(tx, snap.Dossier.Code, snap.ID, snap.ToAgency, snap)
		if err != nil || d == nil || t == nil {
			return err
		}
		if snap.Version <= t.Version {
			return nil
		}
		if (t.State == TransferQueued || t.State == TransferPending) && snap.Ack != nil {
			typ := EventRejected
			if snap.Ack.Accepted {
				typ = EventAccepted
			}
			if err := s.senderChange(tx, d, snap.ID, typ, snap.Version, snap.ToAgency, snap.Ack.At, snap.Ack, nil); err != nil {
				return err
			}
			if d, err = tx.Dossier(d.Code); err != nil {
				return err
			}
		}
		if ls := snap.LastStatus; ls != nil && ls.Status != StatusReturned && ls.Status != StatusWithdrawn {
			if t := findRef(d, snap.ID); t != nil && t.StatusCode != ls.Status {
				return s.senderChange(tx, d, snap.ID, EventStatusChanged, snap.Version, snap.ToAgency, ls.OccurredAt, nil, ls)
			}
		}
		if t := findRef(d, snap.ID); t != nil && t.Version < snap.Version {
			t.Version = snap.Version
			d.Version++
			return tx.PutDossier(d)
		}
	}
	return nil
}

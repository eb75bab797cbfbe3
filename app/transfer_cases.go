package app

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The officers' use cases on transfers: each changes the local records and
// queues its call to the hub in one transaction.

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Transfer hands the dossier to another agency through the central API. The
// local dossier stays at status 4 (transferred) with a control-sheet leg; the
// call to the hub is queued in the same transaction.
func (s *Service) Transfer(u *User, code string, in TransferInput) (*Dossier, error) {
	const op = "Transfer"
	in.ToAgency = strings.ToUpper(strings.TrimSpace(in.ToAgency))
	in.ToName, in.Note, in.GroupID = NFC(in.ToName), NFC(in.Note), strings.TrimSpace(in.GroupID)
	in.Purpose = TransferPurpose(strings.TrimSpace(string(in.Purpose)))
	if in.Purpose == "" {
		in.Purpose = PurposeProcess
	}
	if err := checkTexts(op, paragraph("note", in.Note)); err != nil {
		return nil, err
	}
	return s.act(u, code, ActTransfer, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		ag, err := tx.Agency()
		if err != nil {
			return "", err
		}
		// One leg at a time: a live transfer is followed, not doubled; after
		// a leg's result the dossier is sent on (a group procedure).
		if live := liveTransfer(d); live != nil {
			return "", E(op, KindConflict, MsgTransferLive)
		}
		sendOn := d.State == StateResolved
		if sendOn && !MaySendOn(d) {
			return "", E(op, KindConflict, MsgTransferSendOn)
		}
		if in.GroupID == "" {
			in.GroupID = groupOf(d)
		}
		// Scans chosen now fill the lines of the papers they copy.
		docs, err := attachScans(op, tx, d.Documents, in.Scans, nil)
		if err != nil {
			return "", err
		}
		d.Documents = docs
		var fe []FieldError
		if err := ValidAgencyCode(in.ToAgency); err != nil {
			fe = append(fe, fieldFrom("to_agency", err))
		} else if in.ToAgency == ag.Code {
			fe = append(fe, FieldErr("to_agency", MsgTransferSelf))
		}
		if !in.Purpose.Valid() {
			fe = append(fe, FieldErr("purpose", MsgTransferPurpose))
		}
		for i := range in.Attachments {
			a := &in.Attachments[i]
			a.Name, a.SHA256 = NFC(a.Name), strings.ToLower(strings.TrimSpace(a.SHA256))
			if a.Name == "" || !sha256Hex.MatchString(a.SHA256) || a.Size <= 0 {
				fe = append(fe, FieldErr(fmt.Sprintf("attachments.%d", i), MsgTransferAttachment))
			}
		}
		follows, err := followsFor(tx, d, in.Purpose, in.ToAgency)
		if err != nil {
			return "", err
		}
		if in.Purpose != PurposeProcess && follows == "" {
			fe = append(fe, FieldErr("purpose", MsgTransferNoFollow))
		}
		for _, t := range d.Transfers {
			if t.ToAgency == in.ToAgency && t.Purpose == in.Purpose && !t.State.Closed() && t.Purpose == PurposeProcess {
				fe = append(fe, FieldErr("to_agency", MsgTransferDuplicate))
				break
			}
		}
		if len(fe) > 0 {
			return "", E(op, KindInvalid, MsgTransferInvalid, fe)
		}
		var carried string
		if sendOn {
			carried = reopenForNextLeg(d)
		}
		// Attachments are the scans of the dossier's papers: fill the matching
		// document, or add one.
		for _, a := range in.Attachments {
			matched := false
			for i := range d.Documents {
				if d.Documents[i].Name == a.Name && d.Documents[i].SHA256 == "" {
					d.Documents[i].SHA256, d.Documents[i].Size = a.SHA256, a.Size
					d.Documents[i].MediaType, d.Documents[i].FileName = a.MediaType, a.FileName
					matched = true
					break
				}
			}
			if !matched {
				d.Documents = append(d.Documents, a)
			}
		}
		if len(d.Documents) > 100 {
			return "", E(op, KindInvalid, MsgTransferTooMany, FieldErr("attachments", MsgTransferMax))
		}
		to := in.ToName
		if to == "" {
			to = in.ToAgency
		}
		ref := "local-" + NewID()
		d.Transfers = append(d.Transfers, TransferRef{ID: ref, GroupID: in.GroupID, ToAgency: in.ToAgency, ToName: in.ToName,
			FromAgency: ag.Code, Purpose: in.Purpose, Follows: follows, State: TransferQueued, Note: in.Note, CreatedAt: now, UpdatedAt: now})
		fromUnit := d.Unit
		if fromUnit == "" {
			fromUnit = "Bộ phận Một cửa"
		}
		openLeg(d, u.Ref(), fromUnit, UserRef{}, to, d.DueAt, now, in.Note)
		d.Legs[len(d.Legs)-1].TransferID = ref

		snap := *d
		snap.History = nil
		snap.State, snap.Status = StateTransferred, StatusProcessing
		if err := enqueue(tx, OutboxTransfer, d.Code, TransferIntent{LocalRef: ref, GroupID: in.GroupID, Purpose: in.Purpose,
			Follows: follows, ToAgency: in.ToAgency, Note: in.Note, Dossier: snap}, now); err != nil {
			return "", err
		}
		note := "Chuyển liên thông đến " + to
		if sendOn {
			note = "Chuyển tiếp liên thông đến " + to
			if carried != "" {
				note += " (kèm kết quả bước trước: " + carried + ")"
			}
		}
		if in.Note != "" {
			note += ". " + in.Note
		}
		return note, nil
	})
}

// liveTransfer is the transfer of d still carrying the dossier (queued,
// pending or accepted), or nil.
func liveTransfer(d *Dossier) *TransferRef {
	for i := range d.Transfers {
		switch d.Transfers[i].State {
		case TransferQueued, TransferPending, TransferAccepted:
			return &d.Transfers[i]
		}
	}
	return nil
}

// MaySendOn reports whether d can be sent on to the next agency of a group
// procedure (chuyển tiếp): resolved by the result of its last transfer, not
// yet returned to the citizen.
func MaySendOn(d *Dossier) bool {
	if d.State != StateResolved || d.Return != nil || len(d.Transfers) == 0 {
		return false
	}
	last := d.Transfers[len(d.Transfers)-1]
	return last.State == TransferCompleted && liveTransfer(d) == nil
}

// groupOf is the group id the transfers of d share: the first one given,
// else the dossier's own code (unique across agencies, so it names the
// group on the hub).
func groupOf(d *Dossier) string {
	for _, t := range d.Transfers {
		if t.GroupID != "" {
			return t.GroupID
		}
	}
	return d.Code
}

// reopenForNextLeg opens a resolved dossier again for the next leg of its
// group: the previous leg's result joins the documents (the next agency
// needs it: the birth certificate for the residence registration), its
// files with their scans, and the dossier is no longer finished. It returns
// what was carried, for the history note.
func reopenForNextLeg(d *Dossier) string {
	r := d.Result
	if r == nil {
		return ""
	}
	title := strings.TrimSpace(r.Kind)
	if r.Number != "" {
		title += " số " + r.Number
	}
	added := false
	for _, f := range r.Files {
		name := f.Name
		if name == "" {
			name = title
		}
		if slices.ContainsFunc(d.Documents, func(x SubmittedDocument) bool { return x.SHA256 != "" && x.SHA256 == f.SHA256 }) {
			continue
		}
		d.Documents = append(d.Documents, SubmittedDocument{Name: name, Originals: 1, SHA256: f.SHA256, Size: f.Size,
			MediaType: f.MediaType, FileName: f.FileName})
		added = true
	}
	if !added && title != "" {
		d.Documents = append(d.Documents, SubmittedDocument{Name: title, Originals: 1})
	}
	d.Result, d.FinishedAt, d.Outcome = nil, time.Time{}, OutcomeNone
	return title
}

// Recall withdraws a transfer the recipient has not accepted yet; the dossier
// comes back to processing here.
func (s *Service) Recall(u *User, code, reason string) (*Dossier, error) {
	const op = "Recall"
	if !MayPerform(u, ActTransfer) {
		return nil, deny(op, MsgRecallAct)
	}
	reason = NFC(reason)
	if err := checkTexts(op, paragraph("reason", reason)); err != nil {
		return nil, err
	}
	return s.apply(u.Ref(), code, ActTransferBack, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		t := lastOutgoing(d)
		if t == nil || t.State != TransferPending {
			return "", E(op, KindConflict, MsgRecallPending)
		}
		t.State, t.UpdatedAt, t.Note = TransferRecalled, now, reason
		closeTransferLeg(d, t.ID, now, "Thu hồi. "+reason)
		d.Unit, d.Handler = "Bộ phận Một cửa", u.Ref()
		if err := enqueue(tx, OutboxRecall, d.Code, RecallIntent{TransferID: t.ID, Reason: reason}, now); err != nil {
			return "", err
		}
		return "Thu hồi hồ sơ liên thông. " + reason, nil
	})
}

func lastOutgoing(d *Dossier) *TransferRef {
	for i := len(d.Transfers) - 1; i >= 0; i-- {
		if p := d.Transfers[i].Purpose; p != PurposeProcess && p != "" {
			continue // a supplement follows its transfer: recalled with it
		}
		if !d.Transfers[i].State.Closed() {
			return &d.Transfers[i]
		}
	}
	return nil
}

func findRef(d *Dossier, id string) *TransferRef {
	for i := range d.Transfers {
		if d.Transfers[i].ID == id {
			return &d.Transfers[i]
		}
	}
	return nil
}

func transferLeg(d *Dossier, id string) *HandoverLeg {
	for i := len(d.Legs) - 1; i >= 0; i-- {
		if d.Legs[i].TransferID == id {
			return &d.Legs[i]
		}
	}
	return nil
}

func closeTransferLeg(d *Dossier, id string, now time.Time, note string) {
	if l := transferLeg(d, id); l != nil && l.FinishedAt.IsZero() {
		l.FinishedAt = now
		if !l.Deadline.IsZero() {
			l.Outcome = Classify(now, l.Deadline)
		}
		l.Note = joinNote(l.Note, note)
	}
}

func joinNote(a, b string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// AcceptIncoming takes in a dossier another agency transferred here: a local
// dossier with its own code (Reference = the sender's code), the incoming
// transfer marked accepted, and the acknowledgement queued — one transaction.
func (s *Service) AcceptIncoming(u *User, id string) (*Dossier, error) {
	const op = "AcceptIncoming"
	if !u.Has(RoleReceiver) {
		return nil, deny(op, MsgAcceptIncomingAct)
	}
	var out *Dossier
	err := s.store.Update(func(tx Tx) error {
		in, err := tx.Incoming(id)
		if err != nil {
			return err
		}
		if in.State != TransferPending {
			return E(op, KindConflict, MsgIncomingDecided)
		}
		if in.Purpose == PurposeSupplement && in.Follows != "" {
			// Papers of a supplement join the dossier of the transfer they
			// follow; they never make a new one.
			ok, err := s.joinSupplement(tx, in, TransferEvent{})
			if err == nil && !ok {
				err = E(op, KindConflict, MsgIncomingNoFollowed)
			}
			if err == nil {
				out, err = tx.Dossier(in.LocalCode)
			}
			return err
		}
		d, err := s.dossierFromTransfer(op, tx, u, in)
		if err != nil {
			return err
		}
		if err := tx.PutDossier(d); err != nil {
			return err
		}
		from := in.FromName
		if from == "" {
			from = in.FromAgency
		}
		note := fmt.Sprintf("Tiếp nhận hồ sơ liên thông từ %s (mã hồ sơ nơi gửi %s)", from, in.Dossier.Code)
		if !d.DueAt.IsZero() {
			note += ", hẹn trả " + TimeDate(d.DueAt)
		}
		if err := appendHistory(tx, d, u.Ref(), ActReceive, "", StateReceived, note, d.ReceivedAt); err != nil {
			return err
		}
		in.State, in.DecidedAt, in.DecidedBy, in.LocalCode = TransferAccepted, d.ReceivedAt, u.Ref(), d.Code
		if err := tx.PutIncoming(in); err != nil {
			return err
		}
		out = d
		return enqueue(tx, OutboxAck, d.Code, AckIntent{TransferID: in.ID, Accepted: true, LocalCode: d.Code}, d.ReceivedAt)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// dossierFromTransfer builds the local dossier of an incoming transfer: a new
// code from the same daily counter as Receive, the sender's data, and the
// appointment date the citizen was given (or the local procedure's rule).
func (s *Service) dossierFromTransfer(op string, tx Tx, u *User, in *IncomingTransfer) (*Dossier, error) {
	ag, err := tx.Agency()
	if err != nil {
		return nil, E(op, KindInvalid, MsgNoAgency, err)
	}
	now := s.Now()
	seq, err := tx.NextSeq("dossier/" + ag.Code + "/" + now.Format("060102"))
	if err != nil {
		return nil, err
	}
	src := in.Dossier
	d := &Dossier{
		Code: DossierCode(ag.Code, now, seq), AgencyCode: ag.Code,
		ProcedureCode: src.ProcedureCode, ProcedureName: src.ProcedureName, Field: src.Field, Legal: src.Legal,
		TimeRule: src.TimeRule, Channel: src.Channel, Applicant: src.Applicant, Submitter: src.Submitter,
		Summary: src.Summary, Documents: src.Documents, Sets: src.Sets, Fees: src.Fees,
		SubmittedAt: src.ReceivedAt, ReceivedAt: now, Version: 1, UpdatedAt: now,
		Unit: "Bộ phận Một cửa", Handler: u.Ref(), State: StateReceived, Status: StatusReceived,
		Reference: src.Code, ReferenceTransfer: in.ID, ReturnPlace: src.ReturnPlace,
	}
	if d.Sets == 0 {
		d.Sets = 1
	}
	if p, err := tx.Procedure(src.ProcedureCode); err == nil {
		d.Legal, d.TimeRule = p.Legal, p.RuleFor(d.Channel)
	}
	d.DueAt = src.DueAt
	if d.DueAt.IsZero() {
		cal, err := s.calendar(tx)
		if err != nil {
			return nil, err
		}
		if due, ok := cal.Due(now, d.TimeRule); ok {
			d.DueAt = due
		}
	}
	d.OriginalDue, d.StatsDue = d.DueAt, d.DueAt
	return d, nil
}

// RefuseIncoming refuses a transferred dossier with a reason; the refusal is
// queued for the hub in the same transaction.
func (s *Service) RefuseIncoming(u *User, id, reason string) error {
	const op = "RefuseIncoming"
	if !u.Has(RoleReceiver) {
		return deny(op, MsgRefuseIncomingAct)
	}
	reason = NFC(reason)
	if reason == "" {
		return E(op, KindInvalid, MsgRefuseReason, FieldErr("reason", MsgRefuseIncomingReason))
	}
	if err := checkTexts(op, paragraph("reason", reason)); err != nil {
		return err
	}
	return s.store.Update(func(tx Tx) error {
		in, err := tx.Incoming(id)
		if err != nil {
			return err
		}
		if in.State != TransferPending {
			return E(op, KindConflict, MsgIncomingDecided)
		}
		now := s.Now()
		in.State, in.DecidedAt, in.DecidedBy, in.Reason = TransferRejected, now, u.Ref(), reason
		if err := tx.PutIncoming(in); err != nil {
			return err
		}
		return enqueue(tx, OutboxAck, incomingQueue(id), AckIntent{TransferID: id, Accepted: false, Reason: reason}, now)
	})
}

// Incoming lists the dossiers other agencies transferred here, newest first.
func (s *Service) Incoming(pendingOnly bool) ([]IncomingTransfer, error) {
	var out []IncomingTransfer
	err := s.store.View(func(tx Tx) (err error) {
		out, err = tx.ListIncoming(pendingOnly)
		return err
	})
	return out, err
}

// afterChange runs inside every workflow action, after the dossier is
// written: a change of national status on a transferred dossier is queued

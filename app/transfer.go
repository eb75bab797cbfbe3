package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Transfers (liên thông, domain.md §3 item 6). A transfer is written to the
// outbox in the same transaction as the local change; the client package
// sends it to the central hub and feeds the hub's events back through
// ApplyEvent. Nothing here speaks HTTP: the intents below are what the client
// turns into calls, and TransferEvent is what it hands back.

// Transfer purposes (why a dossier goes to another agency).
const (
	PurposeProcess    = "process"    // the recipient processes the dossier or one step of it
	PurposeSupplement = "supplement" // documents added to an earlier transfer of the group
	PurposeResult     = "result"     // a result handed back
)

// Transfer states, as the hub names them, plus "queued" before the hub answered.
const (
	TransferQueued    = "queued"
	TransferPending   = "pending"
	TransferAccepted  = "accepted"
	TransferRejected  = "rejected"
	TransferRecalled  = "recalled"
	TransferCompleted = "completed"
)

// Event types of the hub's feed.
const (
	EventReceived      = "transfer.received"       // to the recipient
	EventAccepted      = "transfer.accepted"       // to the sender
	EventRejected      = "transfer.rejected"       // to the sender
	EventStatusChanged = "transfer.status_changed" // to the other party
	EventRecalled      = "transfer.recalled"       // to the recipient
	EventSnapshot      = ""                        // no event: a snapshot from a resync
)

// Roles of this office in a transfer.
const (
	RoleSender    = "sender"
	RoleRecipient = "recipient"
)

// TransferInput is what the officer chooses when handing a dossier to another
// agency.
type TransferInput struct {
	ToAgency    string // mã định danh of the recipient
	ToName      string // its name, from the hub's directory
	Purpose     string // process (default), supplement, result
	Note        string
	GroupID     string              // shared by the transfers of a group procedure
	Attachments []SubmittedDocument // scans already in the store: SHA256 and Size set
	Scans       []ScanFile          // files chosen now: stored with the transfer
}

// Actor is the official who made a change, as the other agency sees them.
type Actor struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Unit  string `json:"unit,omitempty"`
}

// SupplementRequest is the recipient's request for more documents.
type SupplementRequest struct {
	Request  string    `json:"request"`
	Deadline time.Time `json:"deadline"`
}

// ResultFile is one result document of a transfer (status 9).
type ResultFile struct {
	Name   string `json:"name"`
	Kind   string `json:"kind,omitempty"`
	Number string `json:"number,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size,omitempty"` // known locally, not on the wire
}

// TransferStatus is a national status change on a transfer: the body of a
// status call and the data of a status_changed event.
type TransferStatus struct {
	Status     StatusCode         `json:"status_code"`
	Note       string             `json:"note,omitempty"`
	Actor      Actor              `json:"actor"`
	OccurredAt time.Time          `json:"occurred_at"`
	NewDueAt   time.Time          `json:"new_due_at,omitzero"`
	Supplement *SupplementRequest `json:"supplement,omitempty"`
	Results    []ResultFile       `json:"results,omitempty"`
}

// TransferAck is the recipient's decision.
type TransferAck struct {
	Accepted  bool      `json:"accepted"`
	LocalCode string    `json:"local_code,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	At        time.Time `json:"at,omitzero"`
}

// TransferRecall is the sender's withdrawal of a pending transfer.
type TransferRecall struct {
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at,omitzero"`
}

// TransferIntent is the payload of an OutboxTransfer item: the dossier as it
// was when the officer transferred it.
type TransferIntent struct {
	LocalRef string  `json:"local_ref"` // TransferRef.ID until the hub names it
	GroupID  string  `json:"group_id,omitempty"`
	Purpose  string  `json:"purpose"`
	ToAgency string  `json:"to_agency"`
	Note     string  `json:"note,omitempty"`
	Dossier  Dossier `json:"dossier"` // snapshot, without history
}

// StatusIntent is the payload of an OutboxStatus item.
type StatusIntent struct {
	TransferID string `json:"transfer_id"`
	Role       string `json:"role"` // sender or recipient
	TransferStatus
}

// AckIntent is the payload of an OutboxAck item.
type AckIntent struct {
	TransferID string `json:"transfer_id"`
	Accepted   bool   `json:"accepted"`
	LocalCode  string `json:"local_code,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// RecallIntent is the payload of an OutboxRecall item.
type RecallIntent struct {
	TransferID string `json:"transfer_id"`
	Reason     string `json:"reason,omitempty"`
}

// TransferSnapshot is the hub's authoritative view of a transfer.
type TransferSnapshot struct {
	ID         string          `json:"id"`
	GroupID    string          `json:"group_id,omitempty"`
	Purpose    string          `json:"purpose"`
	FromAgency string          `json:"from_agency"`
	ToAgency   string          `json:"to_agency"`
	State      string          `json:"state"`
	Version    int             `json:"version"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	Dossier    Dossier         `json:"dossier"` // the sender's dossier (its code is the sender's)
	Ack        *TransferAck    `json:"ack,omitempty"`
	LastStatus *TransferStatus `json:"last_status,omitempty"`
	Recall     *TransferRecall `json:"recall,omitempty"`
}

// TransferEvent is one event of the hub's feed, converted by the client.
// Snapshot is set when the client fetched the transfer after a version gap,
// or alone (Type == EventSnapshot) during a resync.
type TransferEvent struct {
	ID          string
	Type        string
	OccurredAt  time.Time
	TransferID  string
	Version     int
	DossierCode string // the sender's code
	FromAgency  string
	ToAgency    string
	Transfer    *TransferSnapshot // with transfer.received
	Ack         *TransferAck      // with accepted / rejected
	Status      *TransferStatus   // with status_changed
	Recall      *TransferRecall   // with recalled
	Snapshot    *TransferSnapshot
}

// VersionGap is returned by ApplyEvent when an event skips versions the
// office has not seen: the client fetches the transfer's snapshot and calls
// ApplyEvent again with TransferEvent.Snapshot set.
type VersionGap struct {
	TransferID string
	Have, Got  int
}

func (g *VersionGap) Error() string {
	return fmt.Sprintf("transfer %s: have version %d, event is version %d", g.TransferID, g.Have, g.Got)
}

// IsVersionGap reports whether err asks for a snapshot.
func IsVersionGap(err error) bool {
	var g *VersionGap
	return errors.As(err, &g)
}

var (
	outboxMu   sync.Mutex
	outboxLast int64
)

// OutboxID returns a new sortable outbox item ID: creation order within this
// process even when the service clock is fixed (tests) or two items are
// written in the same nanosecond.
func OutboxID() string {
	outboxMu.Lock()
	n := time.Now().UnixNano()
	if n <= outboxLast {
		n = outboxLast + 1
	}
	outboxLast = n
	outboxMu.Unlock()
	return fmt.Sprintf("%020d-%s", n, NewID()[:8])
}

func enqueue(tx Tx, kind OutboxKind, queue string, payload any, now time.Time) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return E("Enqueue", KindOther, err)
	}
	return tx.Enqueue(&OutboxItem{ID: OutboxID(), Queue: queue, Kind: kind, IdempotencyKey: NewID(),
		Payload: b, CreatedAt: now, NextAttempt: now})
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// incomingQueue is the outbox queue of calls about an incoming transfer that
// has no local dossier (a refusal).
func incomingQueue(id string) string { return "incoming/" + id }

// Transfer hands the dossier to another agency through the central API. The
// local dossier stays at status 4 (transferred) with a control-sheet leg; the
// call to the hub is queued in the same transaction.
func (s *Service) Transfer(u *User, code string, in TransferInput) (*Dossier, error) {
	const op = "Transfer"
	in.ToAgency = strings.ToUpper(strings.TrimSpace(in.ToAgency))
	in.ToName, in.Note, in.GroupID = NFC(in.ToName), NFC(in.Note), strings.TrimSpace(in.GroupID)
	in.Purpose = strings.TrimSpace(in.Purpose)
	if in.Purpose == "" {
		in.Purpose = PurposeProcess
	}
	return s.act(u, code, ActTransfer, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		ag, err := tx.Agency()
		if err != nil {
			return "", err
		}
		docs, err := putScans(tx, in.Scans)
		if err != nil {
			return "", err
		}
		in.Attachments = append(in.Attachments, docs...)
		var fe []FieldError
		if err := ValidAgencyCode(in.ToAgency); err != nil {
			fe = append(fe, FieldError{"to_agency", err.(*Error).Msg})
		} else if in.ToAgency == ag.Code {
			fe = append(fe, FieldError{"to_agency", "Không thể chuyển liên thông cho chính cơ quan mình"})
		}
		switch in.Purpose {
		case PurposeProcess, PurposeSupplement, PurposeResult:
		default:
			fe = append(fe, FieldError{"purpose", "Mục đích chuyển không hợp lệ"})
		}
		for i := range in.Attachments {
			a := &in.Attachments[i]
			a.Name, a.SHA256 = NFC(a.Name), strings.ToLower(strings.TrimSpace(a.SHA256))
			if a.Name == "" || !sha256Hex.MatchString(a.SHA256) || a.Size <= 0 {
				fe = append(fe, FieldError{fmt.Sprintf("attachments.%d", i), "Tệp đính kèm chưa được lưu (thiếu tên, mã SHA-256 hoặc kích thước)"})
			}
		}
		for _, t := range d.Transfers {
			if t.ToAgency == in.ToAgency && t.Purpose == in.Purpose && t.State != TransferRejected && t.State != TransferRecalled {
				fe = append(fe, FieldError{"to_agency", "Hồ sơ đã được chuyển liên thông cho cơ quan này"})
				break
			}
		}
		if len(fe) > 0 {
			return "", E(op, KindInvalid, "Thông tin chuyển liên thông chưa hợp lệ", fe)
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
			return "", E(op, KindInvalid, "Một lần chuyển liên thông có tối đa 100 giấy tờ", FieldError{"attachments", "Tối đa 100 giấy tờ"})
		}
		to := in.ToName
		if to == "" {
			to = in.ToAgency
		}
		ref := "local-" + NewID()
		d.Transfers = append(d.Transfers, TransferRef{ID: ref, GroupID: in.GroupID, ToAgency: in.ToAgency, ToName: in.ToName,
			FromAgency: ag.Code, Purpose: in.Purpose, State: TransferQueued, Note: in.Note, CreatedAt: now, UpdatedAt: now})
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
			ToAgency: in.ToAgency, Note: in.Note, Dossier: snap}, now); err != nil {
			return "", err
		}
		note := "Chuyển liên thông đến " + to
		if in.Note != "" {
			note += ". " + in.Note
		}
		return note, nil
	})
}

// Recall withdraws a transfer the recipient has not accepted yet; the dossier
// comes back to processing here.
func (s *Service) Recall(u *User, code, reason string) (*Dossier, error) {
	const op = "Recall"
	if !MayPerform(u, ActTransfer) {
		return nil, deny(op, "Thu hồi hồ sơ liên thông")
	}
	reason = NFC(reason)
	return s.apply(u.Ref(), code, ActTransferBack, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		t := lastOutgoing(d)
		if t == nil || t.State != TransferPending {
			return "", E(op, KindConflict, "Chỉ thu hồi được hồ sơ liên thông đã gửi đến trung tâm mà cơ quan nhận chưa tiếp nhận")
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
		if d.Transfers[i].State != TransferRejected && d.Transfers[i].State != TransferRecalled {
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

// TransferSent records the hub's answer to a transfer creation (201): the
// hub's id replaces the local reference, and the version is kept for later
// conditional calls. A replayed answer changes nothing.
func (s *Service) TransferSent(tx Tx, code, localRef, hubID string, version int) error {
	d, err := tx.Dossier(code)
	if err != nil {
		return err
	}
	t := findRef(d, localRef)
	if t == nil {
		t = findRef(d, hubID)
	}
	if t == nil {
		return E("TransferSent", KindNotFound, fmt.Sprintf("Hồ sơ %s không có lượt liên thông %s", code, localRef))
	}
	changed := false
	if t.ID != hubID {
		if l := transferLeg(d, t.ID); l != nil {
			l.TransferID = hubID
		}
		t.ID, changed = hubID, true
	}
	if t.State == TransferQueued {
		t.State, changed = TransferPending, true
	}
	if version == t.Version+1 {
		t.Version, changed = version, true
	}
	if !changed {
		return nil
	}
	t.UpdatedAt = s.Now()
	d.Version++
	d.UpdatedAt = t.UpdatedAt
	return tx.PutDossier(d)
}

// CallSent records the version the hub gave after an ack, status or recall
// call. Only the next version is recorded: when another change slipped in
// between, the event for it is still to come and must not look old.
func (s *Service) CallSent(tx Tx, queue, transferID string, version int) error {
	if in, err := tx.Incoming(transferID); err == nil {
		if version == in.Version+1 {
			in.Version = version
			return tx.PutIncoming(in)
		}
		return nil
	} else if !Is(err, KindNotFound) {
		return err
	}
	d, err := tx.Dossier(queue)
	if Is(err, KindNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	t := findRef(d, transferID)
	if t == nil || version != t.Version+1 {
		return nil
	}
	t.Version, t.UpdatedAt = version, s.Now()
	d.Version++
	d.UpdatedAt = t.UpdatedAt
	return tx.PutDossier(d)
}

// AcceptIncoming takes in a dossier another agency transferred here: a local
// dossier with its own code (Reference = the sender's code), the incoming
// transfer marked accepted, and the acknowledgement queued — one transaction.
func (s *Service) AcceptIncoming(u *User, id string) (*Dossier, error) {
	const op = "AcceptIncoming"
	if !u.Has(RoleReceiver) {
		return nil, deny(op, "Tiếp nhận hồ sơ liên thông")
	}
	var out *Dossier
	err := s.store.Update(func(tx Tx) error {
		in, err := tx.Incoming(id)
		if err != nil {
			return err
		}
		if in.State != TransferPending {
			return E(op, KindConflict, "Hồ sơ liên thông này đã được xử lý hoặc đã bị thu hồi")
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
			note += ", hẹn trả " + d.DueAt.Format("15:04 02/01/2006")
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
		return nil, E(op, KindInvalid, "Chưa thiết lập thông tin cơ quan", err)
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
		return deny(op, "Từ chối hồ sơ liên thông")
	}
	reason = NFC(reason)
	if reason == "" {
		return E(op, KindInvalid, "Nhập lý do từ chối", FieldError{"reason", "Nhập lý do từ chối hồ sơ liên thông"})
	}
	return s.store.Update(func(tx Tx) error {
		in, err := tx.Incoming(id)
		if err != nil {
			return err
		}
		if in.State != TransferPending {
			return E(op, KindConflict, "Hồ sơ liên thông này đã được xử lý hoặc đã bị thu hồi")
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
// for the other agency in the same transaction.
func (s *Service) afterChange(tx Tx, d *Dossier, from State, who UserRef) error {
	if from.Code() == d.Status {
		return nil
	}
	now := d.UpdatedAt
	actor := Actor{Name: who.FullName, Title: who.Title, Unit: d.Unit}
	// This office is the recipient: report 4, 5, 6, 8, 9 to the sender.
	if d.ReferenceTransfer != "" {
		switch d.Status {
		case StatusProcessing, StatusSupplement, StatusPaymentRequired, StatusStopped, StatusResolved:
			in, err := tx.Incoming(d.ReferenceTransfer)
			if err != nil && !Is(err, KindNotFound) {
				return err
			}
			if in != nil && (in.State == TransferRecalled || in.State == TransferRejected) {
				break
			}
			st := TransferStatus{Status: d.Status, Actor: actor, OccurredAt: now}
			switch d.Status {
			case StatusProcessing:
				st.Note = "Đang xử lý"
				if d.Unit != "" {
					st.Note += " tại " + d.Unit
				}
			case StatusSupplement:
				r := d.Supplements[len(d.Supplements)-1]
				deadline := d.DueAt
				if deadline.IsZero() || deadline.Before(now) {
					deadline = now.AddDate(0, 0, 30)
				}
				st.Note = r.Reason
				st.Supplement = &SupplementRequest{Request: strings.Join(r.Items, "; "), Deadline: deadline}
			case StatusPaymentRequired:
				var total int64
				if d.Payment != nil {
					for _, f := range d.Payment.Items {
						total += f.Amount
					}
				}
				st.Note = "Yêu cầu nộp " + FormatVND(total)
			case StatusStopped:
				st.Note = d.StopReason
			case StatusResolved:
				if r := d.Result; r != nil {
					st.Note = r.Summary
					if len(r.Files) == 0 {
						st.Results = []ResultFile{{Name: r.Kind, Kind: r.Kind, Number: r.Number}}
					}
					for _, f := range r.Files {
						name := f.Name
						if name == "" {
							name = r.Kind
						}
						st.Results = append(st.Results, ResultFile{Name: name, Kind: r.Kind, Number: r.Number, SHA256: f.SHA256, Size: f.Size})
					}
				}
			}
			if err := enqueue(tx, OutboxStatus, d.Code, StatusIntent{TransferID: d.ReferenceTransfer, Role: RoleRecipient, TransferStatus: st}, now); err != nil {
				return err
			}
		}
	}
	// This office is the sender: the citizen got the result (10) or withdrew (7).
	if d.Status == StatusReturned || d.Status == StatusWithdrawn {
		for _, t := range d.Transfers {
			if t.State != TransferAccepted && t.State != TransferCompleted {
				continue
			}
			st := TransferStatus{Status: d.Status, Actor: actor, OccurredAt: now}
			if d.Status == StatusReturned && d.Return != nil {
				st.Note = "Đã trả kết quả cho " + d.Return.To
			} else {
				st.Note = d.WithdrawNote
			}
			if err := enqueue(tx, OutboxStatus, d.Code, StatusIntent{TransferID: t.ID, Role: RoleSender, TransferStatus: st}, now); err != nil {
				return err
			}
		}
	}
	return nil
}

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

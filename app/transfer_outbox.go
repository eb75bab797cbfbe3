package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Outbox intents: what a use case queues for the hub, in the same
// transaction as its local change, and how the hub's answers to those calls
// are recorded.

// TransferIntent is the payload of an OutboxTransfer item: the dossier as it
// was when the officer transferred it.
type TransferIntent struct {
	LocalRef string          `json:"local_ref"` // TransferRef.ID until the hub names it
	GroupID  string          `json:"group_id,omitempty"`
	Purpose  TransferPurpose `json:"purpose"`
	Follows  string          `json:"follows,omitempty"` // supplement, result: the hub's id of the transfer it belongs to
	ToAgency string          `json:"to_agency"`
	Note     string          `json:"note,omitempty"`
	Dossier  Dossier         `json:"dossier"` // snapshot, without history
}

// StatusIntent is the payload of an OutboxStatus item.
type StatusIntent struct {
	TransferID string       `json:"transfer_id"`
	Role       TransferRole `json:"role"`
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

// incomingQueue is the outbox queue of calls about an incoming transfer that
// has no local dossier (a refusal).
func incomingQueue(id string) string { return "incoming/" + id }

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
		return E("TransferSent", KindNotFound, M(MsgNoTransfer, code, localRef))
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
	} else if t.State == TransferRecalled && changed {
		// The citizen withdrew while the creation was on the wire: the hub
		// holds it now, so it is recalled there too.
		if err := recallLate(tx, d, t, s.Now()); err != nil {
			return err
		}
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
				if d.StopLegal != "" {
					st.Note += stopLegalSep + d.StopLegal
				}
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
			if t.State != TransferAccepted && t.State != TransferCompleted || t.Purpose != PurposeProcess && t.Purpose != "" {
				continue
			}
			if d.Status == StatusWithdrawn && t.State == TransferCompleted {
				continue // an earlier leg of a group, done: the hub takes no 7 on it
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

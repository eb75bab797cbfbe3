package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Online dossiers (hồ sơ trực tuyến, domain.md §3.7): a citizen submits on
// the province portal, the hub hands the submission to this office, and the
// receiving officer accepts it (a dossier is received, channel 2), refuses it
// or asks for a supplement. The submission waits as a status 1 dossier
// without a code: the code is issued only at acceptance.

// Events of the hub's feed about submissions (v1.1): the client files
// EventSubmissionReceived through ReceiveSubmission; EventSubmissionDecided
// is the portal's.
const (
	EventSubmissionReceived EventType = "submission.received"
	EventSubmissionDecided  EventType = "submission.decided"
)

// SubmissionState is where an online submission stands at this office.
type SubmissionState string

const (
	SubmissionPending    SubmissionState = "pending"    // chờ tiếp nhận
	SubmissionAccepted   SubmissionState = "accepted"   // đã tiếp nhận (a dossier exists)
	SubmissionRefused    SubmissionState = "refused"    // từ chối (form 03)
	SubmissionSupplement SubmissionState = "supplement" // yêu cầu bổ sung (form 02); the citizen submits again
)

// OnlineSubmission is an online dossier the hub delivered (hồ sơ nộp trực
// tuyến), with what this office decided.
type OnlineSubmission struct {
	ID          string            `json:"id"` // the hub's submission id
	Portal      string            `json:"portal"`
	PortalRef   string            `json:"portal_ref"`
	SubmittedAt time.Time         `json:"submitted_at"`
	ArrivedAt   time.Time         `json:"arrived_at"`
	Version     int               `json:"version"`
	State       SubmissionState   `json:"state"`
	Dossier     Dossier           `json:"dossier"`             // state Submitted, status 1, channel 2, no code
	FormData    map[string]string `json:"form_data,omitempty"` // the portal's form fields, as text
	Warnings    []Message         `json:"warnings,omitempty"`  // unknown procedure, missing scans
	DecidedAt   time.Time         `json:"decided_at,omitzero"`
	DecidedBy   UserRef           `json:"decided_by,omitempty"`
	Reason      string            `json:"reason,omitempty"`     // refused
	Supplement  string            `json:"supplement,omitempty"` // supplement: what to add
	LocalCode   string            `json:"local_code,omitempty"` // accepted: the dossier received here
	FormSHA256  string            `json:"form_sha256,omitempty"`
}

// SubmissionDecision is the body of the outbox item that answers the hub
// (POST /v1/submissions/{id}/decision).
type SubmissionDecision struct {
	SubmissionID  string          `json:"submission_id"`
	Decision      SubmissionState `json:"decision"`
	DossierCode   string          `json:"dossier_code,omitempty"`
	ReceivedAt    time.Time       `json:"received_at,omitzero"`
	DueAt         time.Time       `json:"due_at,omitzero"`
	ReceiptSHA256 string          `json:"receipt_sha256,omitempty"` // form 01 (a scan in the store)
	Reason        string          `json:"reason,omitempty"`
	Supplement    string          `json:"supplement,omitempty"`
	Actor         Actor           `json:"actor"`
}

// OutboxDecision answers a submission.
const OutboxDecision OutboxKind = "submission.decision"

func submissionQueue(id string) string { return "submission/" + id }

// FormPrinter renders a printed form of a dossier as PDF; package forms
// implements it (forms.Printer) and the composition root passes it in. The
// online decisions send the form they produce back to the citizen.
type FormPrinter interface {
	PrintForm(kind string, ag Agency, st Settings, d *Dossier, by UserRef) ([]byte, error)
}

// Forms the online decisions produce (the kinds of package forms).
const (
	FormReceipt    = "receipt"    // 01
	FormSupplement = "supplement" // 02
	FormRefusal    = "refusal"    // 03
)

// WithForms gives the service the form printer the online decisions use.
func WithForms(p FormPrinter) Option { return func(s *Service) { s.forms = p } }

// SetForms sets the form printer after construction.
func (s *Service) SetForms(p FormPrinter) { s.forms = p }

// ReceiveSubmission records a submission the hub delivered, inside the
// caller's transaction (the client moves its cursor in the same one). A
// submission seen before changes nothing. An unknown procedure or a missing
// scan is kept as a warning: the officer can still refuse it.
func (s *Service) ReceiveSubmission(tx Tx, eventID string, sub OnlineSubmission) error {
	const op = "ReceiveSubmission"
	if eventID != "" {
		if seen, err := tx.SeenEvent(eventID); err != nil || seen {
			return err
		}
	}
	if sub.ID == "" {
		return E(op, KindInvalid, MsgSubmissionNoID)
	}
	if _, err := tx.Submission(sub.ID); err == nil {
		return markEvent(tx, eventID) // delivered again
	} else if !Is(err, KindNotFound) {
		return err
	}
	ag, err := tx.Agency()
	if err != nil {
		return err
	}
	d := &sub.Dossier
	d.Code, d.AgencyCode, d.Channel = "", ag.Code, ChannelOnline
	d.State, d.Status = StateSubmitted, StatusSubmitted
	d.SubmittedAt = sub.SubmittedAt.In(Vietnam)
	d.ReceivedAt, d.DueAt = time.Time{}, time.Time{}
	normPerson(&d.Applicant)
	d.ProcedureName, d.Summary = NFC(d.ProcedureName), NFC(d.Summary)
	if d.Sets < 1 {
		d.Sets = 1
	}
	sub.Warnings = nil
	if p, err := tx.Procedure(d.ProcedureCode); err == nil {
		d.ProcedureName, d.Field = p.Name, p.Field
		if !p.Active {
			sub.Warnings = append(sub.Warnings, M(MsgOnlineInactiveProcedure, p.Code))
		}
	} else if Is(err, KindNotFound) {
		sub.Warnings = append(sub.Warnings, M(MsgOnlineProcedureNotHere, d.ProcedureCode))
	} else {
		return err
	}
	for _, doc := range d.Documents {
		if doc.SHA256 == "" {
			continue
		}
		if ok, err := tx.HasScan(doc.SHA256); err != nil {
			return err
		} else if !ok {
			sub.Warnings = append(sub.Warnings, M(MsgOnlineScanMissing, doc.Name))
		}
	}
	sub.State, sub.ArrivedAt = SubmissionPending, s.Now()
	if err := tx.PutSubmission(&sub); err != nil {
		return err
	}
	return markEvent(tx, eventID)
}

func markEvent(tx Tx, id string) error {
	if id == "" {
		return nil
	}
	return tx.MarkEvent(id)
}

// OnlineQueueItem is a row of the queue "Hồ sơ trực tuyến chờ tiếp nhận".
type OnlineQueueItem struct {
	OnlineSubmission
	Waited   time.Duration // since the submission
	Deadline time.Time     // decide by (domain.md §3.7)
	Late     bool          // past Deadline
}

// DecideBy is the deadline to decide on a submission made at t: the closing
// time of the days-th working day after the day of t (domain.md §3.7, default
// the next working day).
func DecideBy(cal *Calendar, t time.Time, days int) time.Time {
	days = max(days, 1)
	d := t.In(Vietnam)
	for range days {
		d = cal.NextWorkingDay(d)
	}
	return cal.CloseOf(d)
}

// OnlineQueue lists the submissions waiting for a decision, oldest first.
func (s *Service) OnlineQueue() ([]OnlineQueueItem, error) {
	var out []OnlineQueueItem
	now := s.Now()
	err := s.store.View(func(tx Tx) error {
		subs, err := tx.ListSubmissions(true)
		if err != nil {
			return err
		}
		cal, err := s.calendar(tx)
		if err != nil {
			return err
		}
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		for _, sb := range subs {
			it := OnlineQueueItem{OnlineSubmission: sb, Waited: now.Sub(sb.SubmittedAt),
				Deadline: DecideBy(cal, sb.SubmittedAt, st.OnlineDecideDays)}
			it.Late = now.After(it.Deadline)
			out = append(out, it)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b OnlineQueueItem) int { return a.SubmittedAt.Compare(b.SubmittedAt) })
	return out, err
}

// OnlinePending counts the submissions waiting for a decision (the home
// screen's tile).
func (s *Service) OnlinePending() (int, error) {
	n := 0
	err := s.store.View(func(tx Tx) error {
		subs, err := tx.ListSubmissions(true)
		n = len(subs)
		return err
	})
	return n, err
}

// Submission returns one online submission.
func (s *Service) Submission(id string) (*OnlineSubmission, error) {
	var out *OnlineSubmission
	err := s.store.View(func(tx Tx) (err error) { out, err = tx.Submission(id); return })
	return out, err
}

// decide runs one online decision: role check, the pending submission, the
// form, the outbox item and the record, in one transaction.
func (s *Service) decide(op string, u *User, id string, fn func(tx Tx, sb *OnlineSubmission, who UserRef, now time.Time) (*SubmissionDecision, error)) (*OnlineSubmission, error) {
	var out *OnlineSubmission
	err := s.store.Update(func(tx Tx) error {
		who, err := authorize(op, tx, u, RoleReceiver)
		if err != nil {
			return err
		}
		sb, err := tx.Submission(id)
		if err != nil {
			return err
		}
		if sb.State != SubmissionPending {
			return E(op, KindConflict, M(MsgSubmissionDecided, sb.State))
		}
		now := s.Now()
		dec, err := fn(tx, sb, who, now)
		if err != nil {
			return err
		}
		dec.SubmissionID, dec.Actor = sb.ID, Actor{Name: who.FullName, Title: who.Title, Unit: "Bộ phận Một cửa"}
		sb.DecidedAt, sb.DecidedBy = now, who
		if err := tx.PutSubmission(sb); err != nil {
			return err
		}
		if err := s.audit(tx, who, "online."+string(sb.State), sb.ID, sb.PortalRef); err != nil {
			return err
		}
		if err := enqueue(tx, OutboxDecision, submissionQueue(sb.ID), dec, now); err != nil {
			return err
		}
		out = sb
		return nil
	})
	return out, err
}

// printForm renders a form through the service's printer and keeps the PDF
// in the store; it returns its SHA-256.
func (s *Service) printForm(op string, tx Tx, kind string, d *Dossier, by UserRef) (string, error) {
	if s.forms == nil {
		return "", E(op, KindOther, MsgNoFormPrinter)
	}
	ag, err := tx.Agency()
	if err != nil {
		return "", err
	}
	st, err := tx.Settings()
	if err != nil {
		return "", err
	}
	pdf, err := s.forms.PrintForm(kind, *ag, st, d, by)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(pdf)
	sha := hex.EncodeToString(sum[:])
	return sha, tx.PutScan(sha, pdf)
}

// AcceptOnline accepts an online submission (1 → 2): the code is issued now,
// received_at is the acceptance instant and the appointment is computed from
// it with the procedure's online rule; the submission time is kept. Form 01 is
// generated, kept, and sent back with the decision.
func (s *Service) AcceptOnline(u *User, id string) (*Dossier, error) {
	const op = "AcceptOnline"
	var d *Dossier
	_, err := s.decide(op, u, id, func(tx Tx, sb *OnlineSubmission, who UserRef, now time.Time) (*SubmissionDecision, error) {
		p, err := tx.Procedure(sb.Dossier.ProcedureCode)
		if Is(err, KindNotFound) {
			return nil, E(op, KindInvalid, M(MsgOnlineUnknownProcedure, sb.Dossier.ProcedureCode))
		}
		if err != nil {
			return nil, err
		}
		ag, err := tx.Agency()
		if err != nil {
			return nil, err
		}
		seq, err := tx.NextSeq("dossier/" + ag.Code + "/" + now.Format("060102"))
		if err != nil {
			return nil, err
		}
		cal, err := s.calendar(tx)
		if err != nil {
			return nil, err
		}
		st, err := tx.Settings()
		if err != nil {
			return nil, err
		}
		nd := sb.Dossier
		nd.Code, nd.AgencyCode = DossierCode(ag.Code, now, seq), ag.Code
		nd.ProcedureName, nd.Field, nd.Legal, nd.TimeRule = p.Name, p.Field, p.Legal, p.RuleFor(ChannelOnline)
		nd.Channel, nd.ReceivedAt, nd.Version, nd.UpdatedAt = ChannelOnline, now, 1, now
		nd.Unit, nd.Handler = "Bộ phận Một cửa", who
		if nd.ReturnPlace == "" {
			nd.ReturnPlace = "Bộ phận Một cửa, " + ag.Name
		}
		if due, ok := cal.Due(now, nd.TimeRule); ok {
			nd.DueAt, nd.OriginalDue, nd.StatsDue = due, due, due
		}
		row, err := tx.NextSeq(fmt.Sprintf("register/%s/%d", st.RegisterBook, now.Year()))
		if err != nil {
			return nil, err
		}
		nd.RegisterBook, nd.RegisterRow = st.RegisterBook, row
		nd.State, nd.Status = StateReceived, StatusReceived
		nd.Reference = "" // counted here: the citizen gave it to this office
		if err := tx.PutDossier(&nd); err != nil {
			return nil, err
		}
		note := fmt.Sprintf("Tiếp nhận hồ sơ nộp trực tuyến lúc %s (mã cổng %s)", sb.SubmittedAt.In(Vietnam).Format("15:04 02/01/2006"), sb.PortalRef)
		if !nd.DueAt.IsZero() {
			note += ", hẹn trả " + nd.DueAt.Format("15:04 02/01/2006")
		}
		if err := appendHistory(tx, &nd, who, ActAccept, StateSubmitted, StateReceived, note, now); err != nil {
			return nil, err
		}
		nd.History, _ = tx.History(nd.Code)
		sha, err := s.printForm(op, tx, FormReceipt, &nd, who)
		if err != nil {
			return nil, err
		}
		sb.State, sb.LocalCode, sb.FormSHA256 = SubmissionAccepted, nd.Code, sha
		d = &nd
		return &SubmissionDecision{Decision: SubmissionAccepted, DossierCode: nd.Code, ReceivedAt: now,
			DueAt: nd.DueAt, ReceiptSHA256: sha}, nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// RefuseOnline refuses an online submission with a reason (form 03 kept
// and the reason sent back). Nothing is received; no code is used.
func (s *Service) RefuseOnline(u *User, id, reason string) (*OnlineSubmission, error) {
	const op = "RefuseOnline"
	reason = NFC(reason)
	if reason == "" {
		return nil, E(op, KindInvalid, MsgRefuseReason, FieldErr("reason", MsgRefuseIntakeReason))
	}
	if err := checkTexts(op, paragraph("reason", reason)); err != nil {
		return nil, err
	}
	return s.decide(op, u, id, func(tx Tx, sb *OnlineSubmission, who UserRef, now time.Time) (*SubmissionDecision, error) {
		d := sb.Dossier
		d.State, d.Status, d.RefuseReason, d.FinishedAt = StateRefused, StatusRefused, reason, now
		sha, err := s.printForm(op, tx, FormRefusal, &d, who)
		if err != nil {
			return nil, err
		}
		sb.State, sb.Reason, sb.FormSHA256 = SubmissionRefused, reason, sha
		return &SubmissionDecision{Decision: SubmissionRefused, Reason: reason}, nil
	})
}

// RequestOnlineSupplement answers an online submission with what to add
// (form 02): nothing is received, the citizen submits again on the portal.
func (s *Service) RequestOnlineSupplement(u *User, id string, items []string, reason string) (*OnlineSubmission, error) {
	const op = "RequestOnlineSupplement"
	var clean []string
	for _, it := range items {
		if it = NFC(it); it != "" {
			clean = append(clean, it)
		}
	}
	reason = NFC(reason)
	if len(clean) == 0 {
		return nil, E(op, KindInvalid, MsgListSupplementItems, FieldErr("items", MsgListSupplementItems))
	}
	if err := checkTexts(op, append(lineList("items", clean), paragraph("reason", reason))...); err != nil {
		return nil, err
	}
	return s.decide(op, u, id, func(tx Tx, sb *OnlineSubmission, who UserRef, now time.Time) (*SubmissionDecision, error) {
		d := sb.Dossier
		d.Supplements = []SupplementRound{{N: 1, Items: clean, Reason: reason, RequestedBy: who, RequestedAt: now}}
		sha, err := s.printForm(op, tx, FormSupplement, &d, who)
		if err != nil {
			return nil, err
		}
		text := strings.Join(clean, "; ")
		if reason != "" {
			text += ". Lý do: " + reason
		}
		sb.State, sb.Supplement, sb.FormSHA256 = SubmissionSupplement, text, sha
		return &SubmissionDecision{Decision: SubmissionSupplement, Supplement: text}, nil
	})
}

// Label is the Vietnamese name of the state.
func (st SubmissionState) Label() string {
	switch st {
	case SubmissionPending:
		return "Chờ tiếp nhận"
	case SubmissionAccepted:
		return "Đã tiếp nhận"
	case SubmissionRefused:
		return "Từ chối tiếp nhận"
	case SubmissionSupplement:
		return "Yêu cầu bổ sung"
	}
	return string(st)
}

// refusedOnline counts the online submissions refused in [from, to).
func refusedOnline(tx Tx, from, to time.Time) (int, error) {
	subs, err := tx.ListSubmissions(false)
	n := 0
	for _, sb := range subs {
		if sb.State == SubmissionRefused && !sb.DecidedAt.Before(from) && sb.DecidedAt.Before(to) {
			n++
		}
	}
	return n, err
}

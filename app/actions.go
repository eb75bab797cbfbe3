package app

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"
)

// appendHistory chains and stores the next history entry of d, sealing d's
// state as it is now (the caller has made every change of the step).
func appendHistory(tx Tx, d *Dossier, who UserRef, a Action, from, to State, note string, at time.Time) error {
	return appendHistoryActed(tx, d, who, a, from, to, note, at, time.Time{})
}

// appendHistoryActed is appendHistory for an action another agency's
// official took at acted (zero: none).
func appendHistoryActed(tx Tx, d *Dossier, who UserRef, a Action, from, to State, note string, at, acted time.Time) error {
	e := HistoryEntry{Seq: len(d.History) + 1, At: at, User: who, Action: a, From: from, To: to, Note: NFC(note), Seal: SealState(d), ActedAt: acted}
	if n := len(d.History); n > 0 {
		e.PrevHash = d.History[n-1].Hash
	}
	e.Hash = HashEntry(e)
	if err := tx.AppendHistory(d.Code, e); err != nil {
		return err
	}
	d.History = append(d.History, e)
	return nil
}

// step is the body of an action: it changes d (already loaded, state checked)
// and returns the history note.
type step func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (note string, err error)

// act runs one workflow action in one transaction: role check, load, state
// check, the step, the new state, the store write and the history entry.
func (s *Service) act(u *User, code string, a Action, fn step) (*Dossier, error) {
	op := string(a)
	if !MayPerform(u, a) {
		return nil, deny(op, a)
	}
	var out *Dossier
	err := s.store.Update(func(tx Tx) error {
		cur, err := currentUser(op, tx, u)
		if err != nil {
			return err
		}
		if !MayPerform(cur, a) {
			return deny(op, a)
		}
		d, err := s.applyTx(tx, cur.Ref(), code, a, fn)
		out = d
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// apply is act without the role check: system actions (transfer updates).
func (s *Service) apply(who UserRef, code string, a Action, fn step) (*Dossier, error) {
	var out *Dossier
	err := s.store.Update(func(tx Tx) error {
		d, err := s.applyTx(tx, who, code, a, fn)
		out = d
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// applyTx runs an action inside an existing transaction (the inbox applies
// an event and advances its cursor in the same one).
func (s *Service) applyTx(tx Tx, who UserRef, code string, a Action, fn step) (*Dossier, error) {
	op := string(a)
	d, err := tx.Dossier(code)
	if err != nil {
		return nil, err
	}
	next, err := Next(d.State, a)
	if err != nil {
		return nil, err
	}
	cal, err := s.calendar(tx)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	from := d.State
	next = loopTarget(d, a, next) // before the step closes the wait
	note, err := fn(tx, d, cal, now)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			err = E(op, err)
		}
		return nil, err
	}
	d.State, d.Status = next, next.Code()
	d.Version++
	d.UpdatedAt = now
	if err := tx.PutDossier(d); err != nil {
		return nil, err
	}
	if err := s.afterChange(tx, d, from, who); err != nil {
		return nil, err
	}
	who, acted := eventActor(tx, who)
	if err := appendHistoryActed(tx, d, who, a, from, next, note, now, acted); err != nil {
		return nil, err
	}
	return d, nil
}

func required(op, field, value string, msg MsgID) error {
	if value == "" {
		return E(op, KindInvalid, msg, FieldErr(field, msg))
	}
	return nil
}

// closeLeg finishes the open control-sheet leg, classifying it against its deadline.
func closeLeg(d *Dossier, now time.Time) {
	if n := len(d.Legs); n > 0 && d.Legs[n-1].FinishedAt.IsZero() {
		l := &d.Legs[n-1]
		l.FinishedAt = now
		if !l.Deadline.IsZero() {
			l.Outcome = Classify(now, l.Deadline)
		}
	}
}

func openLeg(d *Dossier, from UserRef, fromUnit string, to UserRef, toUnit string, deadline, now time.Time, note string) {
	closeLeg(d, now)
	d.Legs = append(d.Legs, HandoverLeg{N: len(d.Legs) + 1, FromUnit: fromUnit, FromUser: from, ToUnit: toUnit, ToUser: to,
		At: now, Deadline: deadline, Note: NFC(note)})
	d.Unit, d.Handler = toUnit, to
}

// HandoverInput names who takes the dossier next.
type HandoverInput struct {
	ToUser   string    // username of the specialist (or leader)
	ToUnit   string    // e.g. "Công chức Tư pháp - Hộ tịch"; defaults to the user's unit
	Deadline time.Time // the step's deadline; zero = the appointment date
	Note     string
}

// Handover gives the dossier to a specialist or unit: one control-sheet leg.
func (s *Service) Handover(u *User, code string, in HandoverInput) (*Dossier, error) {
	const op = "Handover"
	return s.act(u, code, ActHandover, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		if err := checkTexts(op, line("to_unit", NFC(in.ToUnit)), paragraph("note", NFC(in.Note))); err != nil {
			return "", err
		}
		to, err := tx.User(strings.ToLower(strings.TrimSpace(in.ToUser)))
		if err != nil || to.Disabled {
			return "", E(op, KindInvalid, MsgChooseRecipient, FieldErr("to_user", MsgChooseRecipient))
		}
		if !to.Has(RoleSpecialist) && !to.Has(RoleLeader) {
			return "", E(op, KindInvalid, MsgRecipientRole, FieldErr("to_user", MsgRecipientRole))
		}
		unit := NFC(in.ToUnit)
		if unit == "" {
			unit = to.Unit
		}
		if unit == "" {
			unit = to.Title
		}
		deadline := in.Deadline
		if deadline.IsZero() {
			deadline = d.DueAt
		}
		if !in.Deadline.IsZero() && (in.Deadline.Before(d.ReceivedAt) || in.Deadline.Before(now)) {
			return "", E(op, KindInvalid, MsgStepBeforeNow, FieldErr("deadline", MsgStepBeforeNow))
		}
		if !deadline.IsZero() && !d.DueAt.IsZero() && deadline.After(d.DueAt) {
			return "", E(op, KindInvalid, MsgStepAfterDue, FieldErr("deadline", MsgStepAfterDue))
		}
		fromUnit := d.Unit
		if fromUnit == "" {
			fromUnit = "Bộ phận Một cửa"
		}
		openLeg(d, u.Ref(), fromUnit, to.Ref(), unit, deadline, now, in.Note)
		return fmt.Sprintf("Chuyển cho %s (%s). %s", to.FullName, unit, NFC(in.Note)), nil
	})
}

// SupplementInput lists what the applicant must add.
type SupplementInput struct {
	Items  []string
	Reason string
}

// RequestSupplement asks the applicant, through the counter, for more
// documents (status 5). The clock policy is the office setting at this moment.
func (s *Service) RequestSupplement(u *User, code string, in SupplementInput) (*Dossier, error) {
	const op = "RequestSupplement"
	return s.act(u, code, ActRequestSupplement, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		var items []string
		for _, it := range in.Items {
			if it = NFC(it); it != "" {
				items = append(items, it)
			}
		}
		reason := NFC(in.Reason)
		if len(items) == 0 {
			return "", E(op, KindInvalid, MsgListSupplementItems, FieldErr("items", MsgListSupplementItems))
		}
		if err := required(op, "reason", reason, MsgSupplementReason); err != nil {
			return "", err
		}
		if err := checkTexts(op, append(lineList("items", items), paragraph("reason", reason))...); err != nil {
			return "", err
		}
		st, err := tx.Settings()
		if err != nil {
			return "", err
		}
		d.Supplements = append(d.Supplements, SupplementRound{N: len(d.Supplements) + 1, Items: items, Reason: reason,
			RequestedBy: u.Ref(), RequestedAt: now, Policy: st.ClockPolicy, PrevDue: d.DueAt})
		return "Yêu cầu bổ sung: " + strings.Join(items, "; ") + ". Lý do: " + reason, nil
	})
}

// ReceiveSupplement records the complete supplement at the counter and moves
// the appointment date per the round's policy: restart recomputes from now,
// pause extends the old date by the paused working time.
func (s *Service) ReceiveSupplement(u *User, code, note string) (*Dossier, error) {
	return s.ReceiveSupplementWith(u, code, SupplementReceipt{Note: note})
}

// ReceiveSupplementWith is ReceiveSupplement with the papers brought and
// their scans. When the round was asked by the recipient of a transfer, the
// papers go on to it as a `supplement` transfer and the dossier is
// transferred again (transfer_loop.go).
func (s *Service) ReceiveSupplementWith(u *User, code string, in SupplementReceipt) (*Dossier, error) {
	note := in.Note
	if err := checkTexts("ReceiveSupplement", paragraph("note", NFC(note))); err != nil {
		return nil, err
	}
	return s.act(u, code, ActReceiveSupplement, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		r := &d.Supplements[len(d.Supplements)-1]
		r.ReceivedAt, r.ReceivedBy, r.Note = now, u.Ref(), NFC(note)
		var sent string
		if r.TransferID != "" {
			docs, err := supplementDocs(tx, r, in)
			if err != nil {
				return "", err
			}
			d.Documents = append(d.Documents, docs...)
			if err := s.sendSupplement(tx, d, r, docs, now); err != nil {
				return "", err
			}
			to := findRef(d, r.TransferID)
			sent = ", chuyển liên thông đến " + cmp.Or(to.ToName, to.ToAgency)
		}
		if !d.DueAt.IsZero() {
			var due time.Time
			if r.Policy == ClockPause {
				paused := cal.WorkingHoursBetween(r.RequestedAt, now)
				due = cal.AddWorkingHours(r.PrevDue, paused)
			} else if nd, ok := cal.Due(now, d.TimeRule); ok {
				due = nd
			}
			if !due.IsZero() {
				r.NewDue, d.DueAt, d.StatsDue = due, due, due
			}
		}
		msg := "Nhận hồ sơ bổ sung" + sent
		if !r.NewDue.IsZero() {
			msg += ", hẹn trả mới " + TimeDate(r.NewDue)
		}
		if n := NFC(note); n != "" {
			msg += ". " + n
		}
		return msg, nil
	})
}

// RequestPayment asks for fees or taxes (status 6).
func (s *Service) RequestPayment(u *User, code string, items []Fee) (*Dossier, error) {
	const op = "RequestPayment"
	return s.act(u, code, ActRequestPayment, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		var total int64
		var clean []Fee
		for _, f := range items {
			f.Name = NFC(f.Name)
			if f.Name == "" || f.Amount <= 0 {
				return "", E(op, KindInvalid, MsgFeeItem, FieldErr("items", MsgFeeItem))
			}
			if err := checkTexts(op, line("items", f.Name)); err != nil {
				return "", err
			}
			f.Paid = false
			total += f.Amount
			clean = append(clean, f)
		}
		if len(clean) == 0 {
			return "", E(op, KindInvalid, MsgFeeNone, FieldErr("items", MsgFeeNone))
		}
		st, err := tx.Settings()
		if err != nil {
			return "", err
		}
		d.Payment = &Payment{Items: clean, RequestedBy: u.Ref(), RequestedAt: now, Policy: st.ClockPolicy, PrevDue: d.DueAt}
		return fmt.Sprintf("Yêu cầu nộp %s", FormatVND(total)), nil
	})
}

// RecordPayment records that the requested fees were paid.
func (s *Service) RecordPayment(u *User, code, receiptNo string) (*Dossier, error) {
	const op = "RecordPayment"
	return s.act(u, code, ActRecordPayment, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		receiptNo = NFC(receiptNo)
		if err := required(op, "receipt_no", receiptNo, MsgReceiptNo); err != nil {
			return "", err
		}
		if err := checkTexts(op, line("receipt_no", receiptNo)); err != nil {
			return "", err
		}
		if d.Payment == nil {
			return "", E(op, KindConflict, MsgNoPaymentRequest)
		}
		d.Payment.PaidAt, d.Payment.ReceiptNo = now, receiptNo
		for _, f := range d.Payment.Items {
			f.Paid, f.ReceiptNo, f.PaidAt = true, receiptNo, now
			d.Fees = append(d.Fees, f)
		}
		msg := "Đã nộp, biên lai số " + receiptNo
		if p := d.Payment; p.Policy != "" { // asked before the clock rule (§5.4): the date stays
			if due := resumeDue(cal, d, p.Policy, p.RequestedAt, p.PrevDue, now); !due.IsZero() {
				p.NewDue, d.DueAt, d.StatsDue = due, due, due
				msg += ", hẹn trả mới " + TimeDate(due)
			}
		}
		if d.Payment.TransferID != "" {
			if err := reportPaid(tx, d, u.Ref(), receiptNo, now); err != nil {
				return "", err
			}
			msg += ". Đã báo cơ quan giải quyết liên thông"
		}
		return msg, nil
	})
}

// Stop ends processing (status 8): neither on time nor late.
func (s *Service) Stop(u *User, code, reason, legal string) (*Dossier, error) {
	const op = "Stop"
	return s.act(u, code, ActStop, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		reason = NFC(reason)
		if err := required(op, "reason", reason, MsgStopReason); err != nil {
			return "", err
		}
		if err := checkTexts(op, paragraph("reason", reason), paragraph("legal", NFC(legal))); err != nil {
			return "", err
		}
		d.StopReason, d.StopLegal, d.FinishedAt = reason, NFC(legal), now
		closeLeg(d, now)
		return reason, nil
	})
}

// Withdraw records the applicant's withdrawal (status 7).
func (s *Service) Withdraw(u *User, code, note string) (*Dossier, error) {
	const op = "Withdraw"
	return s.act(u, code, ActWithdraw, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		note = NFC(note)
		if err := required(op, "note", note, MsgWithdrawNote); err != nil {
			return "", err
		}
		if err := checkTexts(op, paragraph("note", note)); err != nil {
			return "", err
		}
		d.WithdrawNote, d.FinishedAt = note, now
		if err := withdrawTransfers(tx, d, note, now); err != nil {
			return "", err
		}
		closeLeg(d, now)
		return note, nil
	})
}

// Delay records an apology with a new date for the citizen. Statistics keep
// measuring against StatsDue (the date before any delay).
func (s *Service) Delay(u *User, code, reason string, newDue time.Time) (*Dossier, error) {
	const op = "Delay"
	return s.act(u, code, ActDelay, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		reason = NFC(reason)
		var fe []FieldError
		if reason == "" {
			fe = append(fe, FieldErr("reason", MsgDelayReason))
		}
		fe = append(fe, textErrors(paragraph("reason", reason))...)
		if newDue.IsZero() || !newDue.After(d.DueAt) {
			fe = append(fe, FieldErr("new_due", MsgNewDueAfter))
		} else if !cal.IsWorkingDay(newDue) {
			fe = append(fe, FieldErr("new_due", MsgNewDueWorkday))
		}
		if len(fe) > 0 {
			return "", E(op, KindInvalid, MsgApologyInvalid, fe)
		}
		d.Delays = append(d.Delays, Delay{N: len(d.Delays) + 1, Reason: reason, PrevDue: d.DueAt, NewDue: newDue.In(Vietnam), By: u.Ref(), At: now})
		d.DueAt = newDue.In(Vietnam)
		if err := reportDelay(tx, d, u.Ref(), reason, now); err != nil {
			return "", err
		}
		return fmt.Sprintf("Xin lỗi, hẹn lại %s. Lý do: %s", TimeDate(d.DueAt), reason), nil
	})
}

// SubmitForApproval sends the specialist's draft to the leader.
func (s *Service) SubmitForApproval(u *User, code, draft string) (*Dossier, error) {
	const op = "SubmitForApproval"
	return s.act(u, code, ActSubmitApproval, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		draft = NFC(draft)
		if err := required(op, "draft", draft, MsgDraft); err != nil {
			return "", err
		}
		if err := checkTexts(op, text{"draft", draft, MaxDraft, true}); err != nil {
			return "", err
		}
		d.Draft = draft
		return draft, nil
	})
}

// Approve is the leader's approval of the draft.
func (s *Service) Approve(u *User, code, note string) (*Dossier, error) {
	return s.act(u, code, ActApprove, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		return NFC(note), checkTexts("Approve", paragraph("note", NFC(note)))
	})
}

// SendBack returns the draft to the specialist with a reason.
func (s *Service) SendBack(u *User, code, reason string) (*Dossier, error) {
	const op = "SendBack"
	return s.act(u, code, ActSendBack, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		reason = NFC(reason)
		if err := required(op, "reason", reason, MsgSendBackReason); err != nil {
			return "", err
		}
		return reason, checkTexts(op, paragraph("reason", reason))
	})
}

// ResultInput is the issued result document.
type ResultInput struct {
	Kind    string
	Number  string
	Date    string // YYYY-MM-DD
	Signer  string
	Summary string
	Files   []SubmittedDocument // already in the store
	Scans   []ScanFile          // chosen now: stored with the result
}

func (in *ResultInput) validate(op string) error { return in.validateAt(op, nil, time.Time{}) }

// validateAt also checks the issue date against the dossier and now: a
// result cannot be issued in the future nor before the dossier was received.
func (in *ResultInput) validateAt(op string, d *Dossier, now time.Time) error {
	in.Kind, in.Number, in.Signer, in.Summary = NFC(in.Kind), NFC(in.Number), NFC(in.Signer), NFC(in.Summary)
	var fe []FieldError
	if in.Kind == "" {
		fe = append(fe, FieldErr("kind", MsgResultKind))
	}
	if in.Number == "" {
		fe = append(fe, FieldErr("number", MsgResultNumber))
	}
	if t, err := time.ParseInLocation("2006-01-02", in.Date, Vietnam); err != nil {
		fe = append(fe, FieldErr("date", MsgResultDate))
	} else if !now.IsZero() && t.After(now.In(Vietnam)) {
		fe = append(fe, FieldErr("date", MsgResultDateFuture))
	} else if d != nil && !d.ReceivedAt.IsZero() && t.AddDate(0, 0, 1).Before(d.ReceivedAt) {
		fe = append(fe, FieldErr("date", MsgResultDateBeforeReceipt))
	}
	fe = append(fe, checkText("kind", in.Kind, 250)...)
	fe = append(fe, checkText("number", in.Number, 100)...)
	fe = append(fe, checkText("signer", in.Signer, 100)...)
	fe = append(fe, textErrors(paragraph("summary", in.Summary))...)
	if in.Signer == "" {
		fe = append(fe, FieldErr("signer", MsgResultSigner))
	}
	if len(fe) > 0 {
		return E(op, KindInvalid, MsgResultInvalid, fe)
	}
	return nil
}

// RecordResult records the result (status 9). The dossier's outcome (early /
// on time / late) is fixed now, against StatsDue.
func (s *Service) RecordResult(u *User, code string, in ResultInput) (*Dossier, error) {
	const op = "RecordResult"
	return s.act(u, code, ActRecordResult, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		if err := in.validateAt(op, d, now); err != nil {
			return "", err
		}
		docs, err := putScans(tx, in.Scans)
		if err != nil {
			return "", err
		}
		in.Files = append(in.Files, docs...)
		finishResult(d, u.Ref(), in, now)
		return fmt.Sprintf("%s số %s, người ký %s", in.Kind, in.Number, in.Signer), nil
	})
}

func finishResult(d *Dossier, by UserRef, in ResultInput, now time.Time) {
	d.Result = &Result{Kind: in.Kind, Number: in.Number, Date: in.Date, Signer: in.Signer, Summary: in.Summary,
		Files: in.Files, RecordedBy: by, RecordedAt: now}
	d.FinishedAt = now
	if !d.StatsDue.IsZero() {
		d.Outcome = Classify(now, d.StatsDue)
	} else {
		d.Outcome = OutcomeEarly
		if sameDay(now, d.ReceivedAt) {
			d.Outcome = OutcomeOnTime
		}
	}
	fromUnit := d.Unit
	openLeg(d, by, fromUnit, UserRef{}, "Bộ phận Một cửa", d.DueAt, now, "Chuyển kết quả về Bộ phận Một cửa")
}

func sameDay(a, b time.Time) bool {
	a, b = a.In(Vietnam), b.In(Vietnam)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// ReturnInput records the hand-back.
type ReturnInput struct {
	Method    ReturnMethod
	To        string
	ToID      string
	Originals string
	Note      string
}

// Return hands the result to the applicant (status 10).
func (s *Service) Return(u *User, code string, in ReturnInput) (*Dossier, error) {
	const op = "Return"
	return s.act(u, code, ActReturn, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		in.To, in.ToID, in.Originals, in.Note = NFC(in.To), strings.TrimSpace(in.ToID), NFC(in.Originals), NFC(in.Note)
		var fe []FieldError
		switch in.Method {
		case ReturnInPerson, ReturnPostal, ReturnOnline:
		case "":
			in.Method = ReturnInPerson
		default:
			fe = append(fe, FieldErr("method", MsgReturnMethod))
		}
		if in.To == "" {
			fe = append(fe, FieldErr("to", MsgReturnTo))
		}
		fe = append(fe, textErrors(personName("to", in.To), paragraph("originals", in.Originals), paragraph("note", in.Note))...)
		if in.ToID != "" {
			if _, err := CheckPersonalID(IDCCCD, in.ToID); err != nil {
				if _, err9 := CheckPersonalID(IDCMND, in.ToID); err9 != nil {
					fe = append(fe, fieldFrom("to_id", err))
				}
			}
		}
		if len(fe) > 0 {
			return "", E(op, KindInvalid, MsgReturnInvalid, fe)
		}
		d.Return = &ReturnInfo{Method: in.Method, To: in.To, ToID: in.ToID, At: now, By: u.Ref(), Originals: in.Originals, Note: in.Note}
		d.ReturnedAt = now
		closeLeg(d, now)
		return "Trả kết quả cho " + in.To, nil
	})
}

// AddNote appends a note to the history without changing the state.
func (s *Service) AddNote(u *User, code, note string) (*Dossier, error) {
	const op = "AddNote"
	note = NFC(note)
	if note == "" {
		return nil, E(op, KindInvalid, MsgNoteText, FieldErr("note", MsgNoteText))
	}
	if err := checkTexts(op, paragraph("note", note)); err != nil {
		return nil, err
	}
	return s.act(u, code, ActNote, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		return note, nil
	})
}

// FormatVND renders an amount as "200.000 đồng" (MoneyLong).
func FormatVND(v int64) string { return MoneyLong(v) }

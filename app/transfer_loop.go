package app

import (
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Liên thông that closes the loop (issue 13): what every status the other
// agency sets does to this office's dossier, so that the official sees it,
// can print the citizen's form and the statistics count it right.
//
// At the sender (the office the citizen came to):
//   - 5: a supplement round opens on the dossier (StateSupplement) with the
//     recipient's request and deadline; form 02 prints from it. Receiving
//     the papers at the counter sends them on as a `supplement` transfer
//     that follows the original one, and the dossier is transferred again;
//   - 6: a payment request (StatePayment); recording the payment here
//     reports status 4 back to the recipient;
//   - 4 while waiting: the recipient resumed (it got the papers or the fees
//     another way): the wait ends here too;
//   - 8: the dossier is stopped with the recipient's reason; form 05;
//   - new_due_at: a delay (form 04); statistics keep StatsDue;
//   - 9: the result (transfer_events.go).
//
// At the recipient:
//   - a `supplement` transfer joins the dossier taken in for the transfer it
//     follows and closes its round (clock per the office's policy);
//   - 4 from the sender after 6: the fees were paid there;
//   - 10: the citizen got the result at the sender: the copy here is
//     returned (closed); 7: the citizen withdrew: the copy here is withdrawn.

// stopLegalSep joins the reason and the legal basis of a stop in the note
// of status 8 (the wire has one note): the sender's form 05 prints both.
const stopLegalSep = ". Căn cứ pháp lý: "

// waitTransfer is the transfer whose recipient d is waiting for (the open
// supplement round's or the payment's), "" when d waits for nothing of a
// transfer.
func waitTransfer(d *Dossier) string {
	switch d.State {
	case StateSupplement:
		if n := len(d.Supplements); n > 0 && d.Supplements[n-1].ReceivedAt.IsZero() {
			return d.Supplements[n-1].TransferID
		}
	case StatePayment:
		if d.Payment != nil && d.Payment.PaidAt.IsZero() {
			return d.Payment.TransferID
		}
	}
	return ""
}

// loopTarget is where an officer's action leads when the wait came from a
// transfer: the papers or the payment received at the counter go on to the
// recipient, and the dossier is transferred again instead of processed here.
func loopTarget(d *Dossier, a Action, next State) State {
	if (a == ActReceiveSupplement || a == ActRecordPayment) && waitTransfer(d) != "" {
		return StateTransferred
	}
	return next
}

// resumeDue is the appointment after a wait of the citizen's (supplement or
// payment) asked at `asked` and ended now: restart recomputes from now,
// pause extends the old date by the working time paused. Zero when the
// dossier has no appointment or its rule gives none.
func resumeDue(cal *Calendar, d *Dossier, policy ClockPolicy, asked time.Time, prevDue, now time.Time) time.Time {
	if d.DueAt.IsZero() {
		return time.Time{}
	}
	if policy == ClockPause {
		if prevDue.IsZero() {
			prevDue = d.DueAt
		}
		return cal.AddWorkingHours(prevDue, cal.WorkingHoursBetween(asked, now))
	}
	if due, ok := cal.Due(now, d.TimeRule); ok {
		return due
	}
	return time.Time{}
}

// Waiting reports whether the dossier waits for the citizen (5) or for fees
// (6): the citizen's time, not the office's (domain.md §5.4). Such a dossier
// is in neither the overdue queue nor the overdue count of the statistics.
func Waiting(s State) bool { return s == StateSupplement || s == StatePayment }

// MarkedLate reports whether a dossier in state with appointment due is late
// at now: open, its clock running (not waiting for the citizen or for fees)
// and past its date. Screens mark late dossiers by it, as the queues and
// statistics count them.
func MarkedLate(state State, due, now time.Time) bool {
	return state.Open() && !Waiting(state) && !due.IsZero() && Classify(now, due) == OutcomeLate
}

// Running lists the open states whose clock runs: the queues of due and
// overdue dossiers take only these.
func Running() []State {
	var out []State
	for _, s := range AllStates() {
		if s.Open() && !Waiting(s) {
			out = append(out, s)
		}
	}
	return out
}

// ---- at the sender: the recipient's news ----

// loopStatus returns the handler of a recipient's status that changes the
// sender's dossier beyond a note, or ok false for the plain update.
func loopStatus(e senderEvent) (Action, UserRef, step, bool) {
	st := e.Status
	who := hubActor(e.ToAgency, st.Actor)
	wait := waitTransfer(e.d)
	switch {
	case st.Status == StatusSupplement && e.d.State == StateTransferred:
		return ActTransferSupplement, who, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			set, err := tx.Settings()
			if err != nil {
				return "", err
			}
			at := eventTime(st.OccurredAt, now)
			r := SupplementRound{N: len(d.Supplements) + 1, Reason: st.Note, RequestedBy: who, RequestedAt: at,
				Policy: set.ClockPolicy, PrevDue: d.DueAt, TransferID: e.TransferID}
			if st.Supplement != nil {
				r.Items = splitItems(st.Supplement.Request)
				r.Deadline = st.Supplement.Deadline
			}
			if r.Reason == "" {
				r.Reason = e.name + " yêu cầu bổ sung"
			}
			d.Supplements = append(d.Supplements, r)
			e.set(d, now, "", st.Status, st.Note)
			note := fmt.Sprintf("%s yêu cầu bổ sung: %s", e.name, strings.Join(r.Items, "; "))
			if !r.Deadline.IsZero() {
				note += " (hạn " + ShortDate(r.Deadline) + ")"
			}
			if st.Note != "" {
				note += ". Lý do: " + st.Note
			}
			if l := transferLeg(d, e.TransferID); l != nil {
				l.Note = joinNote(l.Note, "Yêu cầu bổ sung: "+strings.Join(r.Items, "; "))
			}
			return note + ". In phiếu yêu cầu bổ sung (mẫu 02) cho công dân", nil
		}, true
	case st.Status == StatusPaymentRequired && e.d.State == StateTransferred:
		return ActTransferPayment, who, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			set, err := tx.Settings()
			if err != nil {
				return "", err
			}
			note := st.Note
			if note == "" {
				note = "Yêu cầu nộp phí, lệ phí"
			}
			d.Payment = &Payment{RequestedBy: who, RequestedAt: eventTime(st.OccurredAt, now), Policy: set.ClockPolicy,
				PrevDue: d.DueAt, TransferID: e.TransferID, Note: note}
			e.set(d, now, "", st.Status, st.Note)
			return fmt.Sprintf("%s: %s. Công dân nộp tại Bộ phận Một cửa", e.name, note), nil
		}, true
	case st.Status == StatusStopped && (e.d.State == StateTransferred || wait == e.TransferID && wait != ""):
		return ActTransferStop, who, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			reason, legal, _ := strings.Cut(st.Note, stopLegalSep)
			if reason == "" {
				reason = e.name + " dừng xử lý hồ sơ"
			}
			at := eventTime(st.OccurredAt, now)
			d.StopReason, d.StopLegal, d.FinishedAt = reason, legal, at
			e.set(d, now, "", st.Status, st.Note)
			closeTransferLeg(d, e.TransferID, at, "Dừng xử lý")
			closeLeg(d, at)
			d.Unit = "Bộ phận Một cửa"
			return fmt.Sprintf("%s dừng xử lý hồ sơ: %s. In thông báo dừng giải quyết (mẫu 05) cho công dân", e.name, reason), nil
		}, true
	case st.Status == StatusProcessing && wait != "" && wait == e.TransferID:
		return ActTransferResume, who, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			note := endWait(d, cal, who, now, e.name+" đã nhận đủ, tiếp tục xử lý")
			e.set(d, now, "", st.Status, st.Note)
			if dn := delayFrom(d, st, who, now); dn != "" {
				note += ". " + dn
			}
			return note, nil
		}, true
	case !st.NewDueAt.IsZero() && st.Status == StatusProcessing:
		return ActTransferUpdate, who, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			e.set(d, now, "", st.Status, st.Note)
			note := e.name + ": " + st.Status.Name()
			if dn := delayFrom(d, st, who, now); dn != "" {
				note += ". " + dn
				if l := transferLeg(d, e.TransferID); l != nil {
					l.Deadline = st.NewDueAt.In(Vietnam)
				}
			}
			return note, nil
		}, true
	}
	return "", UserRef{}, nil, false
}

// endWait closes the open round or payment of d: the recipient (or the
// counter here) has what it asked for. The appointment moves per the
// policy of the round; the statistics date with it (as a local supplement).
func endWait(d *Dossier, cal *Calendar, who UserRef, now time.Time, note string) string {
	switch d.State {
	case StateSupplement:
		r := &d.Supplements[len(d.Supplements)-1]
		r.ReceivedAt, r.ReceivedBy, r.Note = now, who, note
		if due := resumeDue(cal, d, r.Policy, r.RequestedAt, r.PrevDue, now); !due.IsZero() {
			r.NewDue, d.DueAt, d.StatsDue = due, due, due
			note += ", hẹn trả mới " + TimeDate(due)
		}
	case StatePayment:
		p := d.Payment
		p.PaidAt = now
		if due := resumeDue(cal, d, p.Policy, p.RequestedAt, p.PrevDue, now); !due.IsZero() {
			p.NewDue, d.DueAt, d.StatsDue = due, due, due
			note += ", hẹn trả mới " + TimeDate(due)
		}
	}
	return note
}

// delayFrom records the recipient's new date as a delay of this office's
// dossier: the citizen's appointment moves (form 04), StatsDue does not.
func delayFrom(d *Dossier, st *TransferStatus, who UserRef, now time.Time) string {
	if st.NewDueAt.IsZero() {
		return ""
	}
	nd := st.NewDueAt.In(Vietnam)
	if !nd.After(d.DueAt) {
		return ""
	}
	reason := st.Note
	if reason == "" {
		reason = "Cơ quan giải quyết liên thông gia hạn"
	}
	d.Delays = append(d.Delays, Delay{N: len(d.Delays) + 1, Reason: reason, PrevDue: d.DueAt, NewDue: nd, By: who, At: eventTime(st.OccurredAt, now)})
	d.DueAt = nd
	return fmt.Sprintf("Hẹn lại %s. Lý do: %s. In văn bản xin lỗi, hẹn lại (mẫu 04) cho công dân", TimeDate(nd), reason)
}

func eventTime(at, now time.Time) time.Time {
	if at.IsZero() || at.After(now) {
		return now
	}
	return at.In(Vietnam)
}

// splitItems turns the wire's request ("a; b") back into the round's items.
func splitItems(req string) []string {
	var out []string
	for _, it := range strings.FieldsFunc(req, func(r rune) bool { return r == ';' || r == '\n' }) {
		if it = NFC(strings.TrimSpace(it)); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// ---- at the sender: the counter's actions that answer the recipient ----

// SupplementReceipt is what the counter records when the citizen brings
// the papers of a supplement round.
type SupplementReceipt struct {
	Note   string
	Papers []SupplementPaper // none: one original of each item requested
	// Scans chosen without naming their paper: the first is the scan of the
	// first paper, and so on; more scans than papers are papers of their own.
	Scans []ScanFile
}

// SupplementPaper is one paper brought, with its scan when one was made.
type SupplementPaper struct {
	Name              string
	Originals, Copies int
	Scan              *ScanFile
}

// sendSupplement queues the papers of a round opened by a transfer's
// recipient as a `supplement` transfer that follows it. The documents are
// the papers brought (and their scans); the dossier is transferred again.
func (s *Service) sendSupplement(tx Tx, d *Dossier, r *SupplementRound, docs []SubmittedDocument, now time.Time) error {
	orig := findRef(d, r.TransferID)
	if orig == nil {
		return E("ReceiveSupplement", KindNotFound, M(MsgNoTransfer, d.Code, r.TransferID))
	}
	ag, err := tx.Agency()
	if err != nil {
		return err
	}
	ref := "local-" + NewID()
	note := fmt.Sprintf("Hồ sơ bổ sung lần %d", r.N)
	if r.Note != "" {
		note += ". " + r.Note
	}
	d.Transfers = append(d.Transfers, TransferRef{ID: ref, GroupID: orig.GroupID, ToAgency: orig.ToAgency, ToName: orig.ToName,
		FromAgency: ag.Code, Purpose: PurposeSupplement, Follows: orig.ID, State: TransferQueued, Note: note,
		CreatedAt: now, UpdatedAt: now})
	snap := *d
	snap.History, snap.Documents = nil, docs
	snap.State, snap.Status = StateTransferred, StatusProcessing
	return enqueue(tx, OutboxTransfer, d.Code, TransferIntent{LocalRef: ref, GroupID: orig.GroupID, Purpose: PurposeSupplement,
		Follows: orig.ID, ToAgency: orig.ToAgency, Note: note, Dossier: snap}, now)
}

// reportPaid tells the recipient that the fees it asked for were paid here
// (status 4 from the sender, an extension of the central API).
func reportPaid(tx Tx, d *Dossier, who UserRef, receiptNo string, now time.Time) error {
	st := TransferStatus{Status: StatusProcessing, Actor: Actor{Name: who.FullName, Title: who.Title, Unit: "Bộ phận Một cửa"},
		OccurredAt: now, Note: "Công dân đã nộp phí, lệ phí, biên lai số " + receiptNo}
	return enqueue(tx, OutboxStatus, d.Code, StatusIntent{TransferID: d.Payment.TransferID, Role: RoleSender, TransferStatus: st}, now)
}

// withdrawTransfers ends every live transfer of a dossier the citizen
// withdraws, in the same transaction: one still in the outbox is dropped
// (never sent), one the hub holds but the recipient has not accepted is
// recalled; an accepted one is told 7 by afterChange.
func withdrawTransfers(tx Tx, d *Dossier, note string, now time.Time) error {
	var items []OutboxItem
	for i := range d.Transfers {
		t := &d.Transfers[i]
		switch t.State {
		case TransferQueued:
			if items == nil {
				var err error
				if items, err = tx.OutboxItems(0); err != nil {
					return err
				}
			}
			for _, it := range items {
				if it.Kind != OutboxTransfer || it.Queue != d.Code {
					continue
				}
				var in TransferIntent
				if json.Unmarshal(it.Payload, &in) == nil && in.LocalRef == t.ID {
					if err := tx.DeleteOutboxItem(it.ID); err != nil && !Is(err, KindNotFound) {
						return err
					}
				}
			}
			t.State, t.UpdatedAt = TransferRecalled, now
		case TransferPending:
			if err := enqueue(tx, OutboxRecall, d.Code, RecallIntent{TransferID: t.ID, Reason: "Công dân rút hồ sơ. " + note}, now); err != nil {
				return err
			}
			t.State, t.UpdatedAt = TransferRecalled, now
		default:
			continue
		}
		closeTransferLeg(d, t.ID, now, "Thu hồi: công dân rút hồ sơ")
	}
	return nil
}

// recallLate recalls a transfer whose creation answer arrived after the
// citizen withdrew the dossier (the call was on the wire when the outbox
// item was dropped).
func recallLate(tx Tx, d *Dossier, t *TransferRef, now time.Time) error {
	return enqueue(tx, OutboxRecall, d.Code, RecallIntent{TransferID: t.ID, Reason: "Công dân rút hồ sơ. " + d.WithdrawNote}, now)
}

// reportDelay tells the sender of a dossier taken in here that the citizen
// has a new date (status 4 with new_due_at).
func reportDelay(tx Tx, d *Dossier, who UserRef, reason string, now time.Time) error {
	if d.ReferenceTransfer == "" || (d.Status != StatusProcessing && d.Status != StatusReceived) {
		return nil
	}
	if in, err := tx.Incoming(d.ReferenceTransfer); err == nil && in.State != TransferAccepted {
		return nil
	}
	st := TransferStatus{Status: StatusProcessing, Actor: Actor{Name: who.FullName, Title: who.Title, Unit: d.Unit},
		OccurredAt: now, NewDueAt: d.DueAt, Note: reason}
	return enqueue(tx, OutboxStatus, d.Code, StatusIntent{TransferID: d.ReferenceTransfer, Role: RoleRecipient, TransferStatus: st}, now)
}

// ---- at the recipient: the sender's news ----

// loopSenderStatus applies the sender's 4 (fees paid), 7 and 10 to the
// dossier taken in here; false when it is only a note.
func (s *Service) loopSenderStatus(tx Tx, in *IncomingTransfer, ev TransferEvent) (bool, error) {
	st := ev.Status
	d, err := tx.Dossier(in.LocalCode)
	if err != nil {
		return false, err
	}
	who := hubActor(ev.FromAgency, st.Actor)
	from := in.FromName
	if from == "" {
		from = ev.FromAgency
	}
	at := st.OccurredAt
	switch {
	case st.Status == StatusProcessing && d.State == StatePayment:
		_, err := s.applyTx(tx, who, d.Code, ActTransferJoin, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			note := endWait(d, cal, who, now, from+": "+st.Note)
			for _, f := range d.Payment.Items {
				f.Paid, f.PaidAt = true, now
				d.Fees = append(d.Fees, f)
			}
			return note, nil
		})
		return true, err
	case st.Status == StatusReturned && d.State == StateResolved:
		_, err := s.applyTx(tx, who, d.Code, ActTransferReturned, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			at = eventTime(at, now)
			to := strings.TrimPrefix(st.Note, "Đã trả kết quả cho ")
			d.Return = &ReturnInfo{Method: ReturnInPerson, To: to, At: at, By: who, Note: from + " đã trả kết quả cho công dân"}
			d.ReturnedAt = at
			closeLeg(d, at)
			return fmt.Sprintf("%s đã trả kết quả cho công dân. %s", from, st.Note), nil
		})
		return true, err
	case st.Status == StatusWithdrawn && d.State.Open():
		_, err := s.applyTx(tx, who, d.Code, ActTransferWithdrawn, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
			at = eventTime(at, now)
			note := st.Note
			if note == "" {
				note = "Công dân rút hồ sơ tại " + from
			}
			d.WithdrawNote, d.FinishedAt = note, at
			closeLeg(d, at)
			return fmt.Sprintf("Công dân rút hồ sơ tại %s: %s", from, note), nil
		})
		return true, err
	}
	return false, nil
}

// joinSupplement files a `supplement` transfer with the dossier taken in
// for the transfer it follows: its papers join that dossier, the open
// round closes (clock per the office's policy), and the transfer is
// acknowledged. False when there is no such dossier here (the transfer then
// waits in the incoming list like any other).
func (s *Service) joinSupplement(tx Tx, in *IncomingTransfer, ev TransferEvent) (bool, error) {
	if in.Purpose != PurposeSupplement || in.Follows == "" || in.State != TransferPending {
		return false, nil
	}
	orig, err := tx.Incoming(in.Follows)
	if Is(err, KindNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if orig.State != TransferAccepted && orig.State != TransferCompleted || orig.LocalCode == "" {
		return false, nil
	}
	d, err := tx.Dossier(orig.LocalCode)
	if err != nil {
		return false, err
	}
	from := orig.FromName
	if from == "" {
		from = in.FromAgency
	}
	who := hubActor(in.FromAgency, Actor{})
	a := ActNote
	if d.State == StateSupplement {
		a = ActTransferJoin
	}
	docs := in.Dossier.Documents
	_, err = s.applyTx(tx, who, d.Code, a, func(tx Tx, d *Dossier, cal *Calendar, now time.Time) (string, error) {
		var names []string
		for _, doc := range docs {
			d.Documents = append(d.Documents, doc)
			names = append(names, doc.Name)
		}
		note := fmt.Sprintf("Nhận hồ sơ bổ sung qua liên thông từ %s: %s", from, strings.Join(names, "; "))
		if in.Note != "" {
			note += ". " + in.Note
		}
		if a == ActTransferJoin {
			note = endWait(d, cal, who, now, note)
		}
		return note, nil
	})
	if err != nil {
		return false, err
	}
	in.State, in.DecidedAt, in.DecidedBy, in.LocalCode = TransferAccepted, s.Now(), who, d.Code
	if err := tx.PutIncoming(in); err != nil {
		return false, err
	}
	return true, enqueue(tx, OutboxAck, d.Code, AckIntent{TransferID: in.ID, Accepted: true, LocalCode: d.Code}, s.Now())
}

// supplementDocs are the papers of a round brought to the counter, each
// with its scan stored (and tied to it), or one original of each item
// requested when none are listed.
func supplementDocs(tx Tx, r *SupplementRound, in SupplementReceipt) ([]SubmittedDocument, error) {
	papers := append([]SupplementPaper(nil), in.Papers...)
	if len(papers) == 0 {
		for _, it := range r.Items {
			papers = append(papers, SupplementPaper{Name: it, Originals: 1})
		}
	}
	for i := range in.Scans {
		sc := &in.Scans[i]
		if i < len(papers) && papers[i].Scan == nil {
			papers[i].Scan = sc
		} else {
			papers = append(papers, SupplementPaper{Name: strings.TrimSuffix(sc.FileName, filepath.Ext(sc.FileName)), Copies: 1, Scan: sc})
		}
	}
	var docs []SubmittedDocument
	for i, p := range papers {
		doc := SubmittedDocument{Name: NFC(strings.TrimSpace(p.Name)), Originals: p.Originals, Copies: p.Copies}
		if doc.Name == "" {
			return nil, E("ReceiveSupplement", KindInvalid, MsgListSupplementItems, FieldErr(fmt.Sprintf("papers.%d", i), MsgListSupplementItems))
		}
		if p.Scan != nil {
			sc, err := putScans(tx, []ScanFile{*p.Scan})
			if err != nil {
				return nil, err
			}
			doc.SHA256, doc.Size, doc.MediaType, doc.FileName = sc[0].SHA256, sc[0].Size, sc[0].MediaType, sc[0].FileName
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// InterAgencyTasks counts the dossiers other agencies transferred here in a
// period (domain.md §3.6): a transferred dossier is counted once, by the
// agency the citizen gave it to; here it is an inter-agency task, in no
// column of the report's rows.
type InterAgencyTasks struct {
	Received int // taken in during the period
	Resolved int // result recorded (9) during the period
	Open     int // taken in before the end, not ended at the end
}

// Any reports whether there is anything to show.
func (n InterAgencyTasks) Any() bool { return n.Received+n.Resolved+n.Open > 0 }

func interAgencyTasks(tx Tx, from, to time.Time) (InterAgencyTasks, error) {
	var n InterAgencyTasks
	ins, err := tx.ListIncoming(false)
	if err != nil {
		return n, err
	}
	for _, in := range ins {
		if in.LocalCode == "" || in.Purpose != PurposeProcess && in.Purpose != "" ||
			in.State != TransferAccepted && in.State != TransferCompleted {
			continue
		}
		d, err := tx.Dossier(in.LocalCode)
		if Is(err, KindNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		recv := d.ReceivedAt
		if !recv.Before(to) {
			continue
		}
		if !recv.Before(from) {
			n.Received++
		}
		ended := Ended(d.State)
		end := endTime(d)
		if ended && d.State.Finished() && !end.Before(from) && end.Before(to) {
			n.Resolved++
		}
		if !ended || !end.Before(to) {
			n.Open++
		}
	}
	return n, nil
}

// withdrawnAccepted handles a transfer the recipient accepted after the
// citizen withdrew the dossier here (the recall came too late: the hub
// refuses it once accepted): the recall still queued (or parked) is
// dropped and 7 is reported instead, which closes the recipient's copy.
func withdrawnAccepted(tx Tx, d *Dossier, id string, now time.Time) error {
	items, err := tx.OutboxItems(0)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.Kind != OutboxRecall || it.Queue != d.Code {
			continue
		}
		var in RecallIntent
		if json.Unmarshal(it.Payload, &in) == nil && in.TransferID == id {
			if err := tx.DeleteOutboxItem(it.ID); err != nil && !Is(err, KindNotFound) {
				return err
			}
		}
	}
	st := TransferStatus{Status: StatusWithdrawn, Actor: Actor{Name: "Bộ phận Một cửa"}, OccurredAt: now, Note: d.WithdrawNote}
	return enqueue(tx, OutboxStatus, d.Code, StatusIntent{TransferID: id, Role: RoleSender, TransferStatus: st}, now)
}

// LoopHint is what the counter does next about the other agency's news on
// d ("" when nothing): shown under the actions of the detail screen.
func LoopHint(d *Dossier) string {
	name := func(id string) string {
		if t := findRef(d, id); t != nil {
			return cmp.Or(t.ToName, t.ToAgency)
		}
		return "cơ quan giải quyết"
	}
	switch id := waitTransfer(d); {
	case id != "" && d.State == StateSupplement:
		return "Tiếp theo: in phiếu yêu cầu bổ sung (mẫu 02) cho người dân; khi người dân nộp, «Tiếp nhận bổ sung» chuyển giấy tờ đến " + name(id) + "."
	case id != "" && d.State == StatePayment:
		return "Tiếp theo: thu phí, lệ phí; «Ghi nhận đã nộp phí» báo cho " + name(id) + "."
	}
	if d.State == StateStopped && len(d.Transfers) > 0 && d.ReferenceTransfer == "" {
		return "Tiếp theo: in thông báo dừng giải quyết hồ sơ (mẫu 05) cho người dân."
	}
	return ""
}

// followsFor is the transfer a new transfer of purpose p to agency `to`
// follows: for a supplement, the latest accepted transfer of d to that
// agency; for a result, the transfer d was received by, when it came from
// that agency; "" for a process transfer or when there is none.
func followsFor(tx Tx, d *Dossier, p TransferPurpose, to string) (string, error) {
	switch p {
	case PurposeSupplement:
		for i := len(d.Transfers) - 1; i >= 0; i-- {
			t := d.Transfers[i]
			if t.ToAgency == to && (t.Purpose == PurposeProcess || t.Purpose == "") &&
				(t.State == TransferAccepted || t.State == TransferCompleted) {
				return t.ID, nil
			}
		}
	case PurposeResult:
		if d.ReferenceTransfer == "" {
			return "", nil
		}
		in, err := tx.Incoming(d.ReferenceTransfer)
		if Is(err, KindNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if in.FromAgency == to {
			return in.ID, nil
		}
	}
	return "", nil
}

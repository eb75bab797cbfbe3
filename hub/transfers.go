package hub

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// response is an HTTP answer built inside the write transaction, so that it
// can be stored for idempotent replay in that same transaction.
type response struct {
	Status int               `json:"status"`
	Header map[string]string `json:"header,omitempty"`
	Body   []byte            `json:"body"`
}

func jsonResponse(status int, v any, header map[string]string) (*response, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &response{Status: status, Header: header, Body: body}, nil
}

// write is the shared shape of every transfer write: fn runs in one bbolt
// transaction, may append events, and returns the response; idem (if any) is
// stored in the same transaction; woken agencies are notified after commit.
func (h *Hub) write(idem *idemKey, fn func(tx *bolt.Tx, w *writeCtx) (*response, error)) (*response, error) {
	var resp *response
	w := &writeCtx{h: h}
	err := h.db.Update(func(tx *bolt.Tx) error {
		w.tx = tx
		w.now = h.now() // taken under the write lock, so times follow commit order
		w.wake = w.wake[:0]
		var err error
		resp, err = fn(tx, w)
		if err != nil {
			return err
		}
		if idem != nil && resp.Status < 300 {
			return idem.save(tx, resp, w.now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	h.notify.wake(w.wake...)
	return resp, nil
}

type writeCtx struct {
	h    *Hub
	tx   *bolt.Tx
	now  time.Time
	wake []string
}

// event appends an event for recipient in the current transaction.
func (w *writeCtx) event(recipient string, typ api.EventType, t *api.Transfer, data api.EventData) error {
	return w.appendEvent(recipient, api.Event{
		Type: typ, OccurredAt: t.UpdatedAt,
		TransferID: t.ID, Version: t.Version, DossierCode: t.Dossier.DossierCode,
		FromAgency: t.FromAgency, ToAgency: t.ToAgency, Data: data,
	})
}

// appendEvent gives ev its id and the recipient's next seq and stores it in
// the current transaction.
func (w *writeCtx) appendEvent(recipient string, ev api.Event) error {
	b, err := w.tx.Bucket(bEvents).CreateBucketIfNotExists([]byte(recipient))
	if err != nil {
		return err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	ev.ID, ev.Seq = newID("ev"), int64(seq)
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	val := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint64(val, uint64(ev.OccurredAt.UnixNano()))
	if err := b.Put(be64(seq), append(val, body...)); err != nil {
		return err
	}
	w.wake = append(w.wake, recipient)
	return nil
}

func problem(code api.Code, detail string, errs ...api.FieldError) *api.Problem {
	return api.NewProblem(code, detail, errs...)
}

func bizKey(from, dossier, to string, p api.Purpose) []byte {
	return join(from, dossier, to, string(p))
}

// transferKey is the business key of t: a `supplement` or `result` that
// follows another transfer is keyed by it too (one live per followed
// transfer, released once acknowledged, so every round goes through).
func transferKey(from, dossier, to string, p api.Purpose, follows string) []byte {
	if follows == "" || p == api.PurposeProcess {
		return bizKey(from, dossier, to, p)
	}
	return join(from, dossier, to, string(p), follows)
}

// checkFollows validates the transfer a `supplement` or `result` follows:
// it exists, the caller and to_agency are its two parties, and it was
// accepted.
func checkFollows(tx *bolt.Tx, caller string, req api.TransferRequest) error {
	if req.Follows == "" {
		return nil
	}
	ptr := api.FieldError{Pointer: "/follows"}
	if req.Purpose == api.PurposeProcess {
		ptr.Detail = "only a supplement or a result follows another transfer"
		return problem(api.CodeValidationFailed, "a process transfer follows nothing", ptr)
	}
	var f api.Transfer
	if err := getJSON(tx.Bucket(bTransfers), []byte(req.Follows), &f); err != nil {
		if err != errNotFound {
			return err
		}
		ptr.Detail = "no such transfer"
		return problem(api.CodeValidationFailed, "the followed transfer does not exist", ptr)
	}
	if !(f.FromAgency == caller && f.ToAgency == req.ToAgency || f.ToAgency == caller && f.FromAgency == req.ToAgency) {
		ptr.Detail = "not a transfer between the caller and to_agency"
		return problem(api.CodeValidationFailed, "the followed transfer is not between these agencies", ptr)
	}
	if f.State != api.StateAccepted && f.State != api.StateCompleted {
		return problem(api.CodeInvalidTransition, fmt.Sprintf("the followed transfer %s is %s, not accepted", f.ID, f.State))
	}
	return nil
}

// grantBlob lets agency read a blob that a transfer or submission now
// references; a referenced blob is never collected.
func grantBlob(tx *bolt.Tx, hex, agency string) error {
	if err := tx.Bucket(bBlobRefs).Put([]byte(hex), []byte{}); err != nil {
		return err
	}
	return tx.Bucket(bBlobACL).Put(join(hex, agency), []byte{})
}

func blobVisible(tx *bolt.Tx, hex, agency string) bool {
	return tx.Bucket(bBlobACL).Get(join(hex, agency)) != nil && tx.Bucket(bBlobs).Get([]byte(hex)) != nil
}

func loadTransfer(tx *bolt.Tx, id, caller string) (*api.Transfer, error) {
	var t api.Transfer
	if err := getJSON(tx.Bucket(bTransfers), []byte(id), &t); err != nil {
		if err == errNotFound {
			return nil, problem(api.CodeNotFound, "no such transfer")
		}
		return nil, err
	}
	if t.FromAgency != caller && t.ToAgency != caller {
		return nil, problem(api.CodeNotFound, "no such transfer")
	}
	return &t, nil
}

func saveTransfer(tx *bolt.Tx, t *api.Transfer) error {
	return putJSON(tx.Bucket(bTransfers), []byte(t.ID), t)
}

func transferResponse(status int, t *api.Transfer, extra map[string]string) (*response, error) {
	hdr := map[string]string{api.HeaderETag: api.ETag(t.Version)}
	for k, v := range extra {
		hdr[k] = v
	}
	return jsonResponse(status, t, hdr)
}

func (h *Hub) createTransfer(caller string, req api.TransferRequest, idem *idemKey) (*response, error) {
	return h.write(idem, func(tx *bolt.Tx, w *writeCtx) (*response, error) {
		var to agencyRecord
		switch err := getJSON(tx.Bucket(bAgencies), []byte(req.ToAgency), &to); {
		case err == errNotFound:
			return nil, problem(api.CodeValidationFailed, "unknown recipient agency",
				api.FieldError{Pointer: "/to_agency", Detail: fmt.Sprintf("no agency %s in the directory", req.ToAgency)})
		case err != nil:
			return nil, err
		case !to.Active:
			return nil, problem(api.CodeValidationFailed, "recipient agency is inactive",
				api.FieldError{Pointer: "/to_agency", Detail: fmt.Sprintf("agency %s is not active", req.ToAgency)})
		case req.ToAgency == caller:
			return nil, problem(api.CodeValidationFailed, "an agency cannot transfer to itself",
				api.FieldError{Pointer: "/to_agency", Detail: "must differ from the sender"})
		}
		if len(req.Dossier.Documents) > api.MaxDocuments {
			return nil, problem(api.CodeValidationFailed, "too many documents",
				api.FieldError{Pointer: "/dossier/documents", Detail: fmt.Sprintf("at most %d", api.MaxDocuments)})
		}
		if err := checkFollows(tx, caller, req); err != nil {
			return nil, err
		}
		bk := transferKey(caller, req.Dossier.DossierCode, req.ToAgency, req.Purpose, req.Follows)
		if id := tx.Bucket(bBizKeys).Get(bk); id != nil {
			p := problem(api.CodeDuplicateTransfer, fmt.Sprintf("transfer %s already carries dossier %s to %s for %s", id, req.Dossier.DossierCode, req.ToAgency, req.Purpose))
			p.TransferID = string(id)
			return nil, p
		}
		var missing []api.FieldError
		for i, d := range req.Dossier.Documents {
			if d.SHA256 != "" && !blobVisible(tx, d.SHA256, caller) {
				missing = append(missing, api.FieldError{Pointer: fmt.Sprintf("/dossier/documents/%d/sha256", i), Detail: "blob " + d.SHA256 + " has not been uploaded"})
			}
		}
		if len(missing) > 0 {
			return nil, problem(api.CodeBlobMissing, fmt.Sprintf("%d document blob(s) missing: upload them first", len(missing)), missing...)
		}
		tb := tx.Bucket(bTransfers)
		seq, err := tb.NextSequence()
		if err != nil {
			return nil, err
		}
		now := w.now
		t := &api.Transfer{
			ID: newID("tr"), GroupID: req.GroupID, Purpose: req.Purpose, Follows: req.Follows,
			FromAgency: caller, ToAgency: req.ToAgency, State: api.StatePending, Version: 1,
			CreatedAt: now, UpdatedAt: now, Dossier: req.Dossier,
		}
		if err := saveTransfer(tx, t); err != nil {
			return nil, err
		}
		lb := tx.Bucket(bLists)
		if err := lb.Put(append(join(caller, "s", ""), be64(seq)...), []byte(t.ID)); err != nil {
			return nil, err
		}
		if err := lb.Put(append(join(t.ToAgency, "r", ""), be64(seq)...), []byte(t.ID)); err != nil {
			return nil, err
		}
		if err := tx.Bucket(bBizKeys).Put(bk, []byte(t.ID)); err != nil {
			return nil, err
		}
		for _, d := range req.Dossier.Documents {
			if d.SHA256 != "" {
				if err := grantBlob(tx, d.SHA256, t.ToAgency); err != nil {
					return nil, err
				}
			}
		}
		snap := *t
		if err := w.event(t.ToAgency, api.EventReceived, t, api.EventData{Transfer: &snap}); err != nil {
			return nil, err
		}
		return transferResponse(http.StatusCreated, t, map[string]string{"Location": "/v1/transfers/" + t.ID})
	})
}

func (h *Hub) ackTransfer(caller, id string, req api.AckRequest) (*response, error) {
	if !req.Accepted && req.Reason == "" {
		return nil, problem(api.CodeValidationFailed, "a refusal needs a reason",
			api.FieldError{Pointer: "/reason", Detail: "required when accepted is false"})
	}
	return h.write(nil, func(tx *bolt.Tx, w *writeCtx) (*response, error) {
		t, err := loadTransfer(tx, id, caller)
		if err != nil {
			return nil, err
		}
		if t.ToAgency != caller {
			return nil, problem(api.CodeInvalidTransition, "only the recipient acknowledges a transfer")
		}
		if t.Ack != nil {
			if t.Ack.Accepted == req.Accepted && t.Ack.LocalCode == req.LocalCode && t.Ack.Reason == req.Reason {
				return transferResponse(http.StatusOK, t, nil)
			}
			return nil, problem(api.CodeInvalidTransition, fmt.Sprintf("transfer already acknowledged (accepted=%t) with another body", t.Ack.Accepted))
		}
		if t.State != api.StatePending {
			return nil, problem(api.CodeInvalidTransition, fmt.Sprintf("transfer is %s, not pending", t.State))
		}
		now := w.now
		t.Ack = &api.Ack{Accepted: req.Accepted, LocalCode: req.LocalCode, Reason: req.Reason, At: now}
		t.Version++
		t.UpdatedAt = now
		typ := api.EventAccepted
		if req.Accepted {
			t.State = api.StateAccepted
		} else {
			t.State = api.StateRejected
			typ = api.EventRejected
		}
		if !req.Accepted || t.Follows != "" {
			if err := tx.Bucket(bBizKeys).Delete(transferKey(t.FromAgency, t.Dossier.DossierCode, t.ToAgency, t.Purpose, t.Follows)); err != nil {
				return nil, err
			}
		}
		if err := saveTransfer(tx, t); err != nil {
			return nil, err
		}
		ack := *t.Ack
		if err := w.event(t.FromAgency, typ, t, api.EventData{Ack: &ack}); err != nil {
			return nil, err
		}
		return transferResponse(http.StatusOK, t, nil)
	})
}

var (
	recipientStatuses = []api.StatusCode{api.StatusProcessing, api.StatusSupplement, api.StatusPaymentRequired, api.StatusStopped, api.StatusResolved}
	senderStatuses    = []api.StatusCode{api.StatusWithdrawn, api.StatusReturned}
)

func (h *Hub) changeStatus(caller, id string, ifMatch int64, req api.StatusRequest, idem *idemKey) (*response, error) {
	switch {
	case req.StatusCode == api.StatusSupplement && req.Supplement == nil:
		return nil, problem(api.CodeValidationFailed, "status 5 needs the supplement request",
			api.FieldError{Pointer: "/supplement", Detail: "required with status_code 5"})
	case req.StatusCode == api.StatusResolved && len(req.Results) == 0:
		return nil, problem(api.CodeValidationFailed, "status 9 carries the results",
			api.FieldError{Pointer: "/results", Detail: "required with status_code 9"})
	case req.StatusCode != api.StatusResolved && len(req.Results) > 0:
		return nil, problem(api.CodeValidationFailed, "only status 9 carries results",
			api.FieldError{Pointer: "/results", Detail: "allowed only with status_code 9"})
	}
	return h.write(idem, func(tx *bolt.Tx, w *writeCtx) (*response, error) {
		t, err := loadTransfer(tx, id, caller)
		if err != nil {
			return nil, err
		}
		if ifMatch != t.Version {
			return nil, problem(api.CodeVersionMismatch, fmt.Sprintf("If-Match %s is stale: the transfer is at version %d", api.ETag(ifMatch), t.Version))
		}
		isRecipient := t.ToAgency == caller
		var allowed []api.StatusCode
		other := t.FromAgency
		if isRecipient {
			allowed = recipientStatuses
		} else {
			allowed, other = senderStatuses, t.ToAgency
		}
		// Extension: the sender reports fees paid at its counter (4) after the
		// recipient asked for them (6).
		paid := !isRecipient && req.StatusCode == api.StatusProcessing && t.LastStatus != nil &&
			t.LastStatus.StatusCode == api.StatusPaymentRequired
		if !slices.Contains(allowed, req.StatusCode) && !paid {
			role := "sender"
			if isRecipient {
				role = "recipient"
			}
			return nil, problem(api.CodeInvalidTransition, fmt.Sprintf("the %s may not set status %d", role, req.StatusCode))
		}
		returnAfterResult := t.State == api.StateCompleted && !isRecipient && req.StatusCode == api.StatusReturned &&
			t.LastStatus != nil && t.LastStatus.StatusCode == api.StatusResolved
		if t.State != api.StateAccepted && !returnAfterResult {
			return nil, problem(api.CodeInvalidTransition, fmt.Sprintf("transfer is %s: no status change allowed", t.State))
		}
		var missing []api.FieldError
		for i, r := range req.Results {
			if r.SHA256 != "" && !blobVisible(tx, r.SHA256, caller) {
				missing = append(missing, api.FieldError{Pointer: fmt.Sprintf("/results/%d/sha256", i), Detail: "blob " + r.SHA256 + " has not been uploaded"})
			}
		}
		if len(missing) > 0 {
			return nil, problem(api.CodeBlobMissing, fmt.Sprintf("%d result blob(s) missing: upload them first", len(missing)), missing...)
		}
		for _, r := range req.Results {
			if r.SHA256 != "" {
				if err := grantBlob(tx, r.SHA256, other); err != nil {
					return nil, err
				}
			}
		}
		now := w.now
		st := req
		t.LastStatus = &st
		t.Dossier.StatusCode = req.StatusCode
		if !req.NewDueAt.IsZero() {
			t.Dossier.DueAt = req.NewDueAt
		}
		if req.StatusCode == api.StatusResolved || req.StatusCode == api.StatusReturned {
			t.State = api.StateCompleted
		}
		t.Version++
		t.UpdatedAt = now
		if err := saveTransfer(tx, t); err != nil {
			return nil, err
		}
		evst := req
		if err := w.event(other, api.EventStatusChanged, t, api.EventData{Status: &evst}); err != nil {
			return nil, err
		}
		return transferResponse(http.StatusOK, t, nil)
	})
}

func (h *Hub) recallTransfer(caller, id string, req api.RecallRequest) (*response, error) {
	return h.write(nil, func(tx *bolt.Tx, w *writeCtx) (*response, error) {
		t, err := loadTransfer(tx, id, caller)
		if err != nil {
			return nil, err
		}
		if t.FromAgency != caller {
			return nil, problem(api.CodeInvalidTransition, "only the sender recalls a transfer")
		}
		if t.State == api.StateRecalled {
			return transferResponse(http.StatusOK, t, nil)
		}
		if t.State != api.StatePending {
			return nil, problem(api.CodeInvalidTransition, fmt.Sprintf("transfer is %s: it can be recalled only while pending", t.State))
		}
		now := w.now
		t.State = api.StateRecalled
		t.Recall = &api.Recall{Reason: req.Reason, At: now}
		t.Version++
		t.UpdatedAt = now
		if err := tx.Bucket(bBizKeys).Delete(transferKey(t.FromAgency, t.Dossier.DossierCode, t.ToAgency, t.Purpose, t.Follows)); err != nil {
			return nil, err
		}
		if err := saveTransfer(tx, t); err != nil {
			return nil, err
		}
		rc := *t.Recall
		if err := w.event(t.ToAgency, api.EventRecalled, t, api.EventData{Recall: &rc}); err != nil {
			return nil, err
		}
		return transferResponse(http.StatusOK, t, nil)
	})
}

func (h *Hub) getTransfer(caller, id string) (*api.Transfer, error) {
	var t *api.Transfer
	err := h.db.View(func(tx *bolt.Tx) error {
		var err error
		t, err = loadTransfer(tx, id, caller)
		return err
	})
	return t, err
}

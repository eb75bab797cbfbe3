package hub

import (
	"fmt"
	"net/http"
	"strings"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// Online submissions (central-api.md v1.1): the portal submits an online
// dossier for one agency; the agency accepts, refuses or asks for a
// supplement; each side hears of the other through its inbox.

var (
	bSubmissions = []byte("submissions") // id → api.Submission
	bSubKeys     = []byte("subkeys")     // portal \0 portal_ref → submission id
)

func init() {
	newBuckets = append(newBuckets, bSubmissions, bSubKeys)
	routes = append(routes,
		route{method: "POST", path: "/v1/submissions", auth: true, callers: portals, body: jsonBody, idempotent: true, handle: (*Hub).handleCreateSubmission},
		route{method: "GET", path: "/v1/submissions/{id}", auth: true, callers: anyKey, handle: (*Hub).handleGetSubmission},
		route{method: "POST", path: "/v1/submissions/{id}/decision", auth: true, body: jsonBody, handle: (*Hub).handleDecision},
	)
}

func (h *Hub) handleCreateSubmission(c *call) error {
	var req api.SubmissionRequest
	if err := api.DecodeStrictBytes(c.body, &req); err != nil {
		return err
	}
	return h.runIdempotent(c, func() (*response, error) { return h.createSubmission(c.agency, req, c.idem) })
}

func (h *Hub) handleGetSubmission(c *call) error {
	var s *api.Submission
	err := h.db.View(func(tx *bolt.Tx) (err error) {
		s, err = loadSubmission(tx, c.r.PathValue("id"), c.agency)
		return err
	})
	if err != nil {
		return err
	}
	c.w.Header().Set(api.HeaderETag, api.ETag(s.Version))
	return writeJSON(c.w, http.StatusOK, s)
}

func (h *Hub) handleDecision(c *call) error {
	var req api.DecisionRequest
	if err := api.DecodeStrictBytes(c.body, &req); err != nil {
		return err
	}
	resp, err := h.decide(c.agency, c.r.PathValue("id"), req)
	if err != nil {
		return err
	}
	writeRaw(c.w, resp, false)
	return nil
}

// loadSubmission finds a submission the caller (its portal or its agency) may see.
func loadSubmission(tx *bolt.Tx, id, caller string) (*api.Submission, error) {
	var s api.Submission
	if err := getJSON(tx.Bucket(bSubmissions), []byte(id), &s); err != nil {
		if err == errNotFound {
			return nil, problem(api.CodeNotFound, "no such submission")
		}
		return nil, err
	}
	if s.Portal != caller && s.ToAgency != caller {
		return nil, problem(api.CodeNotFound, "no such submission")
	}
	return &s, nil
}

func submissionResponse(status int, s *api.Submission, extra map[string]string) (*response, error) {
	hdr := map[string]string{api.HeaderETag: api.ETag(s.Version)}
	for k, v := range extra {
		hdr[k] = v
	}
	return jsonResponse(status, s, hdr)
}

func (w *writeCtx) submissionEvent(recipient string, typ api.EventType, s *api.Submission) error {
	snap := *s
	return w.appendEvent(recipient, api.Event{
		Type: typ, OccurredAt: s.UpdatedAt, SubmissionID: s.ID, Version: s.Version,
		DossierCode: decidedCode(s), FromAgency: s.Portal, ToAgency: s.ToAgency,
		Data: api.EventData{Submission: &snap},
	})
}

func decidedCode(s *api.Submission) string {
	if s.Decision != nil {
		return s.Decision.DossierCode
	}
	return ""
}

func (h *Hub) createSubmission(portal string, req api.SubmissionRequest, idem *idemKey) (*response, error) {
	return h.write(idem, func(tx *bolt.Tx, w *writeCtx) (*response, error) {
		var to agencyRecord
		switch err := getJSON(tx.Bucket(bAgencies), []byte(req.ToAgency), &to); {
		case err == errNotFound:
			return nil, problem(api.CodeValidationFailed, "unknown agency",
				api.FieldError{Pointer: "/to_agency", Detail: fmt.Sprintf("no agency %s in the directory", req.ToAgency)})
		case err != nil:
			return nil, err
		case !to.Active:
			return nil, problem(api.CodeValidationFailed, "the agency is inactive",
				api.FieldError{Pointer: "/to_agency", Detail: fmt.Sprintf("agency %s does not take submissions now", req.ToAgency)})
		}
		bk := join(portal, req.PortalRef)
		if id := tx.Bucket(bSubKeys).Get(bk); id != nil {
			p := problem(api.CodeDuplicateSubmission, fmt.Sprintf("submission %s already carries portal reference %s", id, req.PortalRef))
			p.SubmissionID = string(id)
			return nil, p
		}
		var missing []api.FieldError
		for i, d := range req.Dossier.Documents {
			if d.SHA256 != "" && !blobVisible(tx, d.SHA256, portal) {
				missing = append(missing, api.FieldError{Pointer: fmt.Sprintf("/dossier/documents/%d/sha256", i), Detail: "blob " + d.SHA256 + " has not been uploaded"})
			}
		}
		if len(missing) > 0 {
			return nil, problem(api.CodeBlobMissing, fmt.Sprintf("%d scan(s) missing: upload them first", len(missing)), missing...)
		}
		s := &api.Submission{
			ID: newID("sub"), Portal: portal, ToAgency: req.ToAgency, PortalRef: req.PortalRef,
			SubmittedAt: req.SubmittedAt, State: api.SubmissionPending, Version: 1,
			CreatedAt: w.now, UpdatedAt: w.now, Dossier: req.Dossier,
		}
		for _, d := range req.Dossier.Documents {
			if d.SHA256 != "" {
				if err := grantBlob(tx, d.SHA256, req.ToAgency); err != nil {
					return nil, err
				}
			}
		}
		if err := putJSON(tx.Bucket(bSubmissions), []byte(s.ID), s); err != nil {
			return nil, err
		}
		if err := tx.Bucket(bSubKeys).Put(bk, []byte(s.ID)); err != nil {
			return nil, err
		}
		if err := w.submissionEvent(req.ToAgency, api.EventSubmissionReceived, s); err != nil {
			return nil, err
		}
		return submissionResponse(http.StatusCreated, s, map[string]string{"Location": "/v1/submissions/" + s.ID})
	})
}

// checkDecision applies the per-decision rules of the contract.
func checkDecision(agency string, req api.DecisionRequest) error {
	var errs []api.FieldError
	need := func(ok bool, ptr, detail string) {
		if !ok {
			errs = append(errs, api.FieldError{Pointer: ptr, Detail: detail})
		}
	}
	if strings.TrimSpace(req.Actor.Name) == "" {
		errs = append(errs, api.FieldError{Pointer: "/actor/name", Detail: "who decided is required"})
	}
	switch req.Decision {
	case api.DecisionAccepted:
		need(strings.HasPrefix(req.DossierCode, agency+"-"), "/dossier_code", "required, and it starts with the agency's own code and a dash ("+agency+"-…)")
		need(!req.ReceivedAt.IsZero(), "/received_at", "required: the acceptance instant")
		need(!req.DueAt.IsZero() && req.DueAt.After(req.ReceivedAt), "/due_at", "required, after received_at")
		need(req.Reason == "", "/reason", "only with refused")
		need(req.Supplement == nil, "/supplement", "only with supplement")
	case api.DecisionRefused:
		need(strings.TrimSpace(req.Reason) != "", "/reason", "required when refusing")
	case api.DecisionSupplement:
		need(req.Supplement != nil && strings.TrimSpace(req.Supplement.Request) != "", "/supplement/request", "required: what the citizen must add")
	}
	if req.Decision != api.DecisionAccepted {
		need(req.DossierCode == "" && req.ReceivedAt.IsZero() && req.DueAt.IsZero() && req.ReceiptSHA256 == "", "/dossier_code", "dossier_code, received_at, due_at and receipt_sha256 go only with accepted")
	}
	if req.Decision != api.DecisionRefused && req.Decision != api.DecisionAccepted {
		need(req.Reason == "", "/reason", "only with refused")
	}
	if req.Decision == api.DecisionRefused {
		need(req.Supplement == nil, "/supplement", "only with supplement")
	}
	if len(errs) > 0 {
		return problem(api.CodeValidationFailed, "the decision is incomplete or mixes decisions", errs...)
	}
	return nil
}

// sameDecision: the same answer sent again (a retry) is not a new decision.
func sameDecision(a, b api.DecisionRequest) bool {
	if a.Decision != b.Decision {
		return false
	}
	switch a.Decision {
	case api.DecisionAccepted:
		return a.DossierCode == b.DossierCode && a.ReceivedAt.Equal(b.ReceivedAt) && a.DueAt.Equal(b.DueAt) && a.ReceiptSHA256 == b.ReceiptSHA256
	case api.DecisionRefused:
		return a.Reason == b.Reason
	default:
		return a.Supplement != nil && b.Supplement != nil && a.Supplement.Request == b.Supplement.Request
	}
}

func (h *Hub) decide(agency, id string, req api.DecisionRequest) (*response, error) {
	return h.write(nil, func(tx *bolt.Tx, w *writeCtx) (*response, error) {
		s, err := loadSubmission(tx, id, agency)
		if err != nil {
			return nil, err
		}
		if s.ToAgency != agency {
			return nil, problem(api.CodeNotFound, "no such submission")
		}
		if err := checkDecision(agency, req); err != nil {
			return nil, err
		}
		if s.State != api.SubmissionPending {
			if s.Decision != nil && sameDecision(*s.Decision, req) {
				return submissionResponse(http.StatusOK, s, nil)
			}
			return nil, problem(api.CodeInvalidTransition, fmt.Sprintf("the submission was already decided (%s); a decision cannot change", s.State))
		}
		if req.ReceiptSHA256 != "" {
			if !blobVisible(tx, req.ReceiptSHA256, agency) {
				return nil, problem(api.CodeBlobMissing, "the receipt has not been uploaded",
					api.FieldError{Pointer: "/receipt_sha256", Detail: "blob " + req.ReceiptSHA256 + " has not been uploaded"})
			}
			if err := grantBlob(tx, req.ReceiptSHA256, s.Portal); err != nil {
				return nil, err
			}
		}
		d := req
		s.Decision = &d
		s.State = api.SubmissionState(req.Decision)
		s.Version++
		s.UpdatedAt, s.DecidedAt = w.now, w.now
		if err := putJSON(tx.Bucket(bSubmissions), []byte(s.ID), s); err != nil {
			return nil, err
		}
		if err := w.submissionEvent(s.Portal, api.EventSubmissionDecided, s); err != nil {
			return nil, err
		}
		return submissionResponse(http.StatusOK, s, nil)
	})
}

package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"motcua/api"
	"motcua/app"
)

// Online submissions (v1.1): the inbox turns submission.received into a
// status 1 dossier waiting in the office's online queue; the sender answers
// with the officer's decision and publishes every dossier's public face.

// Limits of what the desktop keeps of a submission's form data.
const (
	maxFormFields = 200
	maxFormText   = 4000
)

// submissionFromWire reads a submission the hub delivered. It refuses what
// the office cannot file (no id, not addressed to this office) and keeps
// the portal's form fields as text.
func submissionFromWire(s *api.Submission, own string) (app.OnlineSubmission, error) {
	if s == nil || s.ID == "" {
		return app.OnlineSubmission{}, errors.New("submission without id")
	}
	if own != "" && s.ToAgency != own {
		return app.OnlineSubmission{}, fmt.Errorf("submission %s is addressed to %q", s.ID, s.ToAgency)
	}
	w := s.Dossier
	d := fromWireDossier(api.Dossier{ProcedureCode: w.ProcedureCode, ProcedureName: w.ProcedureName, FieldName: w.FieldName,
		Channel: w.Channel, Applicant: w.Applicant, Summary: w.Summary, StatusCode: w.StatusCode, Note: w.Note,
		Documents: w.Documents, Fees: w.Fees, FormData: w.FormData})
	for i := range d.Documents {
		if !hexSHA.MatchString(d.Documents[i].SHA256) {
			d.Documents[i].SHA256 = ""
		}
		d.Documents[i].Name = app.NFC(d.Documents[i].Name)
	}
	out := app.OnlineSubmission{ID: s.ID, Portal: s.Portal, PortalRef: app.NFC(s.PortalRef), SubmittedAt: vn(s.SubmittedAt),
		Version: int(s.Version), Dossier: d}
	if out.SubmittedAt.IsZero() {
		out.SubmittedAt = vn(s.CreatedAt)
	}
	for k, v := range w.FormData {
		if len(out.FormData) >= maxFormFields {
			break
		}
		if out.FormData == nil {
			out.FormData = map[string]string{}
		}
		out.FormData[app.NFC(clip(k, 200))] = app.NFC(clip(formText(v), maxFormText))
	}
	return out, nil
}

// formText renders one form value as text.
func formText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "Có"
		}
		return "Không"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// clip cuts s to at most n bytes at a rune boundary; invalid UTF-8 is
// replaced.
func clip(s string, n int) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// applySubmission downloads a submission's scans (verified), then records
// it and, when next is set, moves the cursor — in one transaction.
func (c *Client) applySubmission(ctx context.Context, e api.Event, next string) error {
	snap := e.Data.Submission
	if snap == nil || snap.ID == "" {
		if e.SubmissionID == "" {
			return c.skipEvent(e, next, errors.New("submission event without a submission"))
		}
		var s api.Submission
		if _, err := c.call(ctx, http.MethodGet, "/v1/submissions/"+url.PathEscape(e.SubmissionID), nil, nil, &s); err != nil {
			return err
		}
		snap = &s
	}
	sub, err := submissionFromWire(snap, c.own)
	if err != nil {
		return c.skipEvent(e, next, err)
	}
	for i := range sub.Dossier.Documents {
		d := &sub.Dossier.Documents[i]
		if d.SHA256 != "" {
			if err := c.fetchBlob(ctx, d.SHA256, &d.Size); err != nil {
				return err
			}
		}
	}
	return c.store.Update(func(tx app.Tx) error {
		if err := c.svc.ReceiveSubmission(tx, e.ID, sub); err != nil {
			return err
		}
		if next != "" {
			return tx.SetInboxCursor(next)
		}
		return nil
	})
}

// skipEvent logs an event the office cannot file and moves past it.
func (c *Client) skipEvent(e api.Event, next string, why error) error {
	if why != nil {
		c.log.WithError(why).WithField("event", e.ID).Warn("trực tuyến: event skipped")
	}
	return c.store.Update(func(tx app.Tx) error {
		if e.ID != "" {
			if err := tx.MarkEvent(e.ID); err != nil {
				return err
			}
		}
		if next != "" {
			return tx.SetInboxCursor(next)
		}
		return nil
	})
}

var wireDecision = map[app.SubmissionState]api.DecisionKind{
	app.SubmissionAccepted: api.DecisionAccepted, app.SubmissionRefused: api.DecisionRefused,
	app.SubmissionSupplement: api.DecisionSupplement,
}

// sendDecision posts the officer's decision, the receipt blob first.
func (c *Client) sendDecision(ctx context.Context, it *app.OutboxItem) error {
	var in app.SubmissionDecision
	if err := decodeIntent(it, &in); err != nil {
		return err
	}
	kind, ok := wireDecision[in.Decision]
	if !ok || in.SubmissionID == "" {
		return &errPark{fmt.Sprintf("Quyết định không hợp lệ: %q", in.Decision)}
	}
	if in.ReceiptSHA256 != "" {
		if err := c.ensureBlob(ctx, in.ReceiptSHA256, "Giấy tiếp nhận hồ sơ"); err != nil {
			return err
		}
	}
	req := api.DecisionRequest{Decision: kind, DossierCode: in.DossierCode, ReceivedAt: vn(in.ReceivedAt), DueAt: vn(in.DueAt),
		ReceiptSHA256: in.ReceiptSHA256, Reason: in.Reason, Actor: api.Actor{Name: in.Actor.Name, Title: in.Actor.Title, Unit: in.Actor.Unit}}
	if req.Actor.Name == "" {
		req.Actor.Name = "Cán bộ"
	}
	if in.Supplement != "" {
		req.Supplement = &api.SupplementRequest{Request: in.Supplement}
	}
	path := "/v1/submissions/" + url.PathEscape(in.SubmissionID) + "/decision"
	var out api.Submission
	if _, err := c.call(ctx, http.MethodPost, path, map[string]string{api.HeaderIdempotencyKey: it.IdempotencyKey}, req, &out); err != nil {
		return err
	}
	return c.finish(it, func(app.Tx) error { return nil })
}

// sendPublic publishes a dossier's public face; the hub keeps the highest
// version, so an old face sent late changes nothing.
func (c *Client) sendPublic(ctx context.Context, it *app.OutboxItem) error {
	var in app.PublicStatus
	if err := decodeIntent(it, &in); err != nil {
		return err
	}
	if in.Code == "" {
		return &errPark{"Thiếu mã hồ sơ"}
	}
	req := api.PublicStatus{Version: int64(in.Version), ProcedureCode: in.ProcedureCode, ProcedureName: in.ProcedureName,
		AgencyName: in.AgencyName, StatusCode: api.StatusCode(in.Status), ReceivedAt: vn(in.ReceivedAt), DueAt: vn(in.DueAt),
		FinishedAt: vn(in.FinishedAt), ReturnedAt: vn(in.ReturnedAt), ApplicantMasked: in.ApplicantMasked}
	var out api.PublicLookup
	if _, err := c.call(ctx, http.MethodPut, "/v1/public-status/"+url.PathEscape(in.Code), nil, req, &out); err != nil {
		return err
	}
	return c.finish(it, func(app.Tx) error { return nil })
}
